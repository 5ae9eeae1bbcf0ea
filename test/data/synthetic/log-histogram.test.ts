import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random.js';
import { LogHistogram } from '../../../src/data/synthetic/log-histogram.js';

describe('LogHistogram', () => {
  it('gives quantiles within 0.6% of the exact ones over many orders of magnitude', () => {
    const rng = new Rng(9);
    const histogram = new LogHistogram();
    const values: number[] = [];
    for (let i = 0; i < 20_001; i++) {
      const value = rng.logNormal(-3, 3);
      values.push(value);
      histogram.add(value);
    }
    values.sort((a, b) => a - b);
    expect(histogram.count).toBe(20_001);
    for (const q of [0.01, 0.25, 0.5, 0.9, 0.99]) {
      const exact = values[Math.ceil(q * values.length) - 1] ?? 0;
      expect(Math.abs(histogram.quantile(q) / exact - 1)).toBeLessThan(0.006);
    }
  });

  it('ignores values that are not positive and is NaN when empty', () => {
    const histogram = new LogHistogram();
    histogram.add(0);
    histogram.add(-1);
    expect(histogram.count).toBe(0);
    expect(histogram.quantile(0.5)).toBeNaN();
  });
});
