import type { BookSnapshotEvent } from '../../core/types.js';
import { bookProblem } from './book-sanity.js';
import { parseDecimalString } from './decimal-string.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const MAX_DATE_MS = 8.64e15;

/** A time in ms that a Date can hold: a number from 0 up to 8.64e15. */
export function isEpochMs(value: unknown): value is number {
  return typeof value === 'number' && value >= 0 && value <= MAX_DATE_MS;
}

/** A decimal that Hyperliquid sends as a string (or, in some recorders, as a number). */
export function decimal(value: unknown): number {
  if (typeof value === 'number') return value;
  return typeof value === 'string' && value.length > 0 ? parseDecimalString(value) : Number.NaN;
}

/**
 * The `data` of a Hyperliquid l2Book frame as a snapshot event, or why it cannot be used.
 * `localTs` is the receive time when the source has one; otherwise the exchange time stands in.
 */
export function parseL2BookData(data: unknown, localTs: number | undefined): BookSnapshotEvent | string {
  if (!isRecord(data)) return 'l2Book frame without a "data" object';
  const { coin, time, levels } = data;
  if (typeof coin !== 'string' || coin.length === 0) return 'l2Book frame without a coin';
  if (!isEpochMs(time)) return 'l2Book frame without a "time" in ms';
  if (!Array.isArray(levels) || levels.length !== 2) return 'l2Book "levels" is not [bids, asks]';
  const [bidLevels, askLevels] = levels as unknown[];
  if (!Array.isArray(bidLevels) || !Array.isArray(askLevels)) return 'l2Book level without "px" and "sz"';
  const bidCount = bidLevels.length;
  const store = new Float64Array(2 * (bidCount + askLevels.length));
  const bids = store.subarray(0, 2 * bidCount);
  const asks = store.subarray(2 * bidCount);
  if (!fillSide(bidLevels, bids) || !fillSide(askLevels, asks)) return 'l2Book level without "px" and "sz"';
  return bookFromLevels(coin, time, localTs ?? time, store, bidCount);
}

/**
 * `length` numbers of `buffer` from number `first` on. Book levels are views made this way:
 * subarray() costs twice as much, and a day of books takes millions of views.
 */
export function float64View(buffer: ArrayBufferLike, first: number, length: number): Float64Array {
  return new Float64Array(buffer, first * Float64Array.BYTES_PER_ELEMENT, length);
}

/**
 * The snapshot whose levels are in `store` (bid prices, bid sizes, ask prices, ask sizes, back to
 * back, `bidCount` bids), or why it cannot be replayed. One buffer for the four columns: a backing
 * store per book instead of four.
 */
export function bookFromLevels(
  coin: string,
  exchTs: number,
  localTs: number,
  store: Float64Array,
  bidCount: number,
): BookSnapshotEvent | string {
  const askCount = store.length / 2 - bidCount;
  const first = store.byteOffset / Float64Array.BYTES_PER_ELEMENT;
  const bidPx = float64View(store.buffer, first, bidCount);
  const bidSz = float64View(store.buffer, first + bidCount, bidCount);
  const askPx = float64View(store.buffer, first + 2 * bidCount, askCount);
  const askSz = float64View(store.buffer, first + 2 * bidCount + askCount, askCount);
  const problem = bookProblem(bidPx, bidSz, askPx, askSz);
  if (problem !== undefined) return problem;
  return { type: 'book', coin, exchTs, localTs, bidPx, bidSz, askPx, askSz };
}

/** Copies the levels' prices, then their sizes, into `side`; false when a level is not `{px, sz}`. */
function fillSide(levels: readonly unknown[], side: Float64Array): boolean {
  const count = levels.length;
  for (let index = 0; index < count; index += 1) {
    const level: unknown = levels[index];
    if (!isRecord(level) || level.px === undefined || level.sz === undefined) return false;
    side[index] = decimal(level.px);
    side[count + index] = decimal(level.sz);
  }
  return true;
}
