import { describe, expect, it } from 'vitest';
import { botActivity, tableRowCounts } from '../../src/store/info.js';
import { StoreWriter } from '../../src/store/writer.js';
import { useTempStores } from './temp-stores.js';

const { newStore } = useTempStores('info');

describe('tableRowCounts', () => {
  it('counts every table, data tables first', () => {
    const db = newStore();
    const writer = new StoreWriter(db);
    writer.enqueue('trades', { bot_id: 'a', coin: 'BTC', ts: 1, action: 'place' });
    writer.enqueue('system_events', { bot_id: 'a', ts: 2, severity: 'info', kind: 'start', message: 'started' });
    writer.enqueue('system_events', { bot_id: 'a', ts: 3, severity: 'info', kind: 'stop', message: 'stopped' });
    writer.flush();
    expect(tableRowCounts(db)).toEqual({
      trades: 1,
      orderbook_snapshots: 0,
      fills: 0,
      pnl_tracking: 0,
      performance_metrics: 0,
      system_events: 2,
      rate_limit_usage: 0,
      bots: 0,
      schema_version: 1,
    });
  });
});

describe('botActivity', () => {
  it('gives each bot its first and last time and row count over all data tables, registered bots included', () => {
    const db = newStore();
    const writer = new StoreWriter(db);
    writer.enqueue('trades', { bot_id: 'b', coin: 'BTC', ts: 500, action: 'place' });
    writer.enqueue('rate_limit_usage', {
      bot_id: 'b',
      ts: 100,
      ws_used: 10,
      ws_capacity: 2000,
      rest_used: 5,
      rest_capacity: 1000,
      usage_pct: 0.5,
      critical: false,
    });
    writer.enqueue('pnl_tracking', { bot_id: 'a', coin: 'ETH', ts: 900, position: 0, realized_pnl: 0, fees: 0, funding: 0 });
    writer.flush();
    db.prepare("INSERT INTO bots (bot_id, name, created_ts) VALUES ('c', 'idle bot', 0)").run();
    expect(botActivity(db)).toEqual([
      { botId: 'a', firstTs: 900, lastTs: 900, rows: 1 },
      { botId: 'b', firstTs: 100, lastTs: 500, rows: 2 },
      { botId: 'c', firstTs: null, lastTs: null, rows: 0 },
    ]);
  });
});
