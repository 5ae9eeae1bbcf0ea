const MINUTE_MS = 60_000;
const MINUTES_PER_YEAR = 365 * 24 * 60;

/**
 * A run's maximum drawdown and per-minute Sharpe ratio, updated at every strategy step in
 * constant memory: the chart series thin out on long runs, and statistics taken from them
 * would miss lows between samples and mix minutes with multi-minute jumps.
 */
export class RunStatistics {
  private peak = Number.NEGATIVE_INFINITY;
  private worstDrawdown = 0;
  private nextMinute = Number.NaN;
  private minuteStartEquity = Number.NaN;
  private lastEquity = Number.NaN;
  private minutes = 0;
  private meanReturn = 0;
  private squaredDeviations = 0;

  /** `capital` turns equity changes into returns. */
  constructor(private readonly capital: number) {}

  /** Equity (USD) at local time `ts`; times must not go back. */
  observe(ts: number, equity: number): void {
    if (equity > this.peak) this.peak = equity;
    else if (this.peak - equity > this.worstDrawdown) this.worstDrawdown = this.peak - equity;
    if (Number.isNaN(this.nextMinute)) {
      this.nextMinute = ts + MINUTE_MS;
      this.minuteStartEquity = equity;
    }
    // The equity at a minute boundary is the last one observed before it.
    while (ts >= this.nextMinute) {
      this.addReturn((this.lastEquity - this.minuteStartEquity) / this.capital);
      this.minuteStartEquity = this.lastEquity;
      this.nextMinute += MINUTE_MS;
    }
    this.lastEquity = equity;
  }

  /** Largest fall of equity from a running peak, in USD (≥ 0). */
  get maxDrawdown(): number {
    return this.worstDrawdown;
  }

  /** Annualized Sharpe ratio of per-minute returns; 0 with fewer than two minutes or no variation. */
  get sharpe(): number {
    if (this.minutes < 2) return 0;
    const variance = this.squaredDeviations / (this.minutes - 1);
    if (!(variance > 0)) return 0;
    return (this.meanReturn / Math.sqrt(variance)) * Math.sqrt(MINUTES_PER_YEAR);
  }

  /** Welford's update: mean and variance without keeping the returns. */
  private addReturn(value: number): void {
    this.minutes += 1;
    const delta = value - this.meanReturn;
    this.meanReturn += delta / this.minutes;
    this.squaredDeviations += delta * (value - this.meanReturn);
  }
}
