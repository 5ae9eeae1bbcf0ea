export interface EwmaVolatilityOptions {
  /** Half-life of a return's weight, in seconds of event time. */
  readonly halfLifeSec: number;
  /** Returns needed before `ready` is true. */
  readonly warmupSamples: number;
}

/**
 * Volatility of the mid as an exponentially weighted RMS of log returns, each divided by the
 * square root of its interval in seconds so that irregular sampling does not bias it. A return's
 * weight is the decay over its own interval, so every second of history counts the same however
 * often the mid was sampled. The mean return is taken as zero: over seconds the drift is far
 * smaller than its own estimation noise.
 */
export class EwmaVolatility {
  private readonly decayPerMs: number;
  private readonly warmupSamples: number;
  private lastMid = NaN;
  private lastTs = NaN;
  private weightedSquares = 0;
  private totalWeight = 0;
  private count = 0;

  constructor(options: EwmaVolatilityOptions) {
    if (!(options.halfLifeSec > 0)) throw new RangeError(`halfLifeSec must be > 0, got ${options.halfLifeSec}`);
    this.decayPerMs = Math.LN2 / (options.halfLifeSec * 1000);
    this.warmupSamples = options.warmupSamples;
  }

  /**
   * Adds a mid observed at `ts`. Mids that are not positive numbers (an empty book side) are
   * ignored, and so is a mid at or before the previous timestamp: the first mid of an instant
   * stays the anchor, so a jump within one millisecond still shows in the next return.
   */
  update(mid: number, ts: number): void {
    if (!(mid > 0) || !Number.isFinite(mid)) return;
    if (Number.isNaN(this.lastTs)) {
      this.lastMid = mid;
      this.lastTs = ts;
      return;
    }
    const dtMs = ts - this.lastTs;
    if (!(dtMs > 0)) return;
    const normalized = Math.log(mid / this.lastMid) / Math.sqrt(dtMs / 1000);
    const weight = -Math.expm1(-this.decayPerMs * dtMs);
    const keep = 1 - weight;
    this.weightedSquares = keep * this.weightedSquares + weight * normalized * normalized;
    this.totalWeight = keep * this.totalWeight + weight;
    this.lastMid = mid;
    this.lastTs = ts;
    this.count++;
  }

  /** Standard deviation of log returns per √second (a fraction); NaN before the first return. */
  get sigma(): number {
    return this.count > 0 ? Math.sqrt(this.weightedSquares / this.totalWeight) : NaN;
  }

  /** Volatility in price units per √second at `mid`, the unit the quote models take. */
  priceSigma(mid: number): number {
    return this.sigma * mid;
  }

  /** Returns seen so far. */
  get samples(): number {
    return this.count;
  }

  get ready(): boolean {
    return this.count >= this.warmupSamples;
  }
}
