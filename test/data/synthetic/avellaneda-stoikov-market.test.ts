import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random.js';
import { AVELLANEDA_STOIKOV_2008, AvellanedaStoikovMarket } from '../../../src/data/synthetic/avellaneda-stoikov-market.js';

describe('AvellanedaStoikovMarket', () => {
  it('hit probability is A·e^(−kδ)·dt, capped at 1', () => {
    const market = new AvellanedaStoikovMarket(AVELLANEDA_STOIKOV_2008);
    expect(market.hitProbability(0.5)).toBeCloseTo(140 * Math.exp(-0.75) * 0.005, 12);
    expect(market.hitProbability(1, 0.001)).toBeCloseTo(140 * Math.exp(-1.5) * 0.001, 12);
    expect(market.hitProbability(0, 1)).toBe(1);
  });

  it.each([0.2, 0.5, 1, 2, 3])('a quote at δ = %d is hit as often as A·e^(−kδ)·dt says', (delta) => {
    const market = new AvellanedaStoikovMarket(AVELLANEDA_STOIKOV_2008);
    const rng = new Rng(11);
    const steps = 200_000;
    let hits = 0;
    for (let i = 0; i < steps; i++) if (market.isHit(rng, delta)) hits++;
    const p = market.hitProbability(delta);
    expect(Math.abs(hits / steps - p)).toBeLessThan(5 * Math.sqrt((p * (1 - p)) / steps));
  });

  it('gaussian steps have mean 0 and variance σ²·dt, and move the mid by their sum', () => {
    const market = new AvellanedaStoikovMarket({ s0: 50, sigma: 3, dt: 0.01, A: 1, k: 1 });
    const rng = new Rng(12);
    const steps = 100_000;
    let sum = 0;
    let squares = 0;
    for (let i = 0; i < steps; i++) {
      const increment = market.step(rng);
      sum += increment;
      squares += increment * increment;
    }
    expect(market.mid).toBeCloseTo(50 + sum, 8);
    expect(Math.abs(sum / steps)).toBeLessThan(5 * Math.sqrt(0.09 / steps));
    expect(squares / steps / 0.09).toBeCloseTo(1, 1);
  });

  it("binary steps are exactly ±σ√dt, as in the paper's simulation", () => {
    const market = new AvellanedaStoikovMarket(AVELLANEDA_STOIKOV_2008);
    const rng = new Rng(13);
    const size = 2 * Math.sqrt(0.005);
    let ups = 0;
    for (let i = 0; i < 10_000; i++) {
      const increment = market.step(rng);
      expect(Math.abs(increment)).toBeCloseTo(size, 12);
      if (increment > 0) ups++;
    }
    expect(ups / 10_000).toBeCloseTo(0.5, 1);
  });

  it('replays the same path and fills from the same seed', () => {
    const run = (seed: number): number[] => {
      const market = new AvellanedaStoikovMarket(AVELLANEDA_STOIKOV_2008);
      const rng = new Rng(seed);
      const out: number[] = [];
      for (let i = 0; i < 200; i++) out.push(market.step(rng), market.isHit(rng, 0.7) ? 1 : 0);
      return out;
    };
    expect(run(5)).toEqual(run(5));
    expect(run(5)).not.toEqual(run(6));
  });
});
