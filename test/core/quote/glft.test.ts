import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GlftModel } from '../../../src/core/quote/glft.js';

// The worked example: intensity fitted on a BTC book in tick units (tick 1).
const A = 2.986162360812285;
const k = 0.04235741115084049;

describe('GLFT closed-form model', () => {
  it('reproduces the worked example: half spread 20.4721 and skew 9.76327 (σ 10.69, γ 0.05, Δ 1, tick 1)', () => {
    const quote = new GlftModel({ gamma: 0.05, A, k, delta: 1 }).quote({ mid: 100_000, sigma: 10.69, position: 0, tick: 1 });
    expect(Math.abs(quote.halfSpread - 20.4721)).toBeLessThan(1e-4);
    expect(Math.abs(quote.skew - 9.76327)).toBeLessThan(1e-4);
    expect(quote.reservationPrice).toBe(100_000);
  });

  it('shifts the reservation price by skew per unit of inventory: bid = mid − halfSpread − q·skew', () => {
    const model = new GlftModel({ gamma: 0.05, A, k, delta: 1 });
    const long = model.quote({ mid: 100_000, sigma: 10.69, position: 2, tick: 1 });
    expect(long.reservationPrice).toBeCloseTo(100_000 - 2 * 9.76327, 3);
  });

  it('widens with σ and skews more with γ, for any parameters', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        fc.double({ min: 0.001, max: 2, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: -5, max: 5, noNaN: true }).filter((q) => Math.abs(q) >= 1e-3),
        (gammaA, gammaB, sigmaA, sigmaB, position) => {
          const [gammaLow, gammaHigh] = gammaA <= gammaB ? [gammaA, gammaB] : [gammaB, gammaA];
          const [sigmaLow, sigmaHigh] = sigmaA <= sigmaB ? [sigmaA, sigmaB] : [sigmaB, sigmaA];
          const at = (gamma: number, sigma: number) => new GlftModel({ gamma, A, k, delta: 1 }).quote({ mid: 100_000, sigma, position, tick: 1e-9 });
          expect(at(gammaLow, sigmaHigh).halfSpread).toBeGreaterThanOrEqual(at(gammaLow, sigmaLow).halfSpread);
          expect(at(gammaHigh, sigmaLow).skew).toBeGreaterThanOrEqual(at(gammaLow, sigmaLow).skew * (1 - 1e-12));
          expect((at(gammaLow, Math.max(sigmaHigh, 0.01)).reservationPrice - 100_000) * position).toBeLessThan(0);
        },
      ),
    );
  });

  it('widens with γ once inventory risk dominates, and narrows below that (the c1 liquidity term falls with γ)', () => {
    const halfSpread = (gamma: number) => new GlftModel({ gamma, A, k, delta: 1 }).quote({ mid: 100_000, sigma: 10.69, position: 0, tick: 1 }).halfSpread;
    expect(halfSpread(0.2)).toBeGreaterThan(halfSpread(0.1));
    expect(halfSpread(0.5)).toBeGreaterThan(halfSpread(0.2));
    expect(halfSpread(0.01)).toBeGreaterThan(halfSpread(0.05));
  });

  it('scales the inventory term by Δ: half spread = c1 + (Δ/2)·σ·c2', () => {
    const one = new GlftModel({ gamma: 0.05, A, k, delta: 1 }).quote({ mid: 100_000, sigma: 0, position: 0, tick: 1e-9 });
    expect(one.halfSpread).toBeCloseTo(Math.log(1 + 0.05 / k) / 0.05, 12);
  });
});

describe('GLFT parameters', () => {
  it('refuses a non-positive parameter at construction rather than quoting NaN', () => {
    expect(() => new GlftModel({ gamma: 0, A, k, delta: 1 })).toThrow(new RangeError('gamma must be > 0, got 0'));
    expect(() => new GlftModel({ gamma: 0.05, A: -1, k, delta: 1 })).toThrow(/A must be > 0/);
  });
});
