export interface RollingPercentileOptions {
  /** Which percentile, as a fraction: 0.6 = 60th. */
  readonly percentile: number;
  /** How many of the latest values are kept. */
  readonly lookbackLoops: number;
  /** Recompute after this many updates (and not in between). */
  readonly updateEveryLoops: number;
}

/**
 * A percentile of the latest `lookbackLoops` values (e.g. market spreads, for the dynamic minimum
 * spread), recomputed every `updateEveryLoops` updates. The percentile interpolates linearly
 * between the order statistics around rank `percentile·(n−1)`, as numpy's default does.
 */
export class RollingPercentile {
  private readonly percentile: number;
  private readonly updateEveryLoops: number;
  /** Unused slots hold +Infinity so that a full-array sort leaves the real values first. */
  private readonly ring: Float64Array;
  private readonly sorted: Float64Array;
  private writeAt = 0;
  private filled = 0;
  private sinceRecompute = 0;
  private current = NaN;
  /** Set when `sorted` holds a snapshot not yet sorted: the sort waits for a reader. */
  private pending = false;
  /** How many real values the pending snapshot holds. */
  private snapshotFilled = 0;

  constructor(options: RollingPercentileOptions) {
    const { percentile, lookbackLoops, updateEveryLoops } = options;
    if (!(percentile >= 0 && percentile <= 1)) throw new RangeError(`percentile must be in [0, 1], got ${percentile}`);
    if (!Number.isInteger(lookbackLoops) || lookbackLoops < 1) {
      throw new RangeError(`lookbackLoops must be a positive integer, got ${lookbackLoops}`);
    }
    if (!Number.isInteger(updateEveryLoops) || updateEveryLoops < 1) {
      throw new RangeError(`updateEveryLoops must be a positive integer, got ${updateEveryLoops}`);
    }
    this.percentile = percentile;
    this.updateEveryLoops = updateEveryLoops;
    this.ring = new Float64Array(lookbackLoops).fill(Infinity);
    this.sorted = new Float64Array(lookbackLoops);
  }

  /** Adds one value; values that are not finite (a spread of an empty book) are not counted. */
  update(value: number): void {
    if (!Number.isFinite(value)) return;
    this.ring[this.writeAt] = value;
    this.writeAt = (this.writeAt + 1) % this.ring.length;
    if (this.filled < this.ring.length) this.filled++;
    if (++this.sinceRecompute === this.updateEveryLoops) {
      this.sinceRecompute = 0;
      this.sorted.set(this.ring);
      this.snapshotFilled = this.filled;
      this.pending = true;
    }
  }

  /** The percentile at the last recompute; NaN before the first. */
  get value(): number {
    if (this.pending) this.recompute();
    return this.current;
  }

  /** Sorts the snapshot taken at the last recompute point, so late reads see that moment's values. */
  private recompute(): void {
    this.pending = false;
    this.sorted.sort();
    const filled = this.snapshotFilled;
    const rank = this.percentile * (filled - 1);
    const below = Math.floor(rank);
    const lower = this.sorted[below]!;
    const upper = this.sorted[Math.min(below + 1, filled - 1)]!;
    this.current = lower + (upper - lower) * (rank - below);
  }
}
