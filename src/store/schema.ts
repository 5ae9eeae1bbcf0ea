import type { Side, Tif } from '../core/types.js';

/**
 * Row shapes of the data tables, keyed exactly like their columns (snake_case) so a row binds
 * to SQL without a mapping. Times are integer ms (`ts`); fees are positive for a cost; flags
 * may be given as booleans and are stored as 0/1. Optional fields are stored as NULL.
 * The SQL itself lives in migrations.ts.
 */

/** One order action or status change: a new row per step, never an update. */
export type TradeAction = 'place' | 'modify' | 'cancel' | 'ack' | 'reject' | 'fill' | 'canceled';

export interface TradeRow {
  readonly bot_id: string;
  readonly coin: string;
  readonly ts: number;
  readonly action: TradeAction;
  readonly oid?: number | null;
  readonly cloid?: string | null;
  readonly side?: Side | null;
  readonly price?: number | null;
  readonly size?: number | null;
  readonly tif?: Tif | null;
  readonly reduce_only?: boolean | null;
  /** Null when not known yet (before a fill). */
  readonly maker?: boolean | null;
  readonly position_before?: number | null;
  readonly position_after?: number | null;
  readonly fee?: number | null;
  readonly realized_pnl?: number | null;
  readonly status?: string | null;
  readonly message?: string | null;
}

export interface OrderbookSnapshotRow {
  readonly bot_id: string;
  readonly coin: string;
  readonly ts: number;
  readonly best_bid?: number | null;
  readonly best_ask?: number | null;
  readonly bid_size?: number | null;
  readonly ask_size?: number | null;
  readonly spread_bps?: number | null;
  readonly mid?: number | null;
  readonly source: 'ws' | 'rest' | 'sim';
  /** The order placed at that moment; when absent the writer looks it up by `cloid`. */
  readonly trade_id?: number | null;
  readonly cloid?: string | null;
}

export interface FillRow {
  readonly bot_id: string;
  readonly coin: string;
  readonly ts: number;
  /** The order's row in trades; when absent the writer looks it up by `cloid`. */
  readonly trade_id?: number | null;
  readonly oid?: number | null;
  readonly cloid?: string | null;
  readonly tid?: number | null;
  readonly side: Side;
  readonly price: number;
  readonly size: number;
  /** Positive = cost, negative = rebate, quote currency. */
  readonly fee: number;
  readonly maker: boolean;
  /** PnL this fill realizes, before fees. */
  readonly realized_pnl: number;
  readonly position_after?: number | null;
  readonly avg_entry_after?: number | null;
}

/** A ledger snapshot; realized_pnl, fees and funding are running totals since the bot's first run. */
export interface PnlTrackingRow {
  readonly bot_id: string;
  readonly coin: string;
  readonly ts: number;
  readonly position: number;
  readonly avg_entry?: number | null;
  readonly mark_price?: number | null;
  readonly notional?: number | null;
  readonly realized_pnl: number;
  readonly unrealized_pnl?: number | null;
  readonly fees: number;
  /** Positive = received. */
  readonly funding: number;
}

/** One minute of one coin; `ts` is the minute's start. */
export interface PerformanceMetricsRow {
  readonly bot_id: string;
  readonly coin: string;
  readonly ts: number;
  readonly maker_fills: number;
  readonly taker_fills: number;
  readonly maker_ratio?: number | null;
  readonly pnl: number;
  readonly fees: number;
  readonly orders_placed: number;
  readonly orders_cancelled: number;
  readonly avg_spread_bps?: number | null;
  readonly avg_latency_ms?: number | null;
}

export const severities = ['debug', 'info', 'warning', 'error', 'critical'] as const;
export type Severity = (typeof severities)[number];

export interface SystemEventRow {
  readonly bot_id: string;
  readonly coin?: string | null;
  readonly ts: number;
  readonly severity: Severity;
  readonly kind: string;
  readonly message: string;
  /** JSON text. */
  readonly details?: string | null;
}

export interface RateLimitUsageRow {
  readonly bot_id: string;
  readonly ts: number;
  readonly ws_used: number;
  readonly ws_capacity: number;
  readonly rest_used: number;
  readonly rest_capacity: number;
  readonly usage_pct: number;
  readonly critical: boolean;
}

/** The tables the engine appends to, each with its row shape. */
export interface DataTableRows {
  trades: TradeRow;
  orderbook_snapshots: OrderbookSnapshotRow;
  fills: FillRow;
  pnl_tracking: PnlTrackingRow;
  performance_metrics: PerformanceMetricsRow;
  system_events: SystemEventRow;
  rate_limit_usage: RateLimitUsageRow;
}

export type DataTable = keyof DataTableRows;

export const dataTables: readonly DataTable[] = [
  'trades',
  'orderbook_snapshots',
  'fills',
  'pnl_tracking',
  'performance_metrics',
  'system_events',
  'rate_limit_usage',
];

/** Every table of a hypermm database, in the order `db info` lists them. */
export const allTables: readonly string[] = [...dataTables, 'bots', 'schema_version'];
