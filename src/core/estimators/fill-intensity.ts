export interface FillIntensityOptions {
  /** Width of a distance bucket, in price units. */
  readonly step: number;
  /** Largest distance fitted, in price units; trades farther away count in the last bucket. */
  readonly maxDistance: number;
  /** Trades older than this window are forgotten. */
  readonly windowSec: number;
  /** Time resolution of the window: it slides one slot (windowSec / slots) at a time. */
  readonly slots?: number;
}

/** λ(δ) = a·e^(−k·δ): `a` in trades per second at the mid, `k` per price unit. */
export interface FillIntensityFit {
  readonly a: number;
  readonly k: number;
  /** Distance buckets with at least one trade, i.e. points in the regression. */
  readonly buckets: number;
}

const DEFAULT_SLOTS = 60;
/** Puts a distance that is a multiple of `step` up to float error into that bucket, not the one below. */
const BUCKET_EDGE_TOLERANCE = 1e-9;

/**
 * Calibrates the fill intensity of the GLFT and Avellaneda–Stoikov models from public trades.
 * Each trade is recorded by its distance from the mid at trade time, in buckets of `step` kept
 * per time slot of a ring, so memory is slots × buckets however many trades arrive. The fit
 * takes, for each δᵢ = i·step up to `maxDistance`, the rate of trades at least δᵢ away,
 * λᵢ = count(δ ≥ δᵢ) / seconds observed, and fits ln λᵢ = ln a − k·δᵢ by least squares.
 */
export class FillIntensity {
  private readonly step: number;
  private readonly bucketCount: number;
  private readonly slotMs: number;
  private readonly slotCount: number;
  /** Trade counts, one row of buckets per ring slot. */
  private readonly counts: Float64Array;
  /** Absolute slot number (ts / slotMs) each ring row holds; -Infinity while unused. */
  private readonly rowSlot: Float64Array;
  private readonly windowCounts: Float64Array;
  private firstTs = NaN;

  constructor(options: FillIntensityOptions) {
    const { step, maxDistance, windowSec, slots = DEFAULT_SLOTS } = options;
    if (!(step > 0)) throw new RangeError(`step must be > 0, got ${step}`);
    if (!(maxDistance >= 2 * step)) throw new RangeError(`maxDistance must be at least 2 steps, got ${maxDistance}`);
    if (!(windowSec > 0)) throw new RangeError(`windowSec must be > 0, got ${windowSec}`);
    if (!Number.isInteger(slots) || slots < 1) throw new RangeError(`slots must be a positive integer, got ${slots}`);
    this.step = step;
    this.bucketCount = Math.floor(maxDistance / step + BUCKET_EDGE_TOLERANCE) + 1;
    this.slotMs = (windowSec * 1000) / slots;
    this.slotCount = slots;
    this.counts = new Float64Array(slots * this.bucketCount);
    this.rowSlot = new Float64Array(slots).fill(-Infinity);
    this.windowCounts = new Float64Array(this.bucketCount);
  }

  /** Records one public trade at `px` when the mid was `mid`; ignored if either is not finite. */
  record(px: number, mid: number, ts: number): void {
    if (!Number.isFinite(px) || !Number.isFinite(mid)) return;
    const slot = Math.floor(ts / this.slotMs);
    const row = ((slot % this.slotCount) + this.slotCount) % this.slotCount;
    const held = this.rowSlot[row]!;
    if (held > slot) return;
    const offset = row * this.bucketCount;
    if (held < slot) {
      this.counts.fill(0, offset, offset + this.bucketCount);
      this.rowSlot[row] = slot;
    }
    const bucket = Math.min(Math.floor(Math.abs(px - mid) / this.step + BUCKET_EDGE_TOLERANCE), this.bucketCount - 1);
    this.counts[offset + bucket]! += 1;
    if (Number.isNaN(this.firstTs)) this.firstTs = ts;
  }

  /**
   * Fits a and k on the trades in the window ending at `ts`, observed since the first recorded
   * trade or the window start, whichever is later. Undefined with fewer than 3 buckets that have
   * trades at or beyond them, or when the rate does not fall with distance (k ≤ 0).
   */
  fit(ts: number): FillIntensityFit | undefined {
    const current = Math.floor(ts / this.slotMs);
    const oldest = current - this.slotCount + 1;
    const seconds = (ts - Math.max(this.firstTs, oldest * this.slotMs)) / 1000;
    if (!(seconds > 0)) return undefined;

    this.windowCounts.fill(0);
    for (let row = 0; row < this.slotCount; row++) {
      const slot = this.rowSlot[row]!;
      if (slot < oldest || slot > current) continue;
      const offset = row * this.bucketCount;
      for (let b = 0; b < this.bucketCount; b++) this.windowCounts[b]! += this.counts[offset + b]!;
    }

    let n = 0;
    let sumX = 0;
    let sumY = 0;
    let sumXX = 0;
    let sumXY = 0;
    let atOrBeyond = 0;
    for (let b = this.bucketCount - 1; b >= 0; b--) {
      atOrBeyond += this.windowCounts[b]!;
      if (atOrBeyond === 0) continue;
      const x = b * this.step;
      const y = Math.log(atOrBeyond / seconds);
      n++;
      sumX += x;
      sumY += y;
      sumXX += x * x;
      sumXY += x * y;
    }
    if (n < 3) return undefined;
    const slope = (n * sumXY - sumX * sumY) / (n * sumXX - sumX * sumX);
    if (!(slope < 0)) return undefined;
    return { a: Math.exp((sumY - slope * sumX) / n), k: -slope, buckets: n };
  }
}
