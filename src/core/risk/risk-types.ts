import type { Side } from '../types.js';

/**
 * ACTIVE: quote normally. REDUCING: only orders that shrink the position. HALTED: no quotes,
 * cancel everything resting (risk-reducing taker actions may still be returned).
 */
export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';

export type RiskSeverity = 'info' | 'warning' | 'critical';

export type RiskEventKind =
  | 'state'
  | 'kill_switch'
  | 'emergency_stop'
  | 'portfolio_pause'
  | 'daily_loss'
  | 'api_errors'
  | 'price_move_widen'
  | 'price_move_cancel'
  | 'stale_book'
  | 'coin_cap'
  | 'gross_cap'
  | 'margin_cap'
  | 'bailout_partial'
  | 'bailout_full'
  | 'take_profit';

/** A transition worth logging and storing: a rule firing or clearing, a state change. */
export interface RiskEvent {
  readonly ts: number;
  readonly severity: RiskSeverity;
  readonly kind: RiskEventKind;
  /** null for bot-wide events. */
  readonly coin: string | null;
  readonly message: string;
}

/** Whether one side of one coin may quote, and why (e.g. "bid: per-coin notional cap 400 USD reached (412 USD long)"). */
export interface SideVerdict {
  readonly allowed: boolean;
  /** When allowed: quotes must be reduce-only and no larger than the position. */
  readonly reduceOnly: boolean;
  readonly reason: string;
}

export type CloseCause =
  | 'kill_switch'
  | 'emergency_stop'
  | 'bailout_full'
  | 'bailout_partial'
  | 'emergency_take_profit'
  | 'take_profit';

/**
 * A taker or resting order the strategy should send, always reduce-only.
 * `Ioc`: try `pxChain` in order, each time with what is still unfilled, and stop when filled;
 * prices step from the touch toward the slippage cap (Hyperliquid has no market order, a
 * "market" order is an aggressive IOC limit). `Alo`: one resting limit at `pxChain[0]`.
 * Actions repeat on every evaluation while their condition holds: the executor must not stack
 * a second close on a coin that already has one in flight.
 */
export type RiskAction =
  | { readonly kind: 'cancelAll'; readonly coin: string; readonly reason: string }
  | {
      readonly kind: 'reduce';
      readonly coin: string;
      readonly side: Side;
      readonly sz: number;
      readonly tif: 'Ioc' | 'Alo';
      readonly pxChain: readonly number[];
      readonly cause: CloseCause;
      readonly reason: string;
    };

/** What the gate needs from a coin's ledger (CoinLedger satisfies it). */
export interface PositionExposure {
  readonly position: number;
  readonly avgEntry: number;
  readonly maeBps: number;
  readonly underwaterSinceTs: number | null;
  /** Changes whenever a new position opens; scopes the once-per-position partial bailout. */
  readonly episode: number;
}

/** Per-coin settings, named as the config keys (a merged coin config satisfies it). */
export interface CoinRiskParams {
  readonly max_per_coin_notional: number;
  readonly bailout_partial_mae_bps: number;
  readonly bailout_partial_min_seconds: number;
  readonly bailout_partial_reduce_fraction: number;
  readonly bailout_full_mae_bps: number;
  readonly bailout_full_max_seconds: number;
  readonly take_profit_min_bps: number;
  readonly take_profit_min_usd: number;
  readonly enhanced_take_profit_enabled: boolean;
  readonly emergency_take_profit_enabled: boolean;
  readonly emergency_take_profit_min_usd: number;
  readonly flatten_max_slippage_bps: number;
  readonly stale_book_ms: number;
}

/** Bot-wide settings, named as the config keys (a bot config satisfies it). */
export interface BotRiskParams {
  readonly max_gross_notional: number;
  readonly max_daily_loss: number;
  readonly margin_cap_mode: 'auto' | 'strict' | 'off';
  readonly assumed_leverage: number;
  readonly margin_cap_fraction: number;
  readonly portfolio_pause_threshold_pct: number;
  readonly emergency_stop_loss_pct: number;
}

export interface CoinRiskInput {
  readonly coin: string;
  readonly params: CoinRiskParams;
  readonly exposure: PositionExposure;
  /** Best bid and ask; NaN for an empty side. */
  readonly bestBid: number;
  readonly bestAsk: number;
  /** Local time of the last book update. */
  readonly lastBookTs: number;
}

export interface RiskInputs {
  readonly params: BotRiskParams;
  readonly coins: readonly CoinRiskInput[];
  /** Account value now (collateral + unrealized PnL), USD. */
  readonly equity: number;
  /** Equity the portfolio thresholds are measured against, USD (> 0). */
  readonly startingEquity: number;
  /** Collateral not used as margin, USD. */
  readonly freeCollateral: number;
  /** Notional of all quotes the strategy wants resting across the bot's coins, USD. */
  readonly desiredOrderNotional: number;
  /** API errors seen since the previous evaluation. */
  readonly newApiErrors: number;
  /** Operator's kill switch. */
  readonly killSwitch: boolean;
}

export interface CoinRiskDecision {
  readonly coin: string;
  readonly state: TradingState;
  readonly bid: SideVerdict;
  readonly ask: SideVerdict;
  /** Multiply the quoted spread by this (≥ 1). */
  readonly spreadMultiplier: number;
  /** Multiply quote sizes by this (0..1): the margin cap in auto mode. */
  readonly sizeMultiplier: number;
  readonly actions: readonly RiskAction[];
}

export interface RiskDecision {
  readonly state: TradingState;
  /** Why the bot is in this state ("ok" when ACTIVE). */
  readonly reason: string;
  /** In the order of `RiskInputs.coins`. */
  readonly coins: readonly CoinRiskDecision[];
  readonly events: readonly RiskEvent[];
}
