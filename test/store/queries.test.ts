import type Database from 'better-sqlite3';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { botPerformanceSummary, pnlSummaryByCoin, recentSystemEvents } from '../../src/store/queries.js';
import { useTempStores } from './temp-stores.js';

const { newStore } = useTempStores('queries');

const minute = 60_000;
const hour = 60 * minute;
const now = 1_700_000_000_000;
const lastHour = { hours: 1, now };

/** Inserts one row by hand, the way another tool might. */
function insert(db: Database.Database, table: string, row: Record<string, string | number | boolean | null>): void {
  const columns = Object.keys(row);
  const values = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));
  db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${columns.map((c) => `@${c}`).join(', ')})`).run(values);
}

interface Fill {
  bot: string;
  coin: string;
  ts: number;
  side: 'bid' | 'ask';
  price: number;
  size: number;
  fee: number;
  maker: boolean;
  realized: number;
  position: number;
}

function insertFill(db: Database.Database, f: Fill): void {
  insert(db, 'fills', {
    bot_id: f.bot,
    coin: f.coin,
    ts: f.ts,
    side: f.side,
    price: f.price,
    size: f.size,
    fee: f.fee,
    maker: f.maker,
    realized_pnl: f.realized,
    position_after: f.position,
  });
}

function insertFunding(db: Database.Database, coin: string, ts: number, funding: number): void {
  insert(db, 'pnl_tracking', { bot_id: 'a', coin, ts, position: 0, realized_pnl: 0, fees: 0, funding });
}

/** Bot "a" over the last hour: two BTC maker fills, one ETH taker fill, funding on BTC and SOL. */
function exampleStore(): Database.Database {
  const db = newStore();
  const fill = { bot: 'a', coin: 'BTC', side: 'bid', size: 0.01, maker: true } as const;
  insertFill(db, { ...fill, ts: now - 10 * minute, price: 50_000, fee: 0.075, realized: 0, position: 0.01 });
  insertFill(db, { ...fill, ts: now - 5 * minute, side: 'ask', price: 50_100, fee: 0.075, realized: 1, position: 0 });
  insertFill(db, { ...fill, coin: 'ETH', ts: now - minute, side: 'ask', price: 3000, size: 0.5, fee: 0.3, maker: false, realized: -0.2, position: -0.5 });
  // Outside the window (before it, after now) or another bot's: never counted.
  insertFill(db, { ...fill, ts: now - 2 * hour, price: 49_000, fee: 10, realized: 100, position: 1 });
  insertFill(db, { ...fill, ts: now + 1, price: 49_000, fee: 10, realized: 100, position: 1 });
  insertFill(db, { ...fill, bot: 'b', ts: now - minute, price: 49_000, fee: 10, realized: 100, position: 1 });
  // Funding is a running total: BTC went from 0.5 (before the window) to 0.9, SOL paid 0.1.
  insertFunding(db, 'BTC', now - 3 * hour, 0.5);
  insertFunding(db, 'BTC', now - 30 * minute, 0.8);
  insertFunding(db, 'BTC', now - minute, 0.9);
  insertFunding(db, 'ETH', now - 20 * minute, 0);
  insertFunding(db, 'SOL', now - 20 * minute, -0.1);
  const order = { bot_id: 'a', coin: 'BTC' };
  for (const action of ['place', 'place', 'modify', 'cancel', 'ack', 'ack', 'canceled']) insert(db, 'trades', { ...order, ts: now - minute, action });
  insert(db, 'trades', { ...order, ts: now - 2 * hour, action: 'place' });
  return db;
}

describe('pnlSummaryByCoin', () => {
  it('sums each coin’s fills and funding in the window', () => {
    const summary = pnlSummaryByCoin(exampleStore(), 'a', lastHour);
    expect(summary.map((c) => c.coin)).toEqual(['BTC', 'ETH', 'SOL']);
    const [btc, eth, sol] = summary;
    expect(btc).toMatchObject({ fills: 2, makerFills: 2, volume: 1001, realizedPnl: 1, lastPosition: 0 });
    expect(btc!.fees).toBeCloseTo(0.15, 12);
    expect(btc!.funding).toBeCloseTo(0.4, 12);
    expect(btc!.net).toBeCloseTo(1 - 0.15 + 0.4, 12);
    expect(eth).toMatchObject({ fills: 1, makerFills: 0, volume: 1500, realizedPnl: -0.2, fees: 0.3, funding: 0, lastPosition: -0.5 });
    expect(eth!.net).toBeCloseTo(-0.5, 12);
    expect(sol).toEqual({ coin: 'SOL', fills: 0, makerFills: 0, volume: 0, realizedPnl: 0, fees: 0, funding: -0.1, net: -0.1, lastPosition: null });
  });

  it('is empty for a bot without rows', () => {
    expect(pnlSummaryByCoin(exampleStore(), 'nobody', lastHour)).toEqual([]);
  });

  it('matches sums computed directly from the fills, for any fills', () => {
    const db = newStore();
    const fillArbitrary = fc.record({
      bot: fc.constantFrom('a', 'b'),
      coin: fc.constantFrom('BTC', 'ETH', 'kPEPE'),
      ts: fc.integer({ min: now - 2 * hour, max: now + hour }),
      side: fc.constantFrom('bid' as const, 'ask' as const),
      price: fc.integer({ min: 1, max: 10_000_000 }).map((cents) => cents / 100),
      size: fc.integer({ min: 1, max: 100_000 }).map((lots) => lots / 1000),
      fee: fc.integer({ min: -1000, max: 10_000 }).map((x) => x / 10_000),
      maker: fc.boolean(),
      realized: fc.integer({ min: -100_000, max: 100_000 }).map((x) => x / 100),
      position: fc.integer({ min: -1000, max: 1000 }),
    });
    fc.assert(
      fc.property(fc.array(fillArbitrary, { maxLength: 40 }), (fills) => {
        db.exec('DELETE FROM fills');
        fills.forEach((f) => insertFill(db, f));
        const inWindow = fills.filter((f) => f.bot === 'a' && f.ts >= now - hour && f.ts <= now);
        const summary = pnlSummaryByCoin(db, 'a', lastHour);
        expect(summary.map((c) => c.coin)).toEqual([...new Set(inWindow.map((f) => f.coin))].sort());
        for (const coin of summary) {
          const mine = inWindow.filter((f) => f.coin === coin.coin);
          const total = (pick: (f: Fill) => number): number => mine.reduce((sum, f) => sum + pick(f), 0);
          expect(coin.fills).toBe(mine.length);
          expect(coin.makerFills).toBe(mine.filter((f) => f.maker).length);
          expect(coin.volume).toBeCloseTo(total((f) => f.price * f.size), 4);
          expect(coin.realizedPnl).toBeCloseTo(total((f) => f.realized), 6);
          expect(coin.fees).toBeCloseTo(total((f) => f.fee), 6);
          expect(coin.net).toBeCloseTo(total((f) => f.realized - f.fee), 6);
          const latest = Math.max(...mine.map((f) => f.ts));
          expect(mine.filter((f) => f.ts === latest).map((f) => f.position)).toContain(coin.lastPosition);
        }
      }),
      { numRuns: 60 },
    );
  });
});

describe('botPerformanceSummary', () => {
  it('totals fills, maker ratio, PnL, fees, funding and orders over every coin', () => {
    const summary = botPerformanceSummary(exampleStore(), 'a', lastHour);
    expect(summary).toMatchObject({ fills: 3, makerFills: 2, takerFills: 1, volume: 2501, ordersPlaced: 3, ordersCancelled: 1 });
    expect(summary.makerRatio).toBeCloseTo(2 / 3, 12);
    expect(summary.realizedPnl).toBeCloseTo(0.8, 12);
    expect(summary.fees).toBeCloseTo(0.45, 12);
    expect(summary.funding).toBeCloseTo(0.3, 12);
    expect(summary.net).toBeCloseTo(0.8 - 0.45 + 0.3, 12);
  });

  it('has no maker ratio without fills', () => {
    expect(botPerformanceSummary(newStore(), 'a', lastHour)).toEqual({
      fills: 0,
      makerFills: 0,
      takerFills: 0,
      makerRatio: null,
      volume: 0,
      realizedPnl: 0,
      fees: 0,
      funding: 0,
      net: 0,
      ordersPlaced: 0,
      ordersCancelled: 0,
    });
  });
});

describe('recentSystemEvents', () => {
  const event = (bot: string, ts: number, severity: string, kind: string) => ({ bot_id: bot, ts, severity, kind, message: `${kind} happened` });

  function eventStore(): Database.Database {
    const db = newStore();
    insert(db, 'system_events', event('a', now - 50 * minute, 'error', 'api_error'));
    insert(db, 'system_events', event('a', now - 40 * minute, 'info', 'autotune'));
    insert(db, 'system_events', { ...event('a', now - 30 * minute, 'warning', 'rate_limit'), coin: 'BTC', details: '{"usage_pct":91}' });
    insert(db, 'system_events', event('a', now - 30 * minute, 'critical', 'emergency_stop'));
    insert(db, 'system_events', event('a', now - 2 * hour, 'critical', 'old'));
    insert(db, 'system_events', event('b', now - minute, 'critical', 'other_bot'));
    return db;
  }

  it('lists the window’s events newest first (later rows first at equal times)', () => {
    const kinds = recentSystemEvents(eventStore(), 'a', lastHour).map((e) => e.kind);
    expect(kinds).toEqual(['emergency_stop', 'rate_limit', 'autotune', 'api_error']);
  });

  it('keeps events at or above a severity, up to a limit', () => {
    const db = eventStore();
    expect(recentSystemEvents(db, 'a', { ...lastHour, minSeverity: 'warning' }).map((e) => e.kind)).toEqual([
      'emergency_stop',
      'rate_limit',
      'api_error',
    ]);
    expect(recentSystemEvents(db, 'a', { ...lastHour, minSeverity: 'error', limit: 1 }).map((e) => e.kind)).toEqual(['emergency_stop']);
  });

  it('returns each event’s fields with its details as stored JSON text', () => {
    const [, rateLimit] = recentSystemEvents(eventStore(), 'a', lastHour);
    expect(rateLimit).toEqual({
      ts: now - 30 * minute,
      coin: 'BTC',
      severity: 'warning',
      kind: 'rate_limit',
      message: 'rate_limit happened',
      details: '{"usage_pct":91}',
    });
  });
});
