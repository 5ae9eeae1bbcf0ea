import { describe, expect, it } from 'vitest';
import { FillIntensity } from '../../../src/core/estimators/fill-intensity.js';
import { Rng } from '../../../src/core/random.js';

/** Poisson trades at `a` per second whose distance from a mid of 100 is exponential with rate `k`. */
function feedTrades(intensity: FillIntensity, a: number, k: number, fromMs: number, toMs: number, seed: number): void {
  const rng = new Rng(seed);
  const gapSec = () => rng.exponential(a);
  const distance = () => rng.exponential(k);
  const sign = () => rng.uniform();
  for (let ts = fromMs + gapSec() * 1000; ts < toMs; ts += gapSec() * 1000) {
    intensity.record(100 + (sign() < 0.5 ? -1 : 1) * distance(), 100, ts);
  }
}

describe('FillIntensity', () => {
  it('fits ln λ(δ) on hand-placed trades exactly', () => {
    const intensity = new FillIntensity({ step: 0.1, maxDistance: 0.3, windowSec: 100, slots: 10 });
    // Buckets by distance: 4 at [0, 0.1), 2 at [0.1, 0.2), 1 at [0.2, 0.3), 1 at 0.3 or more,
    // so 8, 4, 2, 1 trades are at least 0, 0.1, 0.2, 0.3 away: λ halves every 0.1.
    [100, 100.05, 99.95, 100.02, 100.1, 99.9, 99.8, 100.3].forEach((px) => intensity.record(px, 100, 0));
    const fit = intensity.fit(10_000);
    expect(fit?.buckets).toBe(4);
    expect(fit?.a).toBeCloseTo(0.8, 12);
    expect(fit?.k).toBeCloseTo(Math.LN2 / 0.1, 10);
  });

  it('has no fit before trades, with fewer than 3 usable buckets, or when λ does not fall', () => {
    const intensity = new FillIntensity({ step: 1, maxDistance: 5, windowSec: 100 });
    expect(intensity.fit(1_000)).toBeUndefined();
    intensity.record(100, 100, 0);
    intensity.record(101.5, 100, 0);
    expect(intensity.fit(10_000)).toBeUndefined();

    const flat = new FillIntensity({ step: 1, maxDistance: 2, windowSec: 100 });
    [102, 102, 102].forEach((px) => flat.record(px, 100, 0));
    expect(flat.fit(10_000)).toBeUndefined();
  });

  it('forgets trades older than the window', () => {
    const intensity = new FillIntensity({ step: 0.1, maxDistance: 0.3, windowSec: 100, slots: 10 });
    [100, 100.05, 99.95, 100.02, 100.1, 99.9, 99.8, 100.3].forEach((px) => intensity.record(px, 100, 0));
    expect(intensity.fit(50_000)).toBeDefined();
    expect(intensity.fit(200_000)).toBeUndefined();
  });

  it('recovers a and k from trades generated with known values', () => {
    const intensity = new FillIntensity({ step: 0.01, maxDistance: 0.08, windowSec: 3_600 });
    feedTrades(intensity, 2, 40, 0, 3_600_000, 3);
    const fit = intensity.fit(3_600_000);
    expect(fit).toBeDefined();
    expect(Math.abs(fit!.a / 2 - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit!.k / 40 - 1)).toBeLessThan(0.1);
  });

  it('follows a change in the market once the old trades leave the window', () => {
    const intensity = new FillIntensity({ step: 0.01, maxDistance: 0.08, windowSec: 1_800 });
    feedTrades(intensity, 2, 40, 0, 3_600_000, 5);
    feedTrades(intensity, 4, 25, 3_600_000, 7_200_000, 6);
    const fit = intensity.fit(7_200_000);
    expect(Math.abs(fit!.a / 4 - 1)).toBeLessThan(0.1);
    expect(Math.abs(fit!.k / 25 - 1)).toBeLessThan(0.1);
  });
});
