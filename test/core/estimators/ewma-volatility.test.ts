import { describe, expect, it } from 'vitest';
import { EwmaVolatility } from '../../../src/core/estimators/ewma-volatility.js';
import { Rng } from '../../../src/core/random.js';

/** Feeds a geometric random walk with `sigma` per √s, sampled every 100 ms to 2 s. */
function feedRandomWalk(vol: EwmaVolatility, sigma: number, fromMs: number, toMs: number, seed: number): number {
  const rng = new Rng(seed);
  const normal = () => rng.normal();
  const gap = () => rng.uniform();
  let mid = 2_000;
  let ts = fromMs;
  vol.update(mid, ts);
  while (ts < toMs) {
    const dtMs = 100 + Math.floor(gap() * 1_900);
    mid *= Math.exp(sigma * Math.sqrt(dtMs / 1000) * normal());
    ts += dtMs;
    vol.update(mid, ts);
  }
  return mid;
}

describe('EwmaVolatility', () => {
  it('weights each normalised return by the decay over its own interval', () => {
    const vol = new EwmaVolatility({ halfLifeSec: 10, warmupSamples: 1 });
    vol.update(100, 0);
    expect(vol.sigma).toBeNaN();
    vol.update(101, 1_000);
    const r1 = Math.log(1.01); // over 1 s
    expect(vol.sigma).toBeCloseTo(r1, 15);

    vol.update(100, 5_000);
    const r2 = Math.log(100 / 101) / Math.sqrt(4); // over 4 s
    const w1 = 1 - 0.5 ** (1 / 10);
    const w2 = 1 - 0.5 ** (4 / 10);
    const keep = 0.5 ** (4 / 10);
    const expected = Math.sqrt((keep * w1 * r1 ** 2 + w2 * r2 ** 2) / (keep * w1 + w2));
    expect(vol.sigma).toBeCloseTo(expected, 15);
    expect(vol.priceSigma(100)).toBeCloseTo(expected * 100, 13);
    expect(vol.samples).toBe(2);
  });

  it('skips a mid at the same instant and keeps the first as the anchor', () => {
    const vol = new EwmaVolatility({ halfLifeSec: 10, warmupSamples: 1 });
    vol.update(100, 0);
    vol.update(105, 0);
    vol.update(101, 1_000);
    expect(vol.samples).toBe(1);
    expect(vol.sigma).toBeCloseTo(Math.log(1.01), 15);
  });

  it('ignores the NaN mid of a book with an empty side', () => {
    const vol = new EwmaVolatility({ halfLifeSec: 10, warmupSamples: 1 });
    vol.update(100, 0);
    vol.update(Number.NaN, 500);
    vol.update(101, 1_000);
    expect(vol.sigma).toBeCloseTo(Math.log(1.01), 15);
  });

  it('is ready after the warm-up count of returns', () => {
    const vol = new EwmaVolatility({ halfLifeSec: 10, warmupSamples: 3 });
    [100, 101, 100].forEach((mid, i) => vol.update(mid, i * 1_000));
    expect(vol.ready).toBe(false);
    vol.update(101, 3_000);
    expect(vol.ready).toBe(true);
  });

  it('recovers the sigma of an irregularly sampled constant-volatility walk', () => {
    const sigma = 5e-4;
    const vol = new EwmaVolatility({ halfLifeSec: 1_800, warmupSamples: 100 });
    const lastMid = feedRandomWalk(vol, sigma, 0, 6 * 3_600_000, 7);
    expect(Math.abs(vol.sigma / sigma - 1)).toBeLessThan(0.05);
    expect(vol.priceSigma(lastMid)).toBeCloseTo(vol.sigma * lastMid, 12);
  });

  it('forgets an old regime after many half-lives', () => {
    const vol = new EwmaVolatility({ halfLifeSec: 120, warmupSamples: 100 });
    feedRandomWalk(vol, 1e-4, 0, 3_600_000, 11);
    expect(Math.abs(vol.sigma / 1e-4 - 1)).toBeLessThan(0.15);
    feedRandomWalk(vol, 4e-4, 3_600_001, 7_200_000, 12);
    expect(Math.abs(vol.sigma / 4e-4 - 1)).toBeLessThan(0.15);
  });
});
