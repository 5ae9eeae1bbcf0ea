import { pct, usd } from './format.js';
import type { BotRiskParams } from './risk-types.js';

export type Direction = 'long' | 'short' | 'flat';

export function directionOf(position: number): Direction {
  return position > 0 ? 'long' : position < 0 ? 'short' : 'flat';
}

/** Per-coin cap: reached when |position| × mark ≥ max_per_coin_notional. */
export function coinCapReason(position: number, markPx: number, cap: number): string | null {
  const notional = Math.abs(position) * markPx;
  if (notional < cap) return null;
  return `per-coin notional cap ${usd(cap)} reached (${usd(notional)} ${directionOf(position)})`;
}

/** Gross cap: reached when Σ |position| × mark over the bot's coins ≥ max_gross_notional. */
export function grossCapReason(grossNotional: number, cap: number): string | null {
  if (grossNotional < cap) return null;
  return `gross notional cap ${usd(cap)} reached (${usd(grossNotional)})`;
}

export interface MarginCapResult {
  /** Scale for quote sizes (auto mode); 1 otherwise. */
  readonly sizeMultiplier: number;
  /** Set when quoting is refused (strict mode beyond the cap, or auto mode with nothing to use). */
  readonly blockReason: string | null;
  /** Set whenever the desired orders are beyond the cap, whatever the mode does about it. */
  readonly beyondReason: string | null;
}

/** The common result, shared rather than rebuilt on every evaluation (the gate recognises it by identity). */
export const WITHIN_MARGIN_CAP: MarginCapResult = Object.freeze({ sizeMultiplier: 1, blockReason: null, beyondReason: null });

/**
 * Margin cap on resting orders. The margin they tie up is desiredOrderNotional / assumed_leverage;
 * it may be at most margin_cap_fraction × freeCollateral (negative collateral counts as 0).
 * - off: ignored.
 * - strict: beyond the cap, both sides of every coin are refused.
 * - auto: beyond the cap, sizes are scaled by cap / margin so the orders fit exactly; with no
 *   free collateral that scale is 0 and both sides are refused.
 */
export function marginCap(
  params: Pick<BotRiskParams, 'margin_cap_mode' | 'assumed_leverage' | 'margin_cap_fraction'>,
  freeCollateral: number,
  desiredOrderNotional: number,
): MarginCapResult {
  const allowed = params.margin_cap_fraction * Math.max(freeCollateral, 0);
  const margin = desiredOrderNotional / params.assumed_leverage;
  if (params.margin_cap_mode === 'off' || margin <= allowed) return WITHIN_MARGIN_CAP;
  const beyond =
    `margin cap: resting orders need ${usd(margin)} margin at ${params.assumed_leverage}x, beyond ` +
    `${pct(params.margin_cap_fraction)} of free collateral ${usd(freeCollateral)} (${usd(allowed)})`;
  if (params.margin_cap_mode === 'strict') return { sizeMultiplier: 1, blockReason: beyond, beyondReason: beyond };
  const sizeMultiplier = allowed / margin;
  if (sizeMultiplier === 0) return { sizeMultiplier, blockReason: beyond, beyondReason: beyond };
  return { sizeMultiplier, blockReason: null, beyondReason: `${beyond}; sizes scaled x${sizeMultiplier.toFixed(3)}` };
}

/**
 * A portfolio threshold (a negative return such as −0.08) is hit when equity − start ≤ threshold × start,
 * compared in USD so that a return of exactly the threshold counts despite float division.
 */
export function portfolioThresholdHit(equity: number, startingEquity: number, threshold: number): boolean {
  return equity - startingEquity <= threshold * startingEquity;
}
