import type { BookSnapshotEvent, Side } from './types.js';

const DEFAULT_LEVEL_CAPACITY = 64;
/** Far below any real price step, far above float error: makes the bps boundary inclusive. */
const BOUNDARY_TOLERANCE_BPS = 1e-9;

/** One side of the book in preallocated arrays, best first (bids descending, asks ascending). */
class BookSide {
  px: Float64Array;
  sz: Float64Array;
  count = 0;

  constructor(
    private readonly descending: boolean,
    capacity: number,
  ) {
    this.px = new Float64Array(capacity);
    this.sz = new Float64Array(capacity);
  }

  /** Index of the first level not better than `px`: where `px` is or would be inserted. */
  private seek(px: number): number {
    let lo = 0;
    let hi = this.count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const levelPx = this.px[mid]!;
      if (this.descending ? levelPx > px : levelPx < px) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  indexOf(px: number): number {
    const i = this.seek(px);
    return i < this.count && this.px[i] === px ? i : -1;
  }

  set(px: number, sz: number): void {
    const i = this.seek(px);
    const exists = i < this.count && this.px[i] === px;
    if (sz === 0) {
      if (exists) {
        this.px.copyWithin(i, i + 1, this.count);
        this.sz.copyWithin(i, i + 1, this.count);
        this.count--;
      }
      return;
    }
    if (exists) {
      this.sz[i] = sz;
      return;
    }
    if (this.count === this.px.length) this.grow(this.count * 2);
    this.px.copyWithin(i + 1, i, this.count);
    this.sz.copyWithin(i + 1, i, this.count);
    this.px[i] = px;
    this.sz[i] = sz;
    this.count++;
  }

  replace(px: Float64Array, sz: Float64Array): void {
    if (px.length > this.px.length) this.grow(Math.max(px.length, this.px.length * 2));
    this.px.set(px);
    this.sz.set(sz);
    this.count = px.length;
  }

  /** Total size of the best `levels` levels. */
  topDepth(levels: number): number {
    const n = Math.min(levels, this.count);
    let total = 0;
    for (let i = 0; i < n; i++) total += this.sz[i]!;
    return total;
  }

  private grow(capacity: number): void {
    const px = new Float64Array(capacity);
    const sz = new Float64Array(capacity);
    px.set(this.px);
    sz.set(this.sz);
    this.px = px;
    this.sz = sz;
  }
}

/**
 * Level-2 order book of one coin, kept from full snapshots (Hyperliquid) and per-level deltas
 * (diff feeds). Price queries return NaN while a side they need is empty.
 */
export class L2Book {
  private readonly bids: BookSide;
  private readonly asks: BookSide;
  private lastTs = -Infinity;

  /** `levelCapacity` presizes each side; a side grows (rarely) when a feed sends more levels. */
  constructor(levelCapacity = DEFAULT_LEVEL_CAPACITY) {
    this.bids = new BookSide(true, levelCapacity);
    this.asks = new BookSide(false, levelCapacity);
  }

  /** Replaces both sides; the arrays are copied, so the event may be reused by its producer. */
  applySnapshot(event: BookSnapshotEvent): void {
    this.bids.replace(event.bidPx, event.bidSz);
    this.asks.replace(event.askPx, event.askSz);
    this.lastTs = event.localTs;
  }

  /**
   * Sets the size at one price (0 removes the level). `ts` should be the local receive time,
   * as snapshots use, so staleness checks compare like with like.
   */
  applyDelta(side: Side, px: number, sz: number, ts: number): void {
    if (!Number.isFinite(px) || !Number.isFinite(sz) || sz < 0) {
      throw new RangeError(`book delta needs a finite price and a size >= 0, got px=${px} sz=${sz}`);
    }
    this.sideOf(side).set(px, sz);
    this.lastTs = ts;
  }

  /** Time of the last snapshot or delta; -Infinity before any, so a staleness check fails safe. */
  get lastUpdateTs(): number {
    return this.lastTs;
  }

  get bestBid(): number {
    return this.levelPx('bid', 0);
  }

  get bestAsk(): number {
    return this.levelPx('ask', 0);
  }

  get bestBidSize(): number {
    return this.levelSz('bid', 0);
  }

  get bestAskSize(): number {
    return this.levelSz('ask', 0);
  }

  get mid(): number {
    return (this.bestBid + this.bestAsk) / 2;
  }

  /** Mid weighted towards the side with less size: (bid·askSz + ask·bidSz) / (bidSz + askSz). */
  get microprice(): number {
    const bidSz = this.bestBidSize;
    const askSz = this.bestAskSize;
    return (this.bestBid * askSz + this.bestAsk * bidSz) / (bidSz + askSz);
  }

  /** (ask − bid) / mid in bps; negative when the book is crossed. */
  get spreadBps(): number {
    return ((this.bestAsk - this.bestBid) / this.mid) * 1e4;
  }

  /**
   * Total size on `side` at prices no more than `bps` away from the mid on that side's side of
   * it (the boundary counts; levels at or through the mid count). NaN without a mid.
   */
  depthWithinBps(side: Side, bps: number): number {
    const mid = this.mid;
    if (Number.isNaN(mid)) return NaN;
    const book = this.sideOf(side);
    const direction = side === 'bid' ? 1 : -1;
    const limit = bps + BOUNDARY_TOLERANCE_BPS;
    let total = 0;
    for (let i = 0; i < book.count; i++) {
      if ((direction * (mid - book.px[i]!) * 1e4) / mid > limit) break;
      total += book.sz[i]!;
    }
    return total;
  }

  /**
   * (bidDepth − askDepth) / (bidDepth + askDepth) over the best `levels` levels of each side:
   * +1 only bids, −1 only asks, NaN when the book is empty.
   */
  imbalance(levels: number): number {
    const bidDepth = this.bids.topDepth(levels);
    const askDepth = this.asks.topDepth(levels);
    const total = bidDepth + askDepth;
    return total > 0 ? (bidDepth - askDepth) / total : NaN;
  }

  levelCount(side: Side): number {
    return this.sideOf(side).count;
  }

  /** Price of level `i` (0 = best); NaN for an index that is not a level. */
  levelPx(side: Side, i: number): number {
    const book = this.sideOf(side);
    return i < book.count ? (book.px[i] ?? NaN) : NaN;
  }

  /** Size of level `i` (0 = best); NaN for an index that is not a level. */
  levelSz(side: Side, i: number): number {
    const book = this.sideOf(side);
    return i < book.count ? (book.sz[i] ?? NaN) : NaN;
  }

  /** Size resting at exactly `px`, 0 when there is no such level. */
  sizeAt(side: Side, px: number): number {
    const book = this.sideOf(side);
    const i = book.indexOf(px);
    return i < 0 ? 0 : book.sz[i]!;
  }

  /** True when the best bid is at or above the best ask (crossed or locked): the book is not usable. */
  isCrossed(): boolean {
    return this.bids.count > 0 && this.asks.count > 0 && this.bestBid >= this.bestAsk;
  }

  private sideOf(side: Side): BookSide {
    return side === 'bid' ? this.bids : this.asks;
  }
}
