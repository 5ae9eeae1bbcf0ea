import type { Side } from '../types.js';
import type { LadderLevel } from './ladder.js';
import { halfSpreadOfBps } from './model.js';
import type { QuoteNote, SpreadFloor } from './notes.js';
import { tickAbove, tickBelow } from './tick.js';

/** Hyperliquid refuses perp orders worth less than $10 (px × sz). */
export const HYPERLIQUID_MIN_NOTIONAL_USD = 10;

export interface SpreadGuardParams {
  readonly minSpreadBps: number;
  readonly maxSpreadBps: number;
  /** Fee rate per fill, positive = cost. */
  readonly makerFee: number;
  readonly minSpreadGuardEnabled: boolean;
  readonly minSpreadGuardBufferBps: number;
  readonly dynamicMinSpreadEnabled: boolean;
  readonly minNotionalUsd: number;
}

export interface BestPrices {
  readonly bestBid?: number;
  readonly bestAsk?: number;
}

/**
 * The widest of the minimum spreads that apply, in bps: min_spread_bps; when the guard is on,
 * the round-trip maker fees (2 × maker_fee) plus the buffer; when enabled, the dynamic minimum.
 */
export function minimumSpread(params: SpreadGuardParams, dynamicMinSpreadBps?: number): { bps: number; floor: SpreadFloor } {
  let bps = params.minSpreadBps;
  let floor: SpreadFloor = 'min_spread_bps';
  if (params.minSpreadGuardEnabled) {
    const breakEvenBps = 2 * params.makerFee * 1e4 + params.minSpreadGuardBufferBps;
    if (breakEvenBps > bps) {
      bps = breakEvenBps;
      floor = 'min_spread_guard';
    }
  }
  if (params.dynamicMinSpreadEnabled && dynamicMinSpreadBps !== undefined && dynamicMinSpreadBps > bps) {
    bps = dynamicMinSpreadBps;
    floor = 'dynamic_min_spread';
  }
  return { bps, floor };
}

/**
 * Bounds one side's half spread (around the reservation price, so the inventory skew survives).
 * First the cap: a side wider than max_spread_bps / 2 is pulled in to it. Then the minimums,
 * which win over the cap: a spread under the fee break-even loses money on every round trip,
 * and the config already refuses a min_spread_bps above max_spread_bps.
 */
export function guardHalfSpread(
  side: Side,
  halfSpread: number,
  mid: number,
  params: SpreadGuardParams,
  dynamicMinSpreadBps: number | undefined,
  notes: QuoteNote[],
): number {
  let guarded = halfSpread;
  const maxHalfSpread = halfSpreadOfBps(params.maxSpreadBps, mid);
  if (guarded > maxHalfSpread) {
    guarded = maxHalfSpread;
    notes.push({ kind: 'capped', side, spreadBps: params.maxSpreadBps });
  }
  const minimum = minimumSpread(params, dynamicMinSpreadBps);
  const minHalfSpread = halfSpreadOfBps(minimum.bps, mid);
  if (guarded < minHalfSpread) {
    guarded = minHalfSpread;
    notes.push({ kind: 'widened', side, floor: minimum.floor, spreadBps: minimum.bps });
  }
  return guarded;
}

/**
 * Post-only: a bid at or above the best ask moves to one tick under it, an ask at or below the
 * best bid to one tick over it; deeper levels stay a tick behind the level before them.
 */
export function enforcePostOnly(side: Side, levels: LadderLevel[], book: BestPrices, tick: number, notes: QuoteNote[]): void {
  const opposite = side === 'bid' ? book.bestAsk : book.bestBid;
  if (opposite === undefined) return;
  const limit = side === 'bid' ? tickBelow(opposite, tick) : tickAbove(opposite, tick);
  let previous = NaN;
  for (const level of levels) {
    let px = side === 'bid' ? Math.min(level.px, limit) : Math.max(level.px, limit);
    if (level.level > 0) px = side === 'bid' ? Math.min(px, tickBelow(previous, tick)) : Math.max(px, tickAbove(previous, tick));
    if (px !== level.px) {
      notes.push({ kind: 'postOnly', side, level: level.level, from: level.px, to: px });
      level.px = px;
    }
    previous = px;
  }
}

/** Keeps the levels the exchange would accept: size above zero and px × sz at least the minimum. */
export function dropSmallLevels(levels: readonly LadderLevel[], minNotionalUsd: number, notes: QuoteNote[]): LadderLevel[] {
  const kept: LadderLevel[] = [];
  for (const level of levels) {
    const notionalUsd = level.px * level.sz;
    if (!(level.sz > 0)) notes.push({ kind: 'zeroSize', side: level.side, level: level.level });
    else if (notionalUsd < minNotionalUsd) {
      notes.push({ kind: 'belowMinNotional', side: level.side, level: level.level, notionalUsd, minNotionalUsd });
    } else kept.push(level);
  }
  return kept;
}
