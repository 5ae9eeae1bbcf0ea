import type { DesiredQuote, Side } from '../types.js';
import { halfSpreadOfBps } from './model.js';
import { cappedNotes, NO_NOTES, widenedNotes, withNote, type CappedNote, type QuoteNote, type SpreadFloor, type WidenedNote } from './notes.js';
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

/** The bounds the spread guards applied to one side, in order: the cap, then the minimum. */
export type SpreadNote = CappedNote | WidenedNote;

/**
 * Bounds one side's half spread (around the reservation price, so the inventory skew survives)
 * and returns the bounds that applied as notes; guardedHalfSpread reads the result from them.
 * First the cap: a side wider than max_spread_bps / 2 is pulled in to it. Then the minimum,
 * which wins over the cap: a spread under the fee break-even loses money on every round trip,
 * and the config already refuses a min_spread_bps above max_spread_bps. The minimum is the widest
 * that applies, in bps: min_spread_bps; when the guard is on, the round-trip maker fees
 * (2 × maker_fee) plus the buffer; when enabled, the dynamic minimum.
 */
export function spreadGuardNotes(
  side: Side,
  halfSpread: number,
  mid: number,
  params: SpreadGuardParams,
  dynamicMinSpreadBps: number | undefined,
): readonly SpreadNote[] {
  const maxHalfSpread = halfSpreadOfBps(params.maxSpreadBps, mid);
  const capped = halfSpread > maxHalfSpread;
  let minBps = params.minSpreadBps;
  let floor: SpreadFloor = 'min_spread_bps';
  if (params.minSpreadGuardEnabled) {
    const breakEvenBps = 2 * params.makerFee * 1e4 + params.minSpreadGuardBufferBps;
    if (breakEvenBps > minBps) {
      minBps = breakEvenBps;
      floor = 'min_spread_guard';
    }
  }
  if (params.dynamicMinSpreadEnabled && dynamicMinSpreadBps !== undefined && dynamicMinSpreadBps > minBps) {
    minBps = dynamicMinSpreadBps;
    floor = 'dynamic_min_spread';
  }
  const widened = (capped ? maxHalfSpread : halfSpread) < halfSpreadOfBps(minBps, mid);
  if (!widened) return capped ? cappedNotes(side, params.maxSpreadBps) : NO_NOTES;
  const widenedNote = widenedNotes(side, floor, minBps);
  return capped ? Object.freeze([cappedNotes(side, params.maxSpreadBps)[0], widenedNote[0]]) : widenedNote;
}

/** The half spread after the guards: the spread of the last bound that applied, else the side's own. */
export function guardedHalfSpread(halfSpread: number, mid: number, notes: readonly SpreadNote[]): number {
  if (notes.length === 0) return halfSpread;
  return halfSpreadOfBps(notes[notes.length - 1]!.spreadBps, mid);
}

/** The highest bid, or the lowest ask, that does not cross the book; undefined when the opposite side is empty. */
export function postOnlyLimit(side: Side, book: BestPrices, tick: number): number | undefined {
  const opposite = side === 'bid' ? book.bestAsk : book.bestBid;
  if (opposite === undefined) return undefined;
  return side === 'bid' ? tickBelow(opposite, tick) : tickAbove(opposite, tick);
}

/**
 * Post-only: a bid above the limit moves to it, an ask below it likewise; deeper levels stay a
 * tick behind the level before them after its move (`previous`, NaN for level 0).
 */
export function postOnlyPrice(side: Side, level: number, px: number, limit: number, previous: number, tick: number): number {
  const held = side === 'bid' ? Math.min(px, limit) : Math.max(px, limit);
  if (level === 0) return held;
  return side === 'bid' ? Math.min(held, tickBelow(previous, tick)) : Math.max(held, tickAbove(previous, tick));
}

/**
 * Keeps the levels the exchange would accept, size above zero and px × sz at least the minimum:
 * removes the others from quotes[from…] in place, in order, and returns `notes` with their reasons.
 */
export function dropSmallLevels(quotes: DesiredQuote[], from: number, minNotionalUsd: number, notes: readonly QuoteNote[]): readonly QuoteNote[] {
  let kept = from;
  for (let index = from; index < quotes.length; index++) {
    const quote = quotes[index]!;
    const notionalUsd = quote.px * quote.sz;
    if (!(quote.sz > 0)) notes = withNote(notes, { kind: 'zeroSize', side: quote.side, level: quote.level });
    else if (notionalUsd < minNotionalUsd) {
      notes = withNote(notes, { kind: 'belowMinNotional', side: quote.side, level: quote.level, notionalUsd, minNotionalUsd });
    } else quotes[kept++] = quote;
  }
  if (kept < quotes.length) quotes.length = kept;
  return notes;
}
