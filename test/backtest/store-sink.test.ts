import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { StoreSink } from '../../src/backtest/store-sink.js';
import { parseConfig } from '../../src/config/load.js';
import type { AccountEvent, OrderAction } from '../../src/core/types.js';
import { openStore } from '../../src/store/open-database.js';
import { StoreWriter } from '../../src/store/writer.js';
import { MarketMaker } from '../../src/strategy/market-maker.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

function sinkOnFreshStore() {
  const dir = mkdtempSync(join(tmpdir(), 'hypermm-sink-'));
  dirs.push(dir);
  const { db } = openStore(join(dir, 'bt.db'));
  const writer = new StoreWriter(db);
  const loaded = parseConfig('sink.json', { coins: ['ETH'] }, 'sink');
  const maker = new MarketMaker({ bot: loaded.bot, coins: [loaded.coins.ETH!], assets: { ETH: { szDecimals: 4 } }, startTs: 0 });
  const sink = new StoreSink(writer, 'sink-bot', maker);
  const step = (actions: OrderAction[], now: number) => sink.onStep({ actions, events: [] }, now);
  const answer = (event: AccountEvent) => sink.onAccountEvent(event, event.ts);
  const rows = () => {
    writer.flush();
    return db.prepare('SELECT action, coin, status FROM trades ORDER BY id').all() as { action: string; coin: string; status: string | null }[];
  };
  return { step, answer, rows };
}

const PLACE: OrderAction = {
  kind: 'place',
  order: { coin: 'ETH', cloid: '0xe1', side: 'bid', px: 2000, sz: 0.01, tif: 'Alo', reduceOnly: false },
};

describe('StoreSink', () => {
  it('names the coin of every answer, even a cancel refused after its order filled', () => {
    const { step, answer, rows } = sinkOnFreshStore();
    step([PLACE], 1);
    answer({ type: 'ack', ts: 2, cloid: '0xe1', oid: 7 });
    step([{ kind: 'cancel', coin: 'ETH', cloid: '0xe1' }], 3);
    answer({ type: 'fill', ts: 4, cloid: '0xe1', oid: 7, coin: 'ETH', side: 'bid', px: 2000, sz: 0.01, fee: 0.003, maker: true, remaining: 0, tid: 1 });
    answer({ type: 'cancelReject', ts: 5, cloid: '0xe1', kind: 'unknownOrder', message: 'Order was never placed, already canceled, or filled.' });
    expect(rows().map((row) => [row.action, row.coin])).toEqual([
      ['place', 'ETH'],
      ['ack', 'ETH'],
      ['cancel', 'ETH'],
      ['fill', 'ETH'],
      ['reject', 'ETH'],
    ]);
  });

  it('forgets an order once it has ended, so a late answer for it is not given a coin', () => {
    const { step, answer, rows } = sinkOnFreshStore();
    step([PLACE], 1);
    answer({ type: 'reject', ts: 2, cloid: '0xe1', kind: 'postOnlyWouldCross', message: 'Post only order would have immediately matched' });
    answer({ type: 'canceled', ts: 3, cloid: '0xe1', oid: 7, reason: 'user' });
    expect(rows().map((row) => row.coin)).toEqual(['ETH', 'ETH', 'unknown']);
  });
});
