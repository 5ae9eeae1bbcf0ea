import type { BookSnapshotEvent } from '../../core/types.js';
import { bookProblem } from './book-sanity.js';

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
  return typeof value === 'string' && value.length > 0 ? Number(value) : Number.NaN;
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
  const bids = sideArrays(levels[0]);
  const asks = sideArrays(levels[1]);
  if (bids === undefined || asks === undefined) return 'l2Book level without "px" and "sz"';
  const problem = bookProblem(bids.px, bids.sz, asks.px, asks.sz);
  if (problem !== undefined) return problem;
  return {
    type: 'book',
    coin,
    exchTs: time,
    localTs: localTs ?? time,
    bidPx: bids.px,
    bidSz: bids.sz,
    askPx: asks.px,
    askSz: asks.sz,
  };
}

function sideArrays(levels: unknown): { px: Float64Array; sz: Float64Array } | undefined {
  if (!Array.isArray(levels)) return undefined;
  const px = new Float64Array(levels.length);
  const sz = new Float64Array(levels.length);
  for (let index = 0; index < levels.length; index += 1) {
    const level: unknown = levels[index];
    if (!isRecord(level) || level.px === undefined || level.sz === undefined) return undefined;
    px[index] = decimal(level.px);
    sz[index] = decimal(level.sz);
  }
  return { px, sz };
}
