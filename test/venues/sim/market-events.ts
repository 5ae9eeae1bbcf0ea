/** Small builders for the market events and orders the simulator tests feed in. */
import type { BookSnapshotEvent, FundingEvent, OrderRequest, Side, Tif, TradeEvent } from '../../../src/core/types.js';

export type Level = readonly [px: number, sz: number];

export function book(exchTs: number, bids: readonly Level[], asks: readonly Level[], coin = 'ETH'): BookSnapshotEvent {
  return {
    type: 'book',
    coin,
    exchTs,
    localTs: exchTs,
    bidPx: Float64Array.from(bids, ([px]) => px),
    bidSz: Float64Array.from(bids, ([, sz]) => sz),
    askPx: Float64Array.from(asks, ([px]) => px),
    askSz: Float64Array.from(asks, ([, sz]) => sz),
  };
}

/** `aggressor` 'ask' = a seller hitting bids, 'bid' = a buyer lifting asks. */
export function trade(exchTs: number, px: number, sz: number, aggressor: Side, coin = 'ETH'): TradeEvent {
  return { type: 'trade', coin, exchTs, localTs: exchTs, px, sz, side: aggressor };
}

export function funding(exchTs: number, rate: number, oraclePx?: number, coin = 'ETH'): FundingEvent {
  return { type: 'funding', coin, exchTs, localTs: exchTs, rate, ...(oraclePx === undefined ? {} : { oraclePx }) };
}

let cloidCounter = 0;

/** A unique cloid: "0x" and 32 hex digits. */
export function nextCloid(): string {
  cloidCounter++;
  return `0x${cloidCounter.toString(16).padStart(32, '0')}`;
}

export function order(
  side: Side,
  px: number,
  sz: number,
  tif: Tif,
  extra: { readonly reduceOnly?: boolean; readonly coin?: string; readonly cloid?: string } = {},
): OrderRequest {
  return {
    cloid: extra.cloid ?? nextCloid(),
    coin: extra.coin ?? 'ETH',
    side,
    px,
    sz,
    tif,
    reduceOnly: extra.reduceOnly ?? false,
  };
}
