/**
 * The statistics a synthetic market is calibrated on, measured from any MarketEvent stream
 * (real recordings and generated markets alike, so the two can be compared number for number).
 * Streaming: memory does not grow with the length of the stream.
 */
import type { BookSnapshotEvent, MarketEvent, TradeEvent } from '../../core/types.js';
import { LogHistogram } from './log-histogram.js';

export interface MeasureOptions {
  /** Price tick of the coin, to express spreads and level gaps in ticks. */
  readonly tick: number;
  /** A push interval longer than this is a feed gap: it and the trades inside it are not counted. */
  readonly maxGapMs?: number;
  /** Horizon of the second volatility estimate (overlapping returns over at least this long). */
  readonly horizonMs?: number;
}

/** Probabilities at which push intervals are reported (also the grid of L2MarketParams). */
export const PUSH_INTERVAL_PROBABILITIES: readonly number[] = [0, 0.01, 0.05, 0.1, 0.25, 0.5, 0.75, 0.9, 0.95, 0.99, 1];

export interface MarketStatistics {
  /** Seconds covered by consecutive pushes no further apart than maxGapMs. */
  readonly coveredSeconds: number;
  readonly pushes: number;
  readonly crossedBooks: number;
  readonly pushIntervalMs: { readonly mean: number; readonly quantiles: readonly number[] };
  /** pmf[i] = share of pushes whose spread is i + 1 ticks; the last entry also holds wider spreads. */
  readonly spreadTicks: { readonly median: number; readonly mean: number; readonly pmf: readonly number[] };
  readonly spreadBps: { readonly median: number; readonly mean: number };
  /** Bid and ask pooled, by level index (0 = touch), up to the deepest level seen (at most 20). */
  readonly depth: {
    readonly meanSize: readonly number[];
    readonly medianSize: readonly number[];
    readonly meanGapTicks: readonly number[];
  };
  /** Of the price levels present in two consecutive pushes, the share whose size did not change. */
  readonly levelSizeUnchangedFraction: number;
  readonly volatility: {
    /** sqrt(sum of squared mid log returns / seconds), returns between consecutive pushes. */
    readonly pushBpsPerSqrtS: number;
    /** The same from overlapping returns over `horizonMs`. */
    readonly horizonBpsPerSqrtS: number;
    readonly horizonMs: number;
    /** Share of consecutive pushes with an unchanged mid. */
    readonly zeroReturnFraction: number;
  };
  readonly trades: {
    readonly count: number;
    readonly ratePerS: number;
    /** A taker order = consecutive prints with the same time and aggressor side. */
    readonly takerOrderRatePerS: number;
    readonly printsPerOrderMean: number;
    readonly singlePrintOrderFraction: number;
    readonly multiPriceOrderFraction: number;
    readonly sizeMean: number;
    readonly sizeMedian: number;
    readonly sizeMax: number;
    /** Mean and standard deviation of ln(size). */
    readonly logSizeMean: number;
    readonly logSizeSd: number;
    readonly buyFraction: number;
    readonly notionalPerS: number;
  };
}

const LEVELS = 20;
const SPREAD_PMF_TICKS = 64;
const HORIZON_RING = 4096;

/** Accumulates statistics event by event; call `result()` at any time. */
export class MarketMeasurer {
  private readonly tick: number;
  private readonly maxGapMs: number;
  private readonly horizonMs: number;

  private coveredMs = 0;
  private pushes = 0;
  private crossed = 0;
  private previous: BookSnapshotEvent | undefined;
  private previousLogMid = 0;
  private readonly intervalCounts: Float64Array;
  private intervals = 0;
  private intervalSum = 0;

  private readonly spreadCounts = new Float64Array(SPREAD_PMF_TICKS);
  private spreadTickSum = 0;
  private spreadBpsSum = 0;
  private readonly spreadBpsHistogram = new LogHistogram();

  private readonly depthSum = new Float64Array(LEVELS);
  private readonly depthCount = new Float64Array(LEVELS);
  private readonly depthHistograms = Array.from({ length: LEVELS }, () => new LogHistogram());
  private readonly gapSum = new Float64Array(LEVELS - 1);
  private readonly gapCount = new Float64Array(LEVELS - 1);
  private sharedLevels = 0;
  private unchangedLevels = 0;

  private returnSquares = 0;
  private returnSeconds = 0;
  private returns = 0;
  private zeroReturns = 0;
  private readonly ringTs = new Float64Array(HORIZON_RING);
  private readonly ringLogMid = new Float64Array(HORIZON_RING);
  private ringEnd = 0;
  private ringStart = 0;
  private anchor = 0;
  private horizonSquares = 0;
  private horizonSeconds = 0;

  /** Trades since the last push; counted only once the next push shows the interval is no gap. */
  private readonly pending: TradeEvent[] = [];
  private tradeCount = 0;
  private buys = 0;
  private sizeSum = 0;
  private sizeMax = 0;
  private logSizeSum = 0;
  private logSizeSquares = 0;
  private notional = 0;
  private readonly sizeHistogram = new LogHistogram();
  private orders = 0;
  private singlePrintOrders = 0;
  private multiPriceOrders = 0;
  private orderTs = Number.NaN;
  private orderSide = '';
  private orderPrints = 0;
  private orderPrice = Number.NaN;
  private orderMultiPrice = false;

  constructor(options: MeasureOptions) {
    this.tick = options.tick;
    this.maxGapMs = options.maxGapMs ?? 5000;
    this.horizonMs = options.horizonMs ?? 10_000;
    this.intervalCounts = new Float64Array(this.maxGapMs + 1);
  }

  add(event: MarketEvent): void {
    if (event.type === 'book') this.addBook(event);
    else if (event.type === 'trade') this.pending.push(event);
  }

  private addBook(book: BookSnapshotEvent): void {
    const bestBid = book.bidPx[0];
    const bestAsk = book.askPx[0];
    if (bestBid === undefined || bestAsk === undefined) return;
    if (bestAsk <= bestBid) {
      this.crossed++;
      return;
    }
    const logMid = Math.log((bestBid + bestAsk) / 2);
    const previous = this.previous;
    const interval = previous === undefined ? Number.POSITIVE_INFINITY : book.exchTs - previous.exchTs;
    if (previous !== undefined && interval <= this.maxGapMs) {
      this.addInterval(interval, logMid, previous, book);
    } else {
      this.ringStart = this.ringEnd;
      this.anchor = this.ringEnd;
    }
    this.pending.length = 0;
    this.addHorizonPoint(book.exchTs, logMid);
    this.addShape(book, bestBid, bestAsk);
    this.previous = book;
    this.previousLogMid = logMid;
  }

  private addInterval(interval: number, logMid: number, previous: BookSnapshotEvent, book: BookSnapshotEvent): void {
    this.coveredMs += interval;
    const intervalMs = Math.max(0, Math.round(interval));
    this.intervalCounts[intervalMs] = (this.intervalCounts[intervalMs] ?? 0) + 1;
    this.intervals++;
    this.intervalSum += interval;
    const r = logMid - this.previousLogMid;
    this.returnSquares += r * r;
    this.returnSeconds += interval / 1000;
    this.returns++;
    if (r === 0) this.zeroReturns++;
    this.compareLevels(previous.bidPx, previous.bidSz, book.bidPx, book.bidSz, -1);
    this.compareLevels(previous.askPx, previous.askSz, book.askPx, book.askSz, 1);
    for (const trade of this.pending) this.addTrade(trade);
  }

  /** Overlapping returns: each push pairs with the latest earlier push at least horizonMs before it. */
  private addHorizonPoint(ts: number, logMid: number): void {
    const slot = this.ringEnd % HORIZON_RING;
    this.ringTs[slot] = ts;
    this.ringLogMid[slot] = logMid;
    this.ringEnd++;
    if (this.ringEnd - this.ringStart > HORIZON_RING) this.ringStart = this.ringEnd - HORIZON_RING;
    if (this.anchor < this.ringStart) this.anchor = this.ringStart;
    while (this.anchor + 1 < this.ringEnd && ts - (this.ringTs[(this.anchor + 1) % HORIZON_RING] ?? 0) >= this.horizonMs) {
      this.anchor++;
    }
    const anchorTs = this.ringTs[this.anchor % HORIZON_RING] ?? ts;
    if (this.anchor < this.ringEnd - 1 && ts - anchorTs >= this.horizonMs) {
      const r = logMid - (this.ringLogMid[this.anchor % HORIZON_RING] ?? logMid);
      this.horizonSquares += r * r;
      this.horizonSeconds += (ts - anchorTs) / 1000;
    }
  }

  private addShape(book: BookSnapshotEvent, bestBid: number, bestAsk: number): void {
    this.pushes++;
    const spreadTicks = Math.round((bestAsk - bestBid) / this.tick);
    const spreadBin = Math.min(SPREAD_PMF_TICKS, Math.max(1, spreadTicks)) - 1;
    this.spreadCounts[spreadBin] = (this.spreadCounts[spreadBin] ?? 0) + 1;
    this.spreadTickSum += spreadTicks;
    const spreadBps = ((bestAsk - bestBid) / ((bestAsk + bestBid) / 2)) * 1e4;
    this.spreadBpsSum += spreadBps;
    this.spreadBpsHistogram.add(spreadBps);
    this.addSide(book.bidPx, book.bidSz);
    this.addSide(book.askPx, book.askSz);
  }

  private addSide(px: Float64Array, sz: Float64Array): void {
    const levels = Math.min(LEVELS, px.length);
    for (let i = 0; i < levels; i++) {
      const size = sz[i] ?? 0;
      this.depthSum[i] = (this.depthSum[i] ?? 0) + size;
      this.depthCount[i] = (this.depthCount[i] ?? 0) + 1;
      this.depthHistograms[i]?.add(size);
      if (i + 1 < levels) {
        this.gapSum[i] = (this.gapSum[i] ?? 0) + Math.abs(Math.round(((px[i + 1] ?? 0) - (px[i] ?? 0)) / this.tick));
        this.gapCount[i] = (this.gapCount[i] ?? 0) + 1;
      }
    }
  }

  /** Merge walk over two best-first ladders; `direction` is -1 for bids (prices fall with depth). */
  private compareLevels(oldPx: Float64Array, oldSz: Float64Array, newPx: Float64Array, newSz: Float64Array, direction: number): void {
    let i = 0;
    let j = 0;
    while (i < oldPx.length && j < newPx.length) {
      const a = (oldPx[i] ?? 0) * direction;
      const b = (newPx[j] ?? 0) * direction;
      if (a === b) {
        this.sharedLevels++;
        if (oldSz[i] === newSz[j]) this.unchangedLevels++;
        i++;
        j++;
      } else if (a < b) {
        i++;
      } else {
        j++;
      }
    }
  }

  private addTrade(trade: TradeEvent): void {
    this.tradeCount++;
    if (trade.side === 'bid') this.buys++;
    this.sizeSum += trade.sz;
    this.sizeMax = Math.max(this.sizeMax, trade.sz);
    const logSize = Math.log(trade.sz);
    this.logSizeSum += logSize;
    this.logSizeSquares += logSize * logSize;
    this.sizeHistogram.add(trade.sz);
    this.notional += trade.sz * trade.px;
    if (trade.exchTs === this.orderTs && trade.side === this.orderSide) {
      this.orderPrints++;
      if (trade.px !== this.orderPrice) this.orderMultiPrice = true;
      return;
    }
    this.closeOrder();
    this.orders++;
    this.orderTs = trade.exchTs;
    this.orderSide = trade.side;
    this.orderPrice = trade.px;
    this.orderPrints = 1;
    this.orderMultiPrice = false;
  }

  private closeOrder(): void {
    if (this.orderPrints === 1) this.singlePrintOrders++;
    if (this.orderMultiPrice) this.multiPriceOrders++;
    this.orderPrints = 0;
    this.orderMultiPrice = false;
  }

  result(): MarketStatistics {
    const seconds = this.coveredMs / 1000;
    const openOrderSingle = this.orderPrints === 1 ? 1 : 0;
    const openOrderMulti = this.orderMultiPrice ? 1 : 0;
    const n = this.tradeCount;
    const logMean = this.logSizeSum / n;
    const levels = this.depthCount.findLastIndex((count) => count > 0) + 1;
    return {
      coveredSeconds: seconds,
      pushes: this.pushes,
      crossedBooks: this.crossed,
      pushIntervalMs: {
        mean: this.intervalSum / this.intervals,
        quantiles: PUSH_INTERVAL_PROBABILITIES.map((p) => countQuantile(this.intervalCounts, this.intervals, p)),
      },
      spreadTicks: {
        median: countQuantile(this.spreadCounts, this.pushes, 0.5) + 1,
        mean: this.spreadTickSum / this.pushes,
        pmf: trimTrailingZeros(Array.from(this.spreadCounts, (count) => count / this.pushes)),
      },
      spreadBps: { median: this.spreadBpsHistogram.quantile(0.5), mean: this.spreadBpsSum / this.pushes },
      depth: {
        meanSize: Array.from(this.depthSum.subarray(0, levels), (sum, i) => sum / (this.depthCount[i] ?? 0)),
        medianSize: this.depthHistograms.slice(0, levels).map((histogram) => histogram.quantile(0.5)),
        meanGapTicks: Array.from(this.gapSum.subarray(0, Math.max(0, levels - 1)), (sum, i) => sum / (this.gapCount[i] ?? 0)),
      },
      levelSizeUnchangedFraction: this.unchangedLevels / this.sharedLevels,
      volatility: {
        pushBpsPerSqrtS: Math.sqrt(this.returnSquares / this.returnSeconds) * 1e4,
        horizonBpsPerSqrtS: Math.sqrt(this.horizonSquares / this.horizonSeconds) * 1e4,
        horizonMs: this.horizonMs,
        zeroReturnFraction: this.zeroReturns / this.returns,
      },
      trades: {
        count: n,
        ratePerS: n / seconds,
        takerOrderRatePerS: this.orders / seconds,
        printsPerOrderMean: n / this.orders,
        singlePrintOrderFraction: (this.singlePrintOrders + openOrderSingle) / this.orders,
        multiPriceOrderFraction: (this.multiPriceOrders + openOrderMulti) / this.orders,
        sizeMean: this.sizeSum / n,
        sizeMedian: this.sizeHistogram.quantile(0.5),
        sizeMax: this.sizeMax,
        logSizeMean: logMean,
        logSizeSd: Math.sqrt(Math.max(0, this.logSizeSquares / n - logMean * logMean)),
        buyFraction: this.buys / n,
        notionalPerS: this.notional / seconds,
      },
    };
  }
}

/** Measures a whole stream (a generator is consumed lazily, one event at a time). */
export function measureMarket(events: Iterable<MarketEvent>, options: MeasureOptions): MarketStatistics {
  const measurer = new MarketMeasurer(options);
  for (const event of events) measurer.add(event);
  return measurer.result();
}

/** Smallest index whose cumulative count reaches p of the total (counts indexed by value). */
function countQuantile(counts: Float64Array, total: number, p: number): number {
  const rank = Math.max(1, p * total);
  let seen = 0;
  for (let i = 0; i < counts.length; i++) {
    seen += counts[i] ?? 0;
    if (seen >= rank) return i;
  }
  return counts.length - 1;
}

function trimTrailingZeros(values: number[]): number[] {
  let end = values.length;
  while (end > 0 && values[end - 1] === 0) end--;
  return values.slice(0, end);
}
