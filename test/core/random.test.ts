import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../src/core/random.js';

const N = 200_000;

interface Sample {
  readonly mean: number;
  readonly variance: number;
  readonly min: number;
  readonly max: number;
  readonly values: Float64Array;
}

function sample(draw: () => number, n = N): Sample {
  const values = new Float64Array(n);
  for (let i = 0; i < n; i++) values[i] = draw();
  let sum = 0;
  let min = Number.POSITIVE_INFINITY;
  let max = Number.NEGATIVE_INFINITY;
  for (const v of values) {
    sum += v;
    min = Math.min(min, v);
    max = Math.max(max, v);
  }
  const mean = sum / n;
  let squares = 0;
  for (const v of values) squares += (v - mean) ** 2;
  return { mean, variance: squares / (n - 1), min, max, values };
}

describe('Rng determinism', () => {
  it('gives the same sequence for the same seed, on every run and platform', () => {
    const rng = new Rng(42);
    expect([rng.uint32(), rng.uint32(), rng.uint32(), rng.uint32()]).toEqual([2837322924, 544945897, 479756282, 3500138142]);
  });

  it('replays identically for any safe-integer seed', () => {
    fc.assert(
      fc.property(fc.maxSafeInteger(), (seed) => {
        const a = new Rng(seed);
        const b = new Rng(seed);
        for (let i = 0; i < 16; i++) expect(a.normal()).toBe(b.normal());
      }),
    );
  });

  it('gives different sequences for neighbouring seeds, including seeds that differ only above bit 32', () => {
    const first = (seed: number): number[] => {
      const rng = new Rng(seed);
      return [rng.uint32(), rng.uint32()];
    };
    expect(first(1)).not.toEqual(first(2));
    expect(first(0)).not.toEqual(first(-1));
    expect(first(5)).not.toEqual(first(5 + 2 ** 32));
  });

  it('split() gives a reproducible stream that differs from its parent', () => {
    const parent = new Rng(9);
    const child = parent.split();
    const again = new Rng(9).split();
    const draws = (rng: Rng): number[] => [rng.uint32(), rng.uint32(), rng.uint32()];
    const childDraws = draws(child);
    expect(draws(again)).toEqual(childDraws);
    expect(draws(parent)).not.toEqual(childDraws);
  });

  it('refuses a seed that is not a safe integer', () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(2 ** 53)).toThrow(RangeError);
  });
});

describe('Rng distributions (seeded samples of 200k)', () => {
  it('uniform is on [0, 1) with mean 1/2 and variance 1/12', () => {
    const rng = new Rng(1);
    const { mean, variance, min, max } = sample(() => rng.uniform());
    expect(min).toBeGreaterThanOrEqual(0);
    expect(max).toBeLessThan(1);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(variance).toBeCloseTo(1 / 12, 3);
  });

  it('int(n) hits every value of [0, n) about equally often', () => {
    const rng = new Rng(2);
    const counts = new Array<number>(10).fill(0);
    for (let i = 0; i < N; i++) counts[rng.int(10)]!++;
    for (const count of counts) expect(Math.abs(count / N - 0.1)).toBeLessThan(0.005);
  });

  it('normal has mean 0, variance 1 and 95% of its mass within ±1.96', () => {
    const rng = new Rng(3);
    const { mean, variance, values } = sample(() => rng.normal());
    expect(mean).toBeCloseTo(0, 2);
    expect(variance).toBeCloseTo(1, 1);
    const inside = values.filter((v) => Math.abs(v) < 1.959964).length / N;
    expect(inside).toBeCloseTo(0.95, 2);
  });

  it('exponential(rate) has mean 1/rate and variance 1/rate²', () => {
    const rng = new Rng(4);
    const { mean, variance, min } = sample(() => rng.exponential(4));
    expect(min).toBeGreaterThanOrEqual(0);
    expect(mean).toBeCloseTo(0.25, 2);
    expect(variance).toBeCloseTo(1 / 16, 2);
  });

  it('logNormal(mu, sigma) has ln-mean mu and ln-sd sigma', () => {
    const rng = new Rng(5);
    const { mean, variance } = sample(() => Math.log(rng.logNormal(-2, 1.5)));
    expect(mean).toBeCloseTo(-2, 1);
    expect(Math.sqrt(variance)).toBeCloseTo(1.5, 1);
  });

  it('geometric(mean) is at least 1 with the requested mean', () => {
    const rng = new Rng(6);
    const { mean, min } = sample(() => rng.geometric(1.25));
    expect(min).toBe(1);
    expect(mean).toBeCloseTo(1.25, 2);
    expect(rng.geometric(1)).toBe(1);
  });

  it.each([0.3, 3, 29.5, 30, 100, 2500])('poisson(%d) has mean and variance equal to its mean', (lambda) => {
    const rng = new Rng(7);
    const { mean, variance, values } = sample(() => rng.poisson(lambda), 100_000);
    expect(values.every((v) => Number.isInteger(v) && v >= 0)).toBe(true);
    expect(Math.abs(mean - lambda)).toBeLessThan(5 * Math.sqrt(lambda / 100_000));
    expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.03);
  });

  it('poisson(3) puts e^-3 of its mass on zero, and poisson(0) is always zero', () => {
    const rng = new Rng(8);
    const { values } = sample(() => rng.poisson(3));
    expect(values.filter((v) => v === 0).length / N).toBeCloseTo(Math.exp(-3), 2);
    expect(rng.poisson(0)).toBe(0);
  });
});
