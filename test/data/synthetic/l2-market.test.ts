import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { BookSnapshotEvent, MarketEvent, TradeEvent } from '../../../src/core/types.js';
import { BTC_CALIBRATION, ETH_CALIBRATION, type SyntheticCalibration } from '../../../src/data/synthetic/calibration.js';
import { syntheticL2Market, type L2MarketParams } from '../../../src/data/synthetic/l2-market.js';
import { measureMarket } from '../../../src/data/synthetic/measure-market.js';
import { UserInputError } from '../../../src/errors.js';

const START_MS = Date.UTC(2025, 0, 1);
const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;

function generate(coin: string, seed: number, durationMs: number): MarketEvent[] {
  return [...syntheticL2Market({ seed, coin, startMs: START_MS, durationMs })];
}

function isMultipleOf(value: number, decimals: number): boolean {
  const scaled = value * 10 ** decimals;
  return Math.abs(scaled - Math.round(scaled)) < 1e-6;
}

interface StreamCheck {
  readonly problems: string[];
  readonly trades: number;
}

/** Every invariant a consumer may rely on; collects the first problems instead of stopping at one. */
function checkStream(events: readonly MarketEvent[], calibration: SyntheticCalibration, durationMs: number): StreamCheck {
  const { tickDecimals, szDecimals } = calibration.params;
  const problems: string[] = [];
  const fail = (event: MarketEvent, what: string): void => {
    if (problems.length < 5) problems.push(`${event.type} at ${event.exchTs}: ${what}`);
  };
  if (events[0]?.type !== 'book' || events[0].exchTs !== START_MS) problems.push('the stream does not open with a book at startMs');
  let book: BookSnapshotEvent | undefined;
  let lastTs = START_MS;
  let lastTid = 0;
  let trades = 0;
  const taken = new Map<number, number>();
  for (const event of events) {
    if (event.coin !== calibration.coin) fail(event, `coin ${event.coin}`);
    if (event.exchTs < lastTs || event.exchTs > START_MS + durationMs) fail(event, 'time out of order or out of range');
    if (event.localTs !== event.exchTs) fail(event, 'localTs differs from exchTs');
    lastTs = event.exchTs;
    if (event.type === 'book') {
      checkBook(event, tickDecimals, szDecimals, (what) => fail(event, what));
      book = event;
      taken.clear();
    } else if (event.type === 'trade' && book !== undefined) {
      checkTrade(event, book, taken, tickDecimals, szDecimals, (what) => fail(event, what));
      if ((event.tid ?? 0) <= lastTid) fail(event, 'tid not increasing');
      lastTid = event.tid ?? 0;
      trades++;
    }
  }
  return { problems, trades };
}

function checkBook(book: BookSnapshotEvent, tickDecimals: number, szDecimals: number, fail: (what: string) => void): void {
  if ([book.bidPx, book.bidSz, book.askPx, book.askSz].some((a) => a.length !== 20)) fail('not 20 levels a side');
  if ((book.bidPx[0] ?? 0) >= (book.askPx[0] ?? 0)) fail('crossed or locked');
  for (let i = 0; i < 20; i++) {
    if (i > 0 && !((book.bidPx[i] ?? 0) < (book.bidPx[i - 1] ?? 0) && (book.askPx[i] ?? 0) > (book.askPx[i - 1] ?? 0))) {
      fail(`level ${i} not behind level ${i - 1}`);
    }
    for (const px of [book.bidPx[i] ?? 0, book.askPx[i] ?? 0]) if (!isMultipleOf(px, tickDecimals)) fail(`price ${px} off tick`);
    for (const sz of [book.bidSz[i] ?? 0, book.askSz[i] ?? 0]) if (!(sz > 0) || !isMultipleOf(sz, szDecimals)) fail(`size ${sz}`);
  }
}

/**
 * A trade takes resting size shown by the last push, never more than was shown at its price, and
 * prints beyond the touch only once every better level was taken completely.
 */
function checkTrade(
  trade: TradeEvent,
  book: BookSnapshotEvent,
  taken: Map<number, number>,
  tickDecimals: number,
  szDecimals: number,
  fail: (what: string) => void,
): void {
  const [prices, sizes] = trade.side === 'bid' ? [book.askPx, book.askSz] : [book.bidPx, book.bidSz];
  const level = prices.indexOf(trade.px);
  if (level < 0) return fail(`price ${trade.px} is not a level of the ${trade.side === 'bid' ? 'ask' : 'bid'} side`);
  if (!isMultipleOf(trade.px, tickDecimals) || !(trade.sz > 0) || !isMultipleOf(trade.sz, szDecimals)) fail('off tick or lot');
  const total = (taken.get(trade.px) ?? 0) + trade.sz;
  taken.set(trade.px, total);
  if (total > (sizes[level] ?? 0) + 1e-9) fail(`took ${total} at ${trade.px}, book showed ${sizes[level]}`);
  for (let better = 0; better < level; better++) {
    if (Math.abs((taken.get(prices[better] ?? 0) ?? 0) - (sizes[better] ?? 0)) > 1e-9) fail(`walked past level ${better} before it was empty`);
  }
}

describe('syntheticL2Market', () => {
  it('is a pure function of its seed: same seed, same stream; another seed, another stream', () => {
    const a = generate('BTC', 7, 5 * MINUTE_MS);
    const b = generate('BTC', 7, 5 * MINUTE_MS);
    const c = generate('BTC', 8, 5 * MINUTE_MS);
    expect(a.length).toBeGreaterThan(500);
    expect(b).toEqual(a);
    expect(c).not.toEqual(a);
  });

  it.each([BTC_CALIBRATION, ETH_CALIBRATION])('$coin: books are 20-level, uncrossed, tick- and lot-aligned; trades take what the book shows', (calibration) => {
    const { problems, trades } = checkStream(generate(calibration.coin, 3, HOUR_MS), calibration, HOUR_MS);
    expect(problems).toEqual([]);
    expect(trades).toBeGreaterThan(5000);
  });

  it('keeps those invariants for any seed and duration', () => {
    fc.assert(
      fc.property(fc.integer({ min: -1e9, max: 1e9 }), fc.integer({ min: 0, max: 2 * MINUTE_MS }), fc.constantFrom(BTC_CALIBRATION, ETH_CALIBRATION), (seed, durationMs, calibration) => {
        expect(checkStream(generate(calibration.coin, seed, durationMs), calibration, durationMs).problems).toEqual([]);
      }),
      { numRuns: 30 },
    );
  });

  it('walks past the touch now and then, printing at the next level', () => {
    const events = generate('BTC', 3, HOUR_MS);
    let walked = 0;
    let book: BookSnapshotEvent | undefined;
    for (const event of events) {
      if (event.type === 'book') book = event;
      else if (event.type === 'trade' && book !== undefined) {
        const touch = event.side === 'bid' ? book.askPx[0] : book.bidPx[0];
        if (event.px !== touch) walked++;
      }
    }
    expect(walked).toBeGreaterThan(50);
  });

  it('keeps the same price path when only the trade flow changes', () => {
    const touches = (params: L2MarketParams): string[] =>
      [...syntheticL2Market({ seed: 4, coin: 'BTC', startMs: START_MS, durationMs: 10 * MINUTE_MS, params })]
        .filter((event) => event.type === 'book')
        .map((book) => `${book.exchTs} ${book.bidPx[0]} ${book.askPx[0]}`);
    const busier = { ...BTC_CALIBRATION.params, takerOrderRatePerS: 5, printSizeMedian: 0.1 };
    expect(touches(busier)).toEqual(touches(BTC_CALIBRATION.params));
  });

  it('a zero duration gives the opening book only', () => {
    const events = generate('ETH', 1, 0);
    expect(events).toHaveLength(1);
    expect(events[0]?.type).toBe('book');
  });

  it('takes explicit parameters, e.g. another start price', () => {
    const params = { ...ETH_CALIBRATION.params, startPx: 2000 };
    const [first] = syntheticL2Market({ seed: 1, coin: 'ETH', startMs: 0, durationMs: 0, params });
    const book = first as BookSnapshotEvent;
    expect(((book.bidPx[0] ?? 0) + (book.askPx[0] ?? 0)) / 2).toBeCloseTo(2000, 0);
  });

  it('refuses, before the first event, a coin it has no calibration for, naming the ones it has', () => {
    const start = (): unknown => syntheticL2Market({ seed: 1, coin: 'DOGE', startMs: 0, durationMs: MINUTE_MS });
    expect(start).toThrow(UserInputError);
    expect(start).toThrow(/BTC, ETH/);
  });

  it.each([BTC_CALIBRATION, ETH_CALIBRATION])('$coin: a market maker quoting ±2 bps around the mid (requoting every 5 s) sees prints at or through its quotes', ({ coin }) => {
    let bidQuote = Number.NaN;
    let askQuote = Number.NaN;
    let requoteAt = START_MS;
    let fills = 0;
    for (const event of syntheticL2Market({ seed: 2, coin, startMs: START_MS, durationMs: HOUR_MS })) {
      if (event.type === 'book' && event.exchTs >= requoteAt) {
        const mid = ((event.bidPx[0] ?? 0) + (event.askPx[0] ?? 0)) / 2;
        bidQuote = mid * (1 - 2e-4);
        askQuote = mid * (1 + 2e-4);
        requoteAt = event.exchTs + 5000;
      } else if (event.type === 'trade' && ((event.side === 'ask' && event.px <= bidQuote) || (event.side === 'bid' && event.px >= askQuote))) {
        fills++;
      }
    }
    expect(fills).toBeGreaterThan(100);
  });
});

describe('a generated hour reproduces the calibration targets', () => {
  it.each([BTC_CALIBRATION, ETH_CALIBRATION])('$coin', ({ coin, params, target }) => {
    const stats = measureMarket(syntheticL2Market({ seed: 2024, coin, startMs: START_MS, durationMs: HOUR_MS }), {
      tick: 10 ** -params.tickDecimals,
    });
    const relative = (got: number, want: number): number => Math.abs(got / want - 1);
    expect(stats.crossedBooks).toBe(0);
    expect(relative(stats.pushIntervalMs.quantiles[5] ?? 0, target.pushIntervalMedianMs)).toBeLessThan(0.02);
    expect(stats.spreadTicks.median).toBe(target.spreadTicksMedian);
    expect(relative(stats.spreadBps.mean, target.spreadBpsMean)).toBeLessThan(0.15);
    expect(relative(stats.trades.ratePerS, target.tradeRatePerS)).toBeLessThan(0.15);
    expect(relative(stats.trades.sizeMedian, target.tradeSizeMedian)).toBeLessThan(0.2);
    expect(relative(stats.trades.sizeMean, target.tradeSizeMean)).toBeLessThan(0.25);
    expect(relative(stats.volatility.pushBpsPerSqrtS, target.volatilityPushBpsPerSqrtS)).toBeLessThan(0.15);
    expect(relative(stats.volatility.horizonBpsPerSqrtS, target.volatility10sBpsPerSqrtS)).toBeLessThan(0.15);
    expect(Math.abs(stats.volatility.zeroReturnFraction - target.zeroReturnFraction)).toBeLessThan(0.05);
    expect(Math.abs(stats.trades.buyFraction - 0.5)).toBeLessThan(0.04);
  });
});
