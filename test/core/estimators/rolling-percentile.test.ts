import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { RollingPercentile } from '../../../src/core/estimators/rolling-percentile.js';

/** Linear interpolation between closest ranks on a sorted copy (numpy's default percentile). */
function referencePercentile(values: readonly number[], percentile: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  const rank = percentile * (sorted.length - 1);
  const lower = sorted[Math.floor(rank)]!;
  const upper = sorted[Math.ceil(rank)]!;
  const fraction = rank - Math.floor(rank);
  return (1 - fraction) * lower + fraction * upper;
}

describe('RollingPercentile', () => {
  it('interpolates between the order statistics around the rank', () => {
    const spreads = new RollingPercentile({ percentile: 0.6, lookbackLoops: 5, updateEveryLoops: 5 });
    [5, 1, 4, 2, 3].forEach((v) => spreads.update(v));
    // rank 0.6 × 4 = 2.4: 40% of the way from 3 to 4.
    expect(spreads.value).toBeCloseTo(3.4, 14);
  });

  it('recomputes only every updateEveryLoops updates and is NaN before the first', () => {
    const spreads = new RollingPercentile({ percentile: 1, lookbackLoops: 100, updateEveryLoops: 3 });
    spreads.update(1);
    spreads.update(2);
    expect(spreads.value).toBeNaN();
    spreads.update(3);
    expect(spreads.value).toBe(3);
    spreads.update(10);
    spreads.update(20);
    expect(spreads.value).toBe(3);
    spreads.update(30);
    expect(spreads.value).toBe(30);
  });

  it('gives the value of the last recompute point even when read only after later updates', () => {
    const spreads = new RollingPercentile({ percentile: 0.5, lookbackLoops: 10, updateEveryLoops: 3 });
    for (const value of [5, 1, 3]) spreads.update(value);
    for (const value of [100, 200]) spreads.update(value);
    expect(spreads.value).toBe(3);
  });

  it('keeps only the latest lookbackLoops values', () => {
    const spreads = new RollingPercentile({ percentile: 1, lookbackLoops: 3, updateEveryLoops: 1 });
    [100, 1, 2].forEach((v) => spreads.update(v));
    expect(spreads.value).toBe(100);
    spreads.update(3);
    expect(spreads.value).toBe(3);
  });

  it('does not count values that are not finite', () => {
    const spreads = new RollingPercentile({ percentile: 0, lookbackLoops: 10, updateEveryLoops: 2 });
    spreads.update(4);
    spreads.update(Number.NaN);
    expect(spreads.value).toBeNaN();
    spreads.update(6);
    expect(spreads.value).toBe(4);
  });

  it('matches a sorted-array reference at every recompute', () => {
    fc.assert(
      fc.property(
        fc.array(fc.double({ min: -1e6, max: 1e6, noNaN: true }), { minLength: 1, maxLength: 200 }),
        fc.integer({ min: 1, max: 50 }),
        fc.integer({ min: 1, max: 10 }),
        fc.double({ min: 0, max: 1, noNaN: true }),
        (values, lookbackLoops, updateEveryLoops, percentile) => {
          const rolling = new RollingPercentile({ percentile, lookbackLoops, updateEveryLoops });
          let expected = Number.NaN;
          values.forEach((v, i) => {
            rolling.update(v);
            if ((i + 1) % updateEveryLoops === 0) {
              expected = referencePercentile(values.slice(Math.max(0, i + 1 - lookbackLoops), i + 1), percentile);
            }
            if (Number.isNaN(expected)) expect(rolling.value).toBeNaN();
            else expect(rolling.value).toBeCloseTo(expected, 6);
          });
        },
      ),
    );
  });
});
