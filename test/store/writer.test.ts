import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type {
  DataTable,
  DataTableRows,
  FillRow,
  OrderbookSnapshotRow,
  PerformanceMetricsRow,
  PnlTrackingRow,
  RateLimitUsageRow,
  SystemEventRow,
  TradeRow,
} from '../../src/store/schema.js';
import { RefusedRowsError, StoreWriter } from '../../src/store/writer.js';
import { useTempStores } from './temp-stores.js';

const { newStore } = useTempStores('writer');
afterEach(() => vi.useRealTimers());

const trade: Required<TradeRow> = {
  bot_id: 'a',
  coin: 'BTC',
  ts: 1000,
  action: 'place',
  oid: 77,
  cloid: '0x0000000000000000000000000000000a',
  side: 'bid',
  price: 50_000,
  size: 0.01,
  tif: 'Alo',
  reduce_only: false,
  maker: null,
  position_before: 0,
  position_after: 0,
  fee: 0,
  realized_pnl: 0,
  status: 'sent',
  message: 'level 0',
};
const snapshot: Required<OrderbookSnapshotRow> = {
  bot_id: 'a',
  coin: 'BTC',
  ts: 1000,
  best_bid: 49_999,
  best_ask: 50_001,
  bid_size: 1.5,
  ask_size: 2,
  spread_bps: 0.4,
  mid: 50_000,
  source: 'ws',
  trade_id: null,
  cloid: trade.cloid,
};
const fill: Required<FillRow> = {
  bot_id: 'a',
  coin: 'BTC',
  ts: 1500,
  trade_id: null,
  oid: 77,
  cloid: trade.cloid,
  tid: 123_456_789_012,
  side: 'bid',
  price: 50_000,
  size: 0.01,
  fee: 0.075,
  maker: true,
  realized_pnl: 0,
  position_after: 0.01,
  avg_entry_after: 50_000,
};
const pnl: Required<PnlTrackingRow> = {
  bot_id: 'a',
  coin: 'BTC',
  ts: 2000,
  position: 0.01,
  avg_entry: 50_000,
  mark_price: 50_010,
  notional: 500.1,
  realized_pnl: 0,
  unrealized_pnl: 0.1,
  fees: 0.075,
  funding: -0.001,
};
const metrics: Required<PerformanceMetricsRow> = {
  bot_id: 'a',
  coin: 'BTC',
  ts: 0,
  maker_fills: 1,
  taker_fills: 0,
  maker_ratio: 1,
  pnl: -0.075,
  fees: 0.075,
  orders_placed: 4,
  orders_cancelled: 2,
  avg_spread_bps: 3.5,
  avg_latency_ms: 42,
};
const event: Required<SystemEventRow> = {
  bot_id: 'a',
  coin: 'BTC',
  ts: 2500,
  severity: 'warning',
  kind: 'rate_limit',
  message: 'usage above 90%',
  details: '{"usage_pct":91}',
};
const rateLimit: Required<RateLimitUsageRow> = {
  bot_id: 'a',
  ts: 3000,
  ws_used: 1820,
  ws_capacity: 2000,
  rest_used: 10,
  rest_capacity: 1000,
  usage_pct: 91,
  critical: true,
};
const fullRows: { [T in DataTable]: Required<DataTableRows[T]> } = {
  trades: trade,
  orderbook_snapshots: snapshot,
  fills: fill,
  pnl_tracking: pnl,
  performance_metrics: metrics,
  system_events: event,
  rate_limit_usage: rateLimit,
};

function count(db: Database.Database, table: string): number {
  return db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number;
}

function system(ts: number): SystemEventRow {
  return { bot_id: 'a', ts, severity: 'info', kind: 'tick', message: `tick ${ts}` };
}

describe('StoreWriter', () => {
  it('writes a row with every field to each table and reads back the same values (flags as 0/1)', () => {
    const db = newStore();
    const writer = new StoreWriter(db);
    for (const table of Object.keys(fullRows) as DataTable[]) writer.enqueue(table, fullRows[table]);
    expect(writer.flush()).toBe(7);
    for (const [table, row] of Object.entries(fullRows)) {
      const stored = db.prepare(`SELECT * FROM ${table}`).get() as Record<string, unknown>;
      const expected = Object.fromEntries(Object.entries(row).map(([k, v]) => [k, typeof v === 'boolean' ? Number(v) : v]));
      const { id, ...columns } = stored;
      expect(id, table).toBe(1);
      // The snapshot and the fill got their order's id from its cloid.
      expect(columns, table).toEqual('trade_id' in expected ? { ...expected, trade_id: 1 } : expected);
    }
  });

  it('holds rows until flushed, then commits them in one go', () => {
    const db = newStore();
    const reader = new Database(db.name, { readonly: true });
    const writer = new StoreWriter(db, { maxQueuedRows: 10 });
    for (let ts = 0; ts < 9; ts += 1) writer.enqueue('system_events', system(ts));
    expect(writer.queuedRows).toBe(9);
    expect(count(reader, 'system_events')).toBe(0);
    expect(writer.flush()).toBe(9);
    expect(writer.queuedRows).toBe(0);
    expect(count(reader, 'system_events')).toBe(9);
    reader.close();
  });

  it('flushes synchronously when the queue reaches its bound, never dropping a row', () => {
    const db = newStore();
    const writer = new StoreWriter(db, { maxQueuedRows: 3 });
    writer.enqueue('system_events', system(1));
    writer.enqueue('system_events', system(2));
    expect(count(db, 'system_events')).toBe(0);
    writer.enqueue('system_events', system(3));
    expect(count(db, 'system_events')).toBe(3);
    expect(writer.queuedRows).toBe(0);
  });

  it('keeps the rows of a batch whose transaction fails, and writes them on the next flush', () => {
    const db = newStore();
    db.pragma('busy_timeout = 0');
    const other = new Database(db.name);
    const writer = new StoreWriter(db);
    writer.enqueue('system_events', system(1));
    writer.enqueue('system_events', system(2));
    other.exec('BEGIN IMMEDIATE');
    expect(() => writer.flush()).toThrow(/database is locked/);
    expect(writer.queuedRows).toBe(2);
    other.exec('COMMIT');
    other.close();
    expect(writer.flush()).toBe(2);
    expect(db.prepare('SELECT ts FROM system_events ORDER BY id').pluck().all()).toEqual([1, 2]);
  });

  it('commits the good rows of a batch and reports the rows SQLite refused', () => {
    const db = newStore();
    const writer = new StoreWriter(db);
    writer.enqueue('fills', fill);
    writer.enqueue('fills', { ...fill, side: 'buy' } as unknown as FillRow);
    writer.enqueue('fills', { ...fill, trade_id: 999 });
    writer.enqueue('system_events', system(1));
    let refused: RefusedRowsError | undefined;
    try {
      writer.flush();
    } catch (error) {
      refused = error as RefusedRowsError;
    }
    expect(refused).toBeInstanceOf(RefusedRowsError);
    expect(refused!.message).toBe('store writer: 2 row(s) refused, first in fills: CHECK constraint failed: side IN (\'bid\', \'ask\')');
    expect(refused!.refused.map((r) => r.reason)).toEqual([
      "CHECK constraint failed: side IN ('bid', 'ask')",
      'FOREIGN KEY constraint failed',
    ]);
    expect(count(db, 'fills')).toBe(1);
    expect(count(db, 'system_events')).toBe(1);
    expect(writer.queuedRows).toBe(0);
  });

  it('uses an explicit trade_id over the cloid lookup, and leaves it null when nothing matches', () => {
    const db = newStore();
    const writer = new StoreWriter(db);
    writer.enqueue('trades', trade);
    writer.enqueue('trades', { ...trade, cloid: '0xb' });
    writer.enqueue('fills', { ...fill, cloid: '0xb', trade_id: 1 });
    writer.enqueue('fills', { ...fill, cloid: '0xb' });
    writer.enqueue('fills', { ...fill, cloid: '0xunknown' });
    writer.enqueue('fills', { ...fill, bot_id: 'other-bot' });
    writer.flush();
    expect(db.prepare('SELECT trade_id FROM fills ORDER BY id').pluck().all()).toEqual([1, 2, null, null]);
  });

  it('flushes on an interval, reports interval errors to onError, and stops on close', () => {
    vi.useFakeTimers();
    const db = newStore();
    const errors: Error[] = [];
    const writer = new StoreWriter(db, { flushIntervalMs: 100, onError: (error) => errors.push(error) });
    writer.enqueue('system_events', system(1));
    vi.advanceTimersByTime(99);
    expect(count(db, 'system_events')).toBe(0);
    vi.advanceTimersByTime(1);
    expect(count(db, 'system_events')).toBe(1);

    writer.enqueue('system_events', { ...system(2), severity: 'loud' } as unknown as SystemEventRow);
    vi.advanceTimersByTime(100);
    expect(errors.map((e) => e.message)).toEqual([expect.stringContaining('CHECK constraint failed')]);

    writer.enqueue('system_events', system(3));
    writer.close();
    expect(count(db, 'system_events')).toBe(2);
    expect(vi.getTimerCount()).toBe(0);
  });

  it('refuses an unknown table at enqueue', () => {
    const writer = new StoreWriter(newStore());
    expect(() => writer.enqueue('bots' as DataTable, system(1))).toThrow('store writer: unknown table bots');
    expect(writer.queuedRows).toBe(0);
  });
});
