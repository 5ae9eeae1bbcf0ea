import { usd, utc } from './format.js';

const DAY_MS = 86_400_000;

/**
 * max_daily_loss: the loss is measured from the equity seen at the first evaluation of each UTC
 * day (days start at 00:00 UTC of `now`). A loss strictly beyond the limit halts until the next
 * UTC midnight; the halt does not lift within the day even if equity recovers.
 */
export class DailyLossLimit {
  private day = Number.NaN;
  private dayStartEquity = 0;
  private haltedUntil = Number.NEGATIVE_INFINITY;
  private haltReason = '';

  update(equity: number, now: number, maxDailyLoss: number): void {
    const day = Math.floor(now / DAY_MS);
    if (day !== this.day) {
      this.day = day;
      this.dayStartEquity = equity;
    }
    const loss = this.dayStartEquity - equity;
    if (now >= this.haltedUntil && loss > maxDailyLoss) {
      this.haltedUntil = (day + 1) * DAY_MS;
      this.haltReason = `daily loss ${usd(loss)} beyond max_daily_loss ${usd(maxDailyLoss)}; halted until ${utc(this.haltedUntil)}`;
    }
  }

  halted(now: number): boolean {
    return now < this.haltedUntil;
  }

  /** Why the last halt fired. */
  get reason(): string {
    return this.haltReason;
  }
}
