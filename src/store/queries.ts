import type Database from 'better-sqlite3';
import { severities, type Severity } from './schema.js';

/** The window [now - hours, now]; `now` is ms from the caller's clock, never read here. */
export interface QueryWindow {
  readonly hours: number;
  readonly now: number;
}

export interface CoinPnlSummary {
  readonly coin: string;
  readonly fills: number;
  readonly makerFills: number;
  /** Traded notional, quote currency. */
  readonly volume: number;
  /** Realized by fills, before fees. */
  readonly realizedPnl: number;
  /** Positive = cost. */
  readonly fees: number;
  /** Received minus paid over the window (from the running total in pnl_tracking). */
  readonly funding: number;
  /** realizedPnl - fees + funding. */
  readonly net: number;
  /** Position after the coin's last fill in the window; null when unknown. */
  readonly lastPosition: number | null;
}

export interface BotPerformanceSummary {
  readonly fills: number;
  readonly makerFills: number;
  readonly takerFills: number;
  /** makerFills / fills; null without fills. */
  readonly makerRatio: number | null;
  readonly volume: number;
  readonly realizedPnl: number;
  readonly fees: number;
  readonly funding: number;
  readonly net: number;
  /** Orders sent: place and modify rows (a modify places a new order). */
  readonly ordersPlaced: number;
  readonly ordersCancelled: number;
}

export interface SystemEventRecord {
  readonly ts: number;
  readonly coin: string | null;
  readonly severity: Severity;
  readonly kind: string;
  readonly message: string;
  /** JSON text as stored. */
  readonly details: string | null;
}

function windowParams(botId: string, window: QueryWindow): { botId: string; since: number; now: number } {
  return { botId, since: window.now - window.hours * 3_600_000, now: window.now };
}

const fillsByCoinSql = `
SELECT coin,
  COUNT(*) AS fills,
  TOTAL(maker) AS makerFills,
  TOTAL(price * size) AS volume,
  TOTAL(realized_pnl) AS realizedPnl,
  TOTAL(fee) AS fees,
  (SELECT last.position_after FROM fills AS last
    WHERE last.bot_id = @botId AND last.coin = f.coin AND last.ts BETWEEN @since AND @now
    ORDER BY last.ts DESC, last.id DESC LIMIT 1) AS lastPosition
FROM fills AS f
WHERE bot_id = @botId AND ts BETWEEN @since AND @now
GROUP BY coin`;

// pnl_tracking.funding is a running total: the window's funding is its last value minus the
// last value before the window.
const fundingByCoinSql = `
SELECT c.coin,
  (SELECT p.funding FROM pnl_tracking AS p
    WHERE p.bot_id = @botId AND p.coin = c.coin AND p.ts <= @now ORDER BY p.ts DESC, p.id DESC LIMIT 1)
  - COALESCE((SELECT p.funding FROM pnl_tracking AS p
    WHERE p.bot_id = @botId AND p.coin = c.coin AND p.ts < @since ORDER BY p.ts DESC, p.id DESC LIMIT 1), 0) AS funding
FROM (SELECT DISTINCT coin FROM pnl_tracking WHERE bot_id = @botId AND ts BETWEEN @since AND @now) AS c`;

/** Per coin with fills or PnL snapshots in the window, by coin name. */
export function pnlSummaryByCoin(db: Database.Database, botId: string, window: QueryWindow): CoinPnlSummary[] {
  const params = windowParams(botId, window);
  type FillTotals = Omit<CoinPnlSummary, 'funding' | 'net'>;
  const fills = new Map((db.prepare(fillsByCoinSql).all(params) as FillTotals[]).map((row) => [row.coin, row]));
  const funding = new Map(
    (db.prepare(fundingByCoinSql).all(params) as { coin: string; funding: number }[]).map((row) => [row.coin, row.funding]),
  );
  const coins = [...new Set([...fills.keys(), ...funding.keys()])].sort();
  return coins.map((coin) => {
    const totals = fills.get(coin) ?? { coin, fills: 0, makerFills: 0, volume: 0, realizedPnl: 0, fees: 0, lastPosition: null };
    const coinFunding = funding.get(coin) ?? 0;
    return { ...totals, funding: coinFunding, net: totals.realizedPnl - totals.fees + coinFunding };
  });
}

/** The bot's totals over every coin in the window. */
export function botPerformanceSummary(db: Database.Database, botId: string, window: QueryWindow): BotPerformanceSummary {
  const coins = pnlSummaryByCoin(db, botId, window);
  const sum = (pick: (coin: CoinPnlSummary) => number): number => coins.reduce((total, coin) => total + pick(coin), 0);
  const orders = db
    .prepare(
      `SELECT TOTAL(action IN ('place', 'modify')) AS ordersPlaced, TOTAL(action = 'cancel') AS ordersCancelled
       FROM trades WHERE bot_id = @botId AND ts BETWEEN @since AND @now`,
    )
    .get(windowParams(botId, window)) as { ordersPlaced: number; ordersCancelled: number };
  const fills = sum((c) => c.fills);
  const makerFills = sum((c) => c.makerFills);
  return {
    fills,
    makerFills,
    takerFills: fills - makerFills,
    makerRatio: fills === 0 ? null : makerFills / fills,
    volume: sum((c) => c.volume),
    realizedPnl: sum((c) => c.realizedPnl),
    fees: sum((c) => c.fees),
    funding: sum((c) => c.funding),
    net: sum((c) => c.net),
    ...orders,
  };
}

export interface SystemEventQuery extends QueryWindow {
  /** Only events at least this severe; default all. */
  readonly minSeverity?: Severity;
  /** Default 100. */
  readonly limit?: number;
}

/** The bot's events in the window, newest first. */
export function recentSystemEvents(db: Database.Database, botId: string, query: SystemEventQuery): SystemEventRecord[] {
  const wanted = severities.slice(severities.indexOf(query.minSeverity ?? 'debug'));
  return db
    .prepare(
      `SELECT ts, coin, severity, kind, message, details FROM system_events
       WHERE bot_id = @botId AND ts BETWEEN @since AND @now AND severity IN (SELECT value FROM json_each(@wanted))
       ORDER BY ts DESC, id DESC LIMIT @limit`,
    )
    .all({ ...windowParams(botId, query), wanted: JSON.stringify(wanted), limit: query.limit ?? 100 }) as SystemEventRecord[];
}
