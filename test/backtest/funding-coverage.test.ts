import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/types.js';
import { FundingCoverage } from '../../src/backtest/funding-coverage.js';
import { book, funding } from '../venues/sim/market-events.js';

const H12 = Date.UTC(2024, 0, 1, 12);
const HOUR = 3_600_000;
/** Market data from 11:59:59 to 15:00:30: the run's whole hours are 12:00 to 15:00. */
const market: MarketEvent[] = [book(H12 - 1000, [[99, 1]], [[101, 1]], 'BTC'), book(H12 + 3 * HOUR + 30_000, [[99, 1]], [[101, 1]], 'BTC')];
const hourly = (coin: string, firstHour: number, lastHour: number) =>
  Array.from({ length: lastHour - firstHour + 1 }, (_, index) => funding(H12 + (firstHour + index) * HOUR + 48, 0.0001, undefined, coin));

function warningsFor(events: readonly MarketEvent[], coins = ['BTC', 'ETH']): string[] {
  const coverage = new FundingCoverage();
  for (const event of events) coverage.observe(event);
  return coverage.warnings(coins);
}

describe('FundingCoverage', () => {
  it('says funding is off when no coin of the run has funding rates', () => {
    expect(warningsFor([...market, ...hourly('SOL', 0, 3)])).toEqual(['data has no funding rates: funding is off in this backtest']);
  });

  it('names each coin without funding rates when others have them', () => {
    expect(warningsFor([...market, ...hourly('BTC', 0, 3)])).toEqual(['ETH: data has no funding rates: funding is off for ETH']);
  });

  it('says nothing when every coin has a rate for the run\'s first and last whole hour, or for more', () => {
    expect(warningsFor([...market, ...hourly('BTC', 0, 3), ...hourly('ETH', -24, 27)])).toEqual([]);
  });

  it('names, with ISO times, rates that start after the run\'s first whole hour or end before its last', () => {
    expect(warningsFor([...market, ...hourly('BTC', 1, 3), ...hourly('ETH', 0, 2)])).toEqual([
      "BTC: funding rates start at 2024-01-01T13:00:00.048Z, after the run's first funding hour 2024-01-01T12:00:00.000Z: no funding is paid before them",
      "ETH: funding rates end at 2024-01-01T14:00:00.048Z, before the run's last funding hour 2024-01-01T15:00:00.000Z: no funding is paid after them",
    ]);
  });

  it('counts the run\'s funding hours that fall in gaps between records, naming the first', () => {
    const btc = [...hourly('BTC', -2, 0), ...hourly('BTC', 3, 3), ...hourly('BTC', 6, 8)];
    expect(warningsFor([...market, ...btc], ['BTC'])).toEqual([
      "BTC: funding rates miss 2 of the run's funding hours, the first at 2024-01-01T13:00:00.000Z: no funding is paid at those hours",
    ]);
    expect(warningsFor([...market, ...hourly('BTC', -5, -3), ...hourly('BTC', 0, 3)], ['BTC'])).toEqual([]);
  });

  it('has no hours to check in a run that passes no whole hour', () => {
    const short = [book(H12 + 1000, [[99, 1]], [[101, 1]], 'BTC'), book(H12 + 60_000, [[99, 1]], [[101, 1]], 'BTC')];
    expect(warningsFor([...short, funding(H12 - 5 * HOUR, 0.0001, undefined, 'BTC')], ['BTC'])).toEqual([]);
  });
});
