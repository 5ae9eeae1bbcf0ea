/**
 * One side of a synthetic order book: a fixed number of price levels, best first, held as
 * integer ticks and integer lots so that trades and replenishment never accumulate rounding.
 */
import type { Rng } from '../../core/random.js';

/** How fresh levels look, by level index (0 = touch). */
export interface BookShape {
  readonly levels: number;
  /** Mean distance in ticks from level i to level i + 1 (geometric, at least one tick). */
  readonly gapMeanTicks: readonly number[];
  /** A fresh level holds exp(N(logMedianLots[i], logSd[i]²)) lots, at least one. */
  readonly sizeLogMedianLots: readonly number[];
  readonly sizeLogSd: readonly number[];
  /** Chance per repost that a resting level is replaced by a fresh one. */
  readonly refreshProbability: number;
}

export class BookSide {
  private ticks: Float64Array;
  private lots: Float64Array;
  private nextTicks: Float64Array;
  private nextLots: Float64Array;
  private length = 0;

  /** `direction` is +1 for asks (deeper levels have higher prices) and -1 for bids. */
  constructor(
    private readonly direction: 1 | -1,
    private readonly shape: BookShape,
  ) {
    this.ticks = new Float64Array(shape.levels);
    this.lots = new Float64Array(shape.levels);
    this.nextTicks = new Float64Array(shape.levels);
    this.nextLots = new Float64Array(shape.levels);
  }

  get levels(): number {
    return this.length;
  }

  get touchTick(): number {
    return this.ticks[0] ?? Number.NaN;
  }

  get touchLots(): number {
    return this.lots[0] ?? 0;
  }

  /**
   * Makers re-post with the touch at `touchTick`: levels now on the wrong side are gone, resting
   * levels stay where they are (each refreshed with the shape's probability), gaps left by a
   * moving touch and the tail beyond the deepest level get fresh levels.
   */
  repost(touchTick: number, rng: Rng): void {
    const { levels, refreshProbability } = this.shape;
    const d = this.direction;
    let old = 0;
    while (old < this.length && d * ((this.ticks[old] ?? 0) - touchTick) < 0) old++;
    let tick = touchTick;
    for (let level = 0; level < levels; level++) {
      if (level > 0) tick += d * rng.geometric(this.shape.gapMeanTicks[level - 1] ?? 1);
      const restingTick = this.ticks[old] ?? 0;
      if (old < this.length && d * (restingTick - tick) <= 0) {
        tick = restingTick;
        const resting = this.lots[old] ?? 0;
        this.nextLots[level] = rng.uniform() < refreshProbability ? this.freshLots(level, rng) : resting;
        old++;
      } else {
        this.nextLots[level] = this.freshLots(level, rng);
      }
      this.nextTicks[level] = tick;
    }
    const previousTicks = this.ticks;
    const previousLots = this.lots;
    this.ticks = this.nextTicks;
    this.lots = this.nextLots;
    this.nextTicks = previousTicks;
    this.nextLots = previousLots;
    this.length = levels;
  }

  /** A taker takes up to `lots` from the touch; an emptied touch level disappears. Returns lots taken. */
  takeFromTouch(lots: number): number {
    if (this.length === 0) return 0;
    const available = this.lots[0] ?? 0;
    if (lots < available) {
      this.lots[0] = available - lots;
      return lots;
    }
    this.ticks.copyWithin(0, 1, this.length);
    this.lots.copyWithin(0, 1, this.length);
    this.length--;
    return available;
  }

  /** Best-first prices (tick / ticksPerUnit) and sizes (lots / lotsPerUnit), freshly allocated. */
  snapshot(ticksPerUnit: number, lotsPerUnit: number): { px: Float64Array; sz: Float64Array } {
    const px = new Float64Array(this.length);
    const sz = new Float64Array(this.length);
    for (let i = 0; i < this.length; i++) {
      px[i] = (this.ticks[i] ?? 0) / ticksPerUnit;
      sz[i] = (this.lots[i] ?? 0) / lotsPerUnit;
    }
    return { px, sz };
  }

  private freshLots(level: number, rng: Rng): number {
    const lots = rng.logNormal(this.shape.sizeLogMedianLots[level] ?? 0, this.shape.sizeLogSd[level] ?? 0);
    return Math.max(1, Math.round(lots));
  }
}
