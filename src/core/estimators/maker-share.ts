/**
 * Share of our fills, counted with a half-life so recent fills matter most, that were maker
 * (resting) rather than taker; single-sided auto mode trusts its side only above a minimum
 * (seed key `ss_ma_min_maker_share`).
 */
export class MakerShare {
  private readonly decayPerMs: number;
  private makerFills = 0;
  private allFills = 0;
  private lastTs = -Infinity;

  constructor(halfLifeSec: number) {
    if (!(halfLifeSec > 0)) throw new RangeError(`halfLifeSec must be > 0, got ${halfLifeSec}`);
    this.decayPerMs = Math.LN2 / (halfLifeSec * 1000);
  }

  /** Counts one fill; a fill stamped before the last one counts as if at the last one's time. */
  update(maker: boolean, ts: number): void {
    if (ts > this.lastTs) {
      const keep = Math.exp(-this.decayPerMs * (ts - this.lastTs));
      this.makerFills *= keep;
      this.allFills *= keep;
      this.lastTs = ts;
    }
    this.allFills += 1;
    if (maker) this.makerFills += 1;
  }

  /** In [0, 1]; NaN before any fill. Both counts decay alike, so it does not depend on time. */
  get share(): number {
    return this.allFills > 0 ? this.makerFills / this.allFills : NaN;
  }
}
