import { expect } from 'vitest';
import type {
  BotRiskParams,
  CoinRiskDecision,
  CoinRiskInput,
  CoinRiskParams,
  PositionExposure,
  RiskDecision,
  RiskInputs,
} from '../../../src/core/risk/risk-types.js';

/** Noon UTC, 1 January 2024: far enough from midnight for intraday tests. */
export const T0 = Date.UTC(2024, 0, 1, 12);

/** The seed-000 values. */
export const COIN_PARAMS: CoinRiskParams = {
  max_per_coin_notional: 400,
  bailout_partial_mae_bps: 30,
  bailout_partial_min_seconds: 90,
  bailout_partial_reduce_fraction: 0.33,
  bailout_full_mae_bps: 60,
  bailout_full_max_seconds: 180,
  take_profit_min_bps: 30,
  take_profit_min_usd: 25,
  enhanced_take_profit_enabled: true,
  emergency_take_profit_enabled: false,
  emergency_take_profit_min_usd: 25,
  flatten_max_slippage_bps: 6,
  stale_book_ms: 5000,
};

export const BOT_PARAMS: BotRiskParams = {
  max_gross_notional: 800,
  max_daily_loss: 50,
  margin_cap_mode: 'auto',
  assumed_leverage: 10,
  margin_cap_fraction: 0.2,
  portfolio_pause_threshold_pct: -0.08,
  emergency_stop_loss_pct: -0.15,
};

export function exposure(position = 0, avgEntry = 0, extra: Partial<PositionExposure> = {}): PositionExposure {
  return { position, avgEntry, maeBps: 0, underwaterSinceTs: null, episode: position === 0 ? 0 : 1, ...extra };
}

/** A coin with a fresh book 99.99 / 100.01 (mid 100) unless told otherwise. */
export function coin(now: number, overrides: Partial<CoinRiskInput> & { readonly mid?: number } = {}): CoinRiskInput {
  const { mid = 100, ...rest } = overrides;
  return {
    coin: 'BTC',
    params: COIN_PARAMS,
    exposure: exposure(),
    bestBid: mid - 0.01,
    bestAsk: mid + 0.01,
    lastBookTs: now,
    ...rest,
  };
}

export function inputs(now: number, overrides: Partial<RiskInputs> = {}): RiskInputs {
  return {
    params: BOT_PARAMS,
    coins: [coin(now)],
    equity: 1000,
    startingEquity: 1000,
    freeCollateral: 1000,
    desiredOrderNotional: 100,
    newApiErrors: 0,
    killSwitch: false,
    ...overrides,
  };
}

export function only(decision: RiskDecision): CoinRiskDecision {
  expect(decision.coins).toHaveLength(1);
  return decision.coins[0]!;
}

export function messages(decision: RiskDecision): string[] {
  return decision.events.map((event) => `${event.kind}: ${event.message}`);
}
