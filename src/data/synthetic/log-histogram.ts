/**
 * Quantiles of positive values in bounded memory: counts in logarithmic bins
 * (BINS_PER_DECADE per factor of ten, so a quantile is within about 0.6% of the exact one).
 */

const BINS_PER_DECADE = 200;
const MIN_DECADE = -10;
const MAX_DECADE = 10;
const BIN_COUNT = (MAX_DECADE - MIN_DECADE) * BINS_PER_DECADE;

export class LogHistogram {
  private readonly counts = new Float64Array(BIN_COUNT);
  private total = 0;

  /** Values <= 0 are ignored; values beyond 1e±10 land in the end bins. */
  add(value: number): void {
    if (!(value > 0)) return;
    const raw = Math.floor((Math.log10(value) - MIN_DECADE) * BINS_PER_DECADE);
    const bin = Math.min(BIN_COUNT - 1, Math.max(0, raw));
    this.counts[bin] = (this.counts[bin] ?? 0) + 1;
    this.total++;
  }

  get count(): number {
    return this.total;
  }

  /** The q-quantile (0..1) as the geometric centre of its bin; NaN when empty. */
  quantile(q: number): number {
    if (this.total === 0) return Number.NaN;
    const rank = q * this.total;
    let seen = 0;
    for (let bin = 0; bin < BIN_COUNT; bin++) {
      seen += this.counts[bin] ?? 0;
      if (seen >= rank && seen > 0) return 10 ** (MIN_DECADE + (bin + 0.5) / BINS_PER_DECADE);
    }
    return 10 ** MAX_DECADE;
  }
}
