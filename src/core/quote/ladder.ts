import { UserInputError } from '../../errors.js';
import type { DesiredQuote, Side } from '../types.js';
import { postOnlyLimit, postOnlyPrice, type BestPrices } from './guards.js';
import { withNote, type QuoteNote } from './notes.js';
import { snapDown, snapUp, tickAbove, tickBelow } from './tick.js';

export interface LadderParams {
  readonly numLevels: number;
  readonly levelSpacingBps: number;
  /** Fraction of the side's size per level, closest first; one per level, summing to 1. */
  readonly levelSizeSplit: readonly number[];
  /** USD per side across all levels, converted to coins at the mid. */
  readonly orderSizeUsd: number;
  /** Shrink the side that adds to the position by |position| / max position. */
  readonly inventorySkewSize: boolean;
  readonly maxPositionUsd: number;
}

/** The market one side of the ladder is built at; QuoteInputs satisfies it. */
export interface LadderMarket extends BestPrices {
  readonly mid: number;
  readonly tick: number;
  readonly position: number;
}

const SPLIT_TOLERANCE = 1e-9;

/** The per-level size split: equal when not given; otherwise checked against the level count. */
export function levelSizeSplit(numLevels: number, split?: readonly number[]): readonly number[] {
  if (split === undefined) return Array.from({ length: numLevels }, () => 1 / numLevels);
  if (split.length !== numLevels) {
    throw new UserInputError(`level_size_split: has ${split.length} entries for ${numLevels} levels; give one fraction per level`);
  }
  if (split.some((part) => !(part > 0))) throw new UserInputError('level_size_split: every fraction must be above 0');
  const sum = split.reduce((total, part) => total + part, 0);
  if (Math.abs(sum - 1) > SPLIT_TOLERANCE) throw new UserInputError(`level_size_split: fractions sum to ${sum}; they must sum to 1`);
  return split;
}

/** 1 unless size skew is on and this side would grow the position; then 1 − |q|/max, floored at 0. */
function sizeScale(side: Side, params: LadderParams, position: number, mid: number): number {
  const addsToPosition = side === 'bid' ? position > 0 : position < 0;
  if (!params.inventorySkewSize || !addsToPosition) return 1;
  const maxPositionCoins = params.maxPositionUsd / mid;
  return maxPositionCoins > 0 ? Math.max(0, 1 - Math.abs(position) / maxPositionCoins) : 0;
}

/**
 * Appends one side of the ladder to `quotes`, closest level first: bid_i = r − halfSpread − i·spacing
 * and ask_i = r + halfSpread + i·spacing, snapped away from the mid (bids down, asks up) and kept
 * at least one tick apart so that a spacing finer than the tick cannot stack two orders. Each
 * price then passes the post-only guard before its quote is made, since a quote is never changed
 * once made; returns `notes` with a note for each level that guard moved.
 */
export function appendLadderSide(
  side: Side,
  params: LadderParams,
  market: LadderMarket,
  reservationPrice: number,
  halfSpread: number,
  quotes: DesiredQuote[],
  notes: readonly QuoteNote[],
): readonly QuoteNote[] {
  const { mid, tick } = market;
  const spacing = (params.levelSpacingBps * mid) / 1e4;
  const sideCoins = (params.orderSizeUsd / mid) * sizeScale(side, params, market.position, mid);
  const limit = postOnlyLimit(side, market, tick);
  let ladderPx = NaN;
  let postedPx = NaN;
  for (let level = 0; level < params.numLevels; level++) {
    ladderPx = ladderPrice(side, level, reservationPrice, halfSpread + level * spacing, ladderPx, tick);
    let px = ladderPx;
    if (limit !== undefined) {
      px = postOnlyPrice(side, level, ladderPx, limit, postedPx, tick);
      if (px !== ladderPx) notes = withNote(notes, { kind: 'postOnly', side, level, from: ladderPx, to: px });
    }
    quotes.push({ side, level, px, sz: sideCoins * (params.levelSizeSplit[level] ?? 0) });
    postedPx = px;
  }
  return notes;
}

/** A level's grid price at `offset` from the reservation price, a tick beyond the level before (`previous`) at least. */
function ladderPrice(side: Side, level: number, reservationPrice: number, offset: number, previous: number, tick: number): number {
  const px = side === 'bid' ? snapDown(reservationPrice - offset, tick) : snapUp(reservationPrice + offset, tick);
  if (level === 0) return px;
  return side === 'bid' ? Math.min(px, tickBelow(previous, tick)) : Math.max(px, tickAbove(previous, tick));
}
