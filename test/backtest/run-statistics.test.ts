import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RunStatistics } from '../../src/backtest/run-statistics.js';

function statisticsOf(points: readonly (readonly [ts: number, equity: number])[], capital = 1000): RunStatistics {
  const statistics = new RunStatistics(capital);
  for (const [ts, equity] of points) statistics.observe(ts, equity);
  return statistics;
}

/** The same numbers from the whole series at once, as a check written independently of the class. */
function fromWholeSeries(points: readonly (readonly [number, number])[], capital: number) {
  let peak = -Infinity;
  let drawdown = 0;
  for (const [, equity] of points) {
    peak = Math.max(peak, equity);
    drawdown = Math.max(drawdown, peak - equity);
  }
  const returns: number[] = [];
  const start = points[0]![0];
  const last = points.at(-1)![0];
  const equityAt = (boundary: number): number => points.filter(([ts]) => ts < boundary).at(-1)![1];
  let previous = points[0]![1];
  for (let boundary = start + 60_000; boundary <= last; boundary += 60_000) {
    const equity = equityAt(boundary);
    returns.push((equity - previous) / capital);
    previous = equity;
  }
  if (returns.length < 2) return { drawdown, sharpe: 0 };
  const mean = returns.reduce((sum, value) => sum + value, 0) / returns.length;
  const variance = returns.reduce((sum, value) => sum + (value - mean) ** 2, 0) / (returns.length - 1);
  return { drawdown, sharpe: variance > 0 ? (mean / Math.sqrt(variance)) * Math.sqrt(365 * 24 * 60) : 0 };
}

describe('RunStatistics', () => {
  it('measures the largest fall from a running peak', () => {
    expect(statisticsOf([[0, 100], [1, 105], [2, 98], [3, 110], [4, 101]]).maxDrawdown).toBe(9);
    expect(statisticsOf([[0, 100], [1, 101]]).maxDrawdown).toBe(0);
  });

  it('gives no Sharpe ratio for less than two whole minutes or for returns that never vary', () => {
    expect(statisticsOf([[0, 100], [90_000, 120]]).sharpe).toBe(0);
    const flat = Array.from({ length: 301 }, (_, second) => [second * 1000, 1000] as const);
    expect(statisticsOf(flat).sharpe).toBe(0);
  });

  it('agrees with the numbers taken from the whole series', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 1, max: 90_000 }), fc.double({ min: 900, max: 1100, noNaN: true })), { minLength: 1, maxLength: 120 }),
        (steps) => {
          let ts = 1_700_000_000_000;
          const points = steps.map(([gap, equity]) => [(ts += gap), equity] as const);
          const statistics = statisticsOf(points);
          const expected = fromWholeSeries(points, 1000);
          expect(statistics.maxDrawdown).toBeCloseTo(expected.drawdown, 9);
          expect(statistics.sharpe).toBeCloseTo(expected.sharpe, 6);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('sees a one-second dip three days into a run stepped every 300 ms', () => {
    const statistics = new RunStatistics(1000);
    const dipAt = 3 * 86_400_000 - 10_000;
    for (let ts = 0; ts <= 3 * 86_400_000; ts += 300) statistics.observe(ts, ts >= dipAt && ts < dipAt + 1_000 ? 993 : 1000);
    expect(statistics.maxDrawdown).toBe(7);
  });
});
