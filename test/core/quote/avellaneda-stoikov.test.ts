import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { AvellanedaStoikovModel } from '../../../src/core/quote/avellaneda-stoikov.js';

describe('Avellaneda–Stoikov model', () => {
  const paper = new AvellanedaStoikovModel({ gamma: 0.1, k: 1.5, horizonMode: 'finite', horizonSec: 1 });

  it('reproduces the 2008 paper: total spread 1.6908 at t = 0 and r = s − 1.2 at q = 3 (γ 0.1, σ 2, k 1.5, T 1)', () => {
    const start = paper.quote({ mid: 100, sigma: 2, position: 0, tick: 0.0001, timeRemainingSec: 1 });
    expect(2 * start.halfSpread).toBeCloseTo(1.6908, 4);
    const long = paper.quote({ mid: 100, sigma: 2, position: 3, tick: 0.0001, timeRemainingSec: 1 });
    expect(100 - long.reservationPrice).toBeCloseTo(1.2, 12);
    expect(long.skew).toBeCloseTo(0.4, 12);
  });

  it('narrows towards the session end, where only the liquidity term (2/γ)·ln(1 + γ/k) is left', () => {
    const half = paper.quote({ mid: 100, sigma: 2, position: 3, tick: 0.0001, timeRemainingSec: 0.5 });
    expect(100 - half.reservationPrice).toBeCloseTo(0.6, 12);
    const end = paper.quote({ mid: 100, sigma: 2, position: 3, tick: 0.0001, timeRemainingSec: 0 });
    expect(end.reservationPrice).toBe(100);
    expect(2 * end.halfSpread).toBeCloseTo(20 * Math.log(1 + 0.1 / 1.5), 12);
  });

  it('takes a finite session without T − t as starting now, and clamps T − t to [0, T]', () => {
    const quote = (timeRemainingSec?: number) => paper.quote({ mid: 100, sigma: 2, position: 1, tick: 0.0001, timeRemainingSec });
    expect(quote(undefined)).toEqual(quote(1));
    expect(quote(5)).toEqual(quote(1));
    expect(quote(-1)).toEqual(quote(0));
  });

  it('infinite horizon holds T − t at the rolling window whatever the caller passes', () => {
    const rolling = new AvellanedaStoikovModel({ gamma: 0.1, k: 1.5, horizonMode: 'infinite', horizonSec: 1 });
    const now = rolling.quote({ mid: 100, sigma: 2, position: 3, tick: 0.0001, timeRemainingSec: 0 });
    const later = rolling.quote({ mid: 100, sigma: 2, position: 3, tick: 0.0001 });
    expect(now).toEqual(later);
    expect(100 - now.reservationPrice).toBeCloseTo(1.2, 12);
  });

  it('widens with σ, moves the reservation price against the position, and skews more with γ', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0.01, max: 1, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: -10, max: 10, noNaN: true }).filter((q) => Math.abs(q) >= 1e-3),
        (gammaA, gammaB, sigmaA, sigmaB, position) => {
          const [gammaLow, gammaHigh] = gammaA <= gammaB ? [gammaA, gammaB] : [gammaB, gammaA];
          const [sigmaLow, sigmaHigh] = sigmaA <= sigmaB ? [sigmaA, sigmaB] : [sigmaB, sigmaA];
          const at = (gamma: number, sigma: number) =>
            new AvellanedaStoikovModel({ gamma, k: 1.5, horizonMode: 'infinite', horizonSec: 1 }).quote({ mid: 100, sigma, position, tick: 1e-9 });
          expect(at(gammaLow, sigmaHigh).halfSpread).toBeGreaterThanOrEqual(at(gammaLow, sigmaLow).halfSpread);
          expect(at(gammaHigh, sigmaLow).skew).toBeGreaterThanOrEqual(at(gammaLow, sigmaLow).skew);
          expect((at(gammaLow, Math.max(sigmaHigh, 0.01)).reservationPrice - 100) * position).toBeLessThan(0);
        },
      ),
    );
  });

  it('widens with γ whenever σ²·(T−t) ≥ 1/k² (the liquidity term falls by at most 1/k² per unit of γ)', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.double({ min: 0.001, max: 5, noNaN: true }),
        fc.double({ min: 0.1, max: 10, noNaN: true }),
        fc.double({ min: 1, max: 4, noNaN: true }),
        (gammaA, gammaB, k, excess) => {
          const [gammaLow, gammaHigh] = gammaA <= gammaB ? [gammaA, gammaB] : [gammaB, gammaA];
          const sigma = Math.sqrt(excess) / k; // σ²·T = excess / k² with T = 1
          const at = (gamma: number) =>
            new AvellanedaStoikovModel({ gamma, k, horizonMode: 'infinite', horizonSec: 1 }).quote({ mid: 100, sigma, position: 0, tick: 1e-9 });
          expect(at(gammaHigh).halfSpread).toBeGreaterThanOrEqual(at(gammaLow).halfSpread - 1e-12);
        },
      ),
    );
  });

  it('narrows with γ when inventory risk is small: the liquidity term dominates', () => {
    const at = (gamma: number) =>
      new AvellanedaStoikovModel({ gamma, k: 1.5, horizonMode: 'infinite', horizonSec: 1 }).quote({ mid: 100, sigma: 0.01, position: 0, tick: 1e-9 });
    expect(at(1).halfSpread).toBeLessThan(at(0.1).halfSpread);
  });
});

describe('Avellaneda–Stoikov parameters', () => {
  it('refuses a non-positive γ, k or horizon at construction', () => {
    expect(() => new AvellanedaStoikovModel({ gamma: 0.1, k: 0, horizonMode: 'finite', horizonSec: 1 })).toThrow(new RangeError('k must be > 0, got 0'));
    expect(() => new AvellanedaStoikovModel({ gamma: 0.1, k: 1, horizonMode: 'infinite', horizonSec: 0 })).toThrow(/horizonSec must be > 0/);
  });
});
