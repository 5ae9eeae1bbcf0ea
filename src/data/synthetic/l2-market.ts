/**
 * A synthetic Hyperliquid-like market: 20-level book pushes at block cadence and the trades
 * between them, generated lazily from a seed (a day streams in constant memory).
 *
 * Model, per push interval:
 * - a fair price follows a Gaussian random walk in log space;
 * - makers re-centre the book only when the fair price is further than a threshold from the book
 *   mid, and then only part of the way (this is what makes real mids sit still for several pushes
 *   and trend over a few seconds); a re-centre draws a new spread;
 * - taker orders arrive as a Poisson process, buy or sell with equal chance, each one or several
 *   log-normal prints taken from the touch (walking to the next level when a level runs out);
 * - at the push, crossed levels are gone, resting levels persist or are refreshed, gaps and the
 *   tail are filled with fresh levels, and the snapshot shows that state.
 */
import { Rng } from '../../core/random.js';
import type { BookSnapshotEvent, MarketEvent, Side, TradeEvent } from '../../core/types.js';
import { BookSide, type BookShape } from './book-side.js';
import { calibratedL2Params } from './calibration.js';

export interface L2MarketParams {
  /** Price the market starts at. */
  readonly startPx: number;
  /** The tick is 10^-tickDecimals (Hyperliquid's 5-significant-figure tick at startPx). */
  readonly tickDecimals: number;
  /** The size lot is 10^-szDecimals (Hyperliquid's szDecimals). */
  readonly szDecimals: number;
  /** Inverse CDF of the push interval: [probability, ms] pairs, probabilities rising from 0 to 1. */
  readonly pushIntervalQuantilesMs: readonly (readonly [number, number])[];
  /** spreadTicksPmf[i] = chance of an (i + 1)-tick spread after a re-centre. */
  readonly spreadTicksPmf: readonly number[];
  /** Mean gap in ticks between level i and level i + 1 (levels - 1 values). */
  readonly levelGapMeanTicks: readonly number[];
  /** Mean and median size of a fresh level, by level index; sizes are log-normal with both. */
  readonly levelSizeMean: readonly number[];
  readonly levelSizeMedian: readonly number[];
  /** Chance per push that a resting level's size is redrawn rather than left as it is. */
  readonly levelRefreshProbability: number;
  /** Volatility of the fair price, bps per square root of a second. */
  readonly volatilityBpsPerSqrtS: number;
  /** The book re-centres when the fair price is more than this far from its mid… */
  readonly requoteThresholdBps: number;
  /** …and then moves this fraction of the distance. */
  readonly requoteFraction: number;
  /** Taker orders per second (each gives one or more prints at the same time and side). */
  readonly takerOrderRatePerS: number;
  readonly singlePrintOrderFraction: number;
  /** Mean number of prints of a taker order that has more than one. */
  readonly printsPerMultiPrintOrderMean: number;
  /** Print sizes are log-normal with this median and log-sd, capped at the max. */
  readonly printSizeMedian: number;
  readonly printSizeLogSd: number;
  readonly printSizeMax: number;
}

export interface L2MarketOptions {
  readonly seed: number;
  readonly coin: string;
  /** Time of the first push, ms. */
  readonly startMs: number;
  /** Pushes and trades are generated up to startMs + durationMs inclusive. */
  readonly durationMs: number;
  /** Defaults to the calibrated set for `coin` (BTC or ETH). */
  readonly params?: L2MarketParams;
}

/** The σ of a log-normal with the given median and mean (0 when the mean is not above the median). */
function logNormalSigma(median: number, mean: number): number {
  return mean > median ? Math.sqrt(2 * Math.log(mean / median)) : 0;
}

function bookShape(params: L2MarketParams, lotsPerUnit: number): BookShape {
  const levels = params.levelSizeMean.length;
  return {
    levels,
    gapMeanTicks: params.levelGapMeanTicks,
    sizeLogMedianLots: params.levelSizeMedian.map((median) => Math.log(median * lotsPerUnit)),
    sizeLogSd: params.levelSizeMedian.map((median, i) => logNormalSigma(median, params.levelSizeMean[i] ?? median)),
    refreshProbability: params.levelRefreshProbability,
  };
}

function cumulative(pmf: readonly number[]): Float64Array {
  const cdf = new Float64Array(pmf.length);
  let sum = 0;
  for (let i = 0; i < pmf.length; i++) {
    sum += pmf[i] ?? 0;
    cdf[i] = sum;
  }
  return cdf;
}

/** Draws from the [probability, value] inverse CDF by linear interpolation. */
function fromQuantiles(quantiles: readonly (readonly [number, number])[], u: number): number {
  for (let i = 1; i < quantiles.length; i++) {
    const [p1, v1] = quantiles[i] ?? [1, 0];
    if (u <= p1 || i === quantiles.length - 1) {
      const [p0, v0] = quantiles[i - 1] ?? [0, v1];
      return p1 > p0 ? v0 + ((u - p0) / (p1 - p0)) * (v1 - v0) : v1;
    }
  }
  return quantiles[0]?.[1] ?? 0;
}

/**
 * The market's event stream: a book at startMs, then trades and pushes in time order. Options are
 * checked here, before the first event is asked for.
 */
export function syntheticL2Market(options: L2MarketOptions): Generator<MarketEvent, void, undefined> {
  const { seed, startMs, durationMs } = options;
  if (!Number.isFinite(startMs) || !Number.isFinite(durationMs) || durationMs < 0) {
    throw new RangeError(`synthetic market needs a finite startMs and durationMs >= 0, got ${startMs} and ${durationMs}`);
  }
  return generate(options.coin, startMs, durationMs, options.params ?? calibratedL2Params(options.coin), new Rng(seed));
}

function* generate(coin: string, startMs: number, durationMs: number, params: L2MarketParams, rng: Rng): Generator<MarketEvent, void, undefined> {
  const ticksPerUnit = 10 ** params.tickDecimals;
  const lotsPerUnit = 10 ** params.szDecimals;
  const shape = bookShape(params, lotsPerUnit);
  // Separate streams: the price path does not move when book or trade parameters change.
  const priceRng = rng.split();
  const bookRng = rng.split();
  const flowRng = rng.split();
  const bids = new BookSide(-1, shape);
  const asks = new BookSide(1, shape);
  const spreadCdf = cumulative(params.spreadTicksPmf);
  const sigmaPerSqrtMs = params.volatilityBpsPerSqrtS / 1e4 / Math.sqrt(1000);
  const takerRatePerMs = params.takerOrderRatePerS / 1000;
  const printLogMedianLots = Math.log(params.printSizeMedian * lotsPerUnit);
  const printMaxLots = Math.max(1, Math.round(params.printSizeMax * lotsPerUnit));
  const endMs = startMs + durationMs;

  const drawSpread = (): number => {
    const u = priceRng.uniform() * (spreadCdf[spreadCdf.length - 1] ?? 1);
    let i = 0;
    while (i < spreadCdf.length - 1 && u >= (spreadCdf[i] ?? 1)) i++;
    return i + 1;
  };
  const drawPrintLots = (): number =>
    Math.min(printMaxLots, Math.max(1, Math.round(flowRng.logNormal(printLogMedianLots, params.printSizeLogSd))));
  const drawPrintCount = (): number =>
    flowRng.uniform() < params.singlePrintOrderFraction ? 1 : 1 + flowRng.geometric(params.printsPerMultiPrintOrderMean - 1);

  let fairLog = Math.log(params.startPx);
  let bidTouch = 0;
  let askTouch = 0;
  const recentre = (centreTicks: number): void => {
    const spread = drawSpread();
    bidTouch = Math.round(centreTicks - spread / 2);
    askTouch = bidTouch + spread;
  };
  const push = (ts: number): BookSnapshotEvent => {
    bids.repost(bidTouch, bookRng);
    asks.repost(askTouch, bookRng);
    const bid = bids.snapshot(ticksPerUnit, lotsPerUnit);
    const ask = asks.snapshot(ticksPerUnit, lotsPerUnit);
    return { type: 'book', coin, exchTs: ts, localTs: ts, bidPx: bid.px, bidSz: bid.sz, askPx: ask.px, askSz: ask.sz };
  };

  recentre(params.startPx * ticksPerUnit);
  let now = startMs;
  yield push(now);
  let nextTakerAt = now + flowRng.exponential(takerRatePerMs);
  let tid = 1;
  for (;;) {
    const next = now + Math.max(1, Math.round(fromQuantiles(params.pushIntervalQuantilesMs, priceRng.uniform())));
    if (next > endMs) return;
    while (nextTakerAt <= next) {
      const ts = Math.max(now + 1, Math.ceil(nextTakerAt));
      const side: Side = flowRng.uniform() < 0.5 ? 'bid' : 'ask';
      const makers = side === 'bid' ? asks : bids;
      for (let prints = drawPrintCount(); prints > 0; prints--) {
        let wanted = drawPrintLots();
        while (wanted > 0 && makers.levels > 0) {
          const tick = makers.touchTick;
          const taken = makers.takeFromTouch(wanted);
          wanted -= taken;
          const trade: TradeEvent = { type: 'trade', coin, exchTs: ts, localTs: ts, px: tick / ticksPerUnit, sz: taken / lotsPerUnit, side, tid: tid++ };
          yield trade;
        }
      }
      nextTakerAt += flowRng.exponential(takerRatePerMs);
    }
    fairLog += sigmaPerSqrtMs * Math.sqrt(next - now) * priceRng.normal();
    now = next;
    const fairTicks = Math.exp(fairLog) * ticksPerUnit;
    const centre = (bidTouch + askTouch) / 2;
    if (Math.abs(fairTicks / centre - 1) * 1e4 > params.requoteThresholdBps) {
      recentre(centre + params.requoteFraction * (fairTicks - centre));
    }
    yield push(now);
  }
}
