import { describe, expect, it } from 'vitest';
import type { BookSnapshotEvent, Side, TradeEvent } from '../../../src/core/types.js';
import { measureMarket } from '../../../src/data/synthetic/measure-market.js';

/** A two-level book: touch at bid/ask, second level one tick (1.0) further, sizes given best-first. */
function book(ts: number, bid: number, ask: number, sizes: [number, number] = [1, 2]): BookSnapshotEvent {
  return {
    type: 'book',
    coin: 'TEST',
    exchTs: ts,
    localTs: ts,
    bidPx: Float64Array.of(bid, bid - 1),
    bidSz: Float64Array.from(sizes),
    askPx: Float64Array.of(ask, ask + 1),
    askSz: Float64Array.from(sizes),
  };
}

function trade(ts: number, side: Side, px: number, sz: number): TradeEvent {
  return { type: 'trade', coin: 'TEST', exchTs: ts, localTs: ts, side, px, sz };
}

// Mids 100.5, 100.5, 101.5, 101.5 every 500 ms, a feed gap of 8.5 s, then 102.5 and 103.5.
const STREAM = [
  trade(-100, 'bid', 101, 50), // before the first push: not counted
  book(0, 100, 101),
  trade(200, 'bid', 101, 1),
  trade(200, 'bid', 102, 2), // same time and side: one taker order that walked a level
  book(500, 100, 101, [1, 3]),
  trade(700, 'ask', 100, 4),
  book(1000, 100, 103),
  book(1500, 101, 102),
  trade(5000, 'bid', 102, 9), // inside the gap: not counted
  book(10_000, 102, 103),
  book(10_500, 103, 104),
];

describe('measureMarket', () => {
  const stats = measureMarket(STREAM, { tick: 1, maxGapMs: 5000, horizonMs: 1000 });

  it('counts only time and trades covered by pushes no further apart than maxGapMs', () => {
    expect(stats.pushes).toBe(6);
    expect(stats.coveredSeconds).toBe(2);
    expect(stats.pushIntervalMs.mean).toBe(500);
    expect(stats.pushIntervalMs.quantiles[5]).toBe(500);
    expect(stats.trades.count).toBe(3);
    expect(stats.trades.ratePerS).toBe(1.5);
  });

  it('measures spreads in ticks and bps', () => {
    expect(stats.spreadTicks.median).toBe(1);
    expect(stats.spreadTicks.mean).toBeCloseTo(8 / 6, 12);
    expect(stats.spreadTicks.pmf).toEqual([5 / 6, 0, 1 / 6]);
    expect(stats.spreadBps.mean).toBeCloseTo((1e4 * (1 / 100.5 + 1 / 100.5 + 3 / 101.5 + 1 / 101.5 + 1 / 102.5 + 1 / 103.5)) / 6, 9);
  });

  it('measures the depth profile and how often a level keeps its size', () => {
    expect(stats.depth.meanSize[0]).toBe(1);
    expect(stats.depth.meanSize[1]).toBeCloseTo(13 / 6, 12);
    expect(stats.depth.meanGapTicks).toEqual([1]);
    // Shared levels between consecutive covered pushes, and how many kept their size.
    expect(stats.levelSizeUnchangedFraction).toBeCloseTo(3 / 10, 12);
  });

  it('measures volatility per √s at push cadence and over the horizon, and still mids', () => {
    const r = (a: number, b: number): number => Math.log(b / a) ** 2;
    const push = r(100.5, 101.5) + r(101.5, 101.5) + r(102.5, 103.5);
    expect(stats.volatility.pushBpsPerSqrtS).toBeCloseTo(Math.sqrt(push / 2) * 1e4, 9);
    const horizon = r(100.5, 101.5) + r(100.5, 101.5);
    expect(stats.volatility.horizonBpsPerSqrtS).toBeCloseTo(Math.sqrt(horizon / 2) * 1e4, 9);
    expect(stats.volatility.zeroReturnFraction).toBe(0.5);
  });

  it('measures print sizes, taker orders and the aggressor balance', () => {
    expect(stats.trades.takerOrderRatePerS).toBe(1);
    expect(stats.trades.printsPerOrderMean).toBe(1.5);
    expect(stats.trades.singlePrintOrderFraction).toBe(0.5);
    expect(stats.trades.multiPriceOrderFraction).toBe(0.5);
    expect(stats.trades.sizeMean).toBeCloseTo(7 / 3, 12);
    expect(stats.trades.sizeMedian).toBeCloseTo(2, 1);
    expect(stats.trades.sizeMax).toBe(4);
    expect(stats.trades.logSizeMean).toBeCloseTo(Math.log(8) / 3, 12);
    expect(stats.trades.buyFraction).toBeCloseTo(2 / 3, 12);
    expect(stats.trades.notionalPerS).toBeCloseTo((101 + 204 + 400) / 2, 9);
  });

  it('skips crossed books and counts them', () => {
    const crossed = measureMarket([book(0, 100, 101), book(500, 101, 100), book(1000, 100, 101)], { tick: 1 });
    expect(crossed.crossedBooks).toBe(1);
    expect(crossed.pushes).toBe(2);
  });
});
