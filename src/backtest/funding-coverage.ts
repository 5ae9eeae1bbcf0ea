import type { MarketEvent } from '../core/types.js';

const HOUR_MS = 3_600_000;

interface Span {
  first: number;
  last: number;
  /** Runs of whole hours without a record between two records: [first missing hour, last missing hour]. */
  readonly gaps: [number, number][];
}

/**
 * What the data's funding rates cover, for a backtest's warnings: funding is paid only where the
 * data has rates, and the report must say where it has none. Feed it every event of the data,
 * funding records outside the market data's span included.
 */
export class FundingCoverage {
  private firstMarketTs = Infinity;
  private lastMarketTs = -Infinity;
  private readonly fundingByCoin = new Map<string, Span>();

  observe(event: MarketEvent): void {
    if (event.type !== 'funding') {
      if (event.exchTs < this.firstMarketTs) this.firstMarketTs = event.exchTs;
      if (event.exchTs > this.lastMarketTs) this.lastMarketTs = event.exchTs;
      return;
    }
    const span = this.fundingByCoin.get(event.coin);
    if (span === undefined) this.fundingByCoin.set(event.coin, { first: event.exchTs, last: event.exchTs, gaps: [] });
    else {
      // Each coin's records come in time order, so a gap is between the latest record and this one.
      if (hourOf(event.exchTs) - hourOf(span.last) > HOUR_MS) span.gaps.push([hourOf(span.last) + HOUR_MS, hourOf(event.exchTs) - HOUR_MS]);
      span.first = Math.min(span.first, event.exchTs);
      span.last = Math.max(span.last, event.exchTs);
    }
  }

  /**
   * One warning when no coin has funding rates; otherwise one per coin without any, and one per
   * coin whose rates start after the run's first whole hour or end before its last. A record
   * counts for the hour it falls in (Hyperliquid stamps a payment a few ms after the hour).
   */
  warnings(coins: readonly string[]): string[] {
    if (!coins.some((coin) => this.fundingByCoin.has(coin))) return ['data has no funding rates: funding is off in this backtest'];
    const firstHour = Math.ceil(this.firstMarketTs / HOUR_MS) * HOUR_MS;
    const lastHour = Math.floor(this.lastMarketTs / HOUR_MS) * HOUR_MS;
    const warnings: string[] = [];
    for (const coin of coins) {
      const span = this.fundingByCoin.get(coin);
      if (span === undefined) {
        warnings.push(`${coin}: data has no funding rates: funding is off for ${coin}`);
        continue;
      }
      if (firstHour > lastHour) continue;
      if (hourOf(span.first) > firstHour) {
        warnings.push(
          `${coin}: funding rates start at ${iso(span.first)}, after the run's first funding hour ${iso(firstHour)}: ` +
            `no funding is paid before them`,
        );
      }
      if (hourOf(span.last) < lastHour) {
        warnings.push(
          `${coin}: funding rates end at ${iso(span.last)}, before the run's last funding hour ${iso(lastHour)}: ` +
            `no funding is paid after them`,
        );
      }
      const missing = missingHours(span.gaps, firstHour, lastHour);
      if (missing.count > 0) {
        warnings.push(
          `${coin}: funding rates miss ${missing.count} of the run's funding hours, the first at ${iso(missing.first)}: ` +
            'no funding is paid at those hours',
        );
      }
    }
    return warnings;
  }
}

/** How many whole hours of the gaps fall within [firstHour, lastHour], and the first of them. */
function missingHours(gaps: readonly [number, number][], firstHour: number, lastHour: number): { count: number; first: number } {
  let count = 0;
  let first = Number.NaN;
  for (const [from, to] of gaps) {
    const start = Math.max(from, firstHour);
    const end = Math.min(to, lastHour);
    if (start > end) continue;
    if (count === 0) first = start;
    count += (end - start) / HOUR_MS + 1;
  }
  return { count, first };
}

function hourOf(ts: number): number {
  return Math.floor(ts / HOUR_MS) * HOUR_MS;
}

function iso(ts: number): string {
  return new Date(ts).toISOString();
}
