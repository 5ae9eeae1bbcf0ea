import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedSpreadModel, type FixedSpreadParams } from '../../../src/core/quote/fixed.js';

const params: FixedSpreadParams = {
  baseSpreadBps: 2,
  volMultiplier: 1.5,
  minSpreadBps: 1,
  maxSpreadBps: 20,
  inventorySkewFactor: 0.3,
  maxPositionUsd: 400,
};
const model = new FixedSpreadModel(params);

describe('fixed-spread model', () => {
  it('quotes base_spread_bps around the mid when flat and calm', () => {
    const quote = model.quote({ mid: 100_000, sigma: 0, position: 0, tick: 1 });
    expect(quote.reservationPrice).toBe(100_000);
    expect(quote.halfSpread).toBeCloseTo(10, 9); // 2 bps of 100000 = 20, half = 10
  });

  it('widens by vol_multiplier per bp of σ (σ_bps = σ / mid · 1e4)', () => {
    // σ = 20 on 100000 is 2 bps; spread = 2 + 1.5 · 2 = 5 bps = 50; half = 25
    expect(model.quote({ mid: 100_000, sigma: 20, position: 0, tick: 1 }).halfSpread).toBeCloseTo(25, 9);
  });

  it('floors at min_spread_bps and caps at max_spread_bps', () => {
    const tight = new FixedSpreadModel({ ...params, baseSpreadBps: 0.2, minSpreadBps: 4 });
    expect(tight.quote({ mid: 100_000, sigma: 0, position: 0, tick: 1 }).halfSpread).toBeCloseTo(20, 9);
    expect(model.quote({ mid: 100_000, sigma: 1_000, position: 0, tick: 1 }).halfSpread).toBeCloseTo(100, 9);
  });

  it('at the full position moves the reservation price inventory_skew_factor half spreads against it', () => {
    const mid = 100_000;
    const fullLong = 400 / mid; // max_per_coin_notional in coins
    const quote = model.quote({ mid, sigma: 0, position: fullLong, tick: 1 });
    expect(mid - quote.reservationPrice).toBeCloseTo(0.3 * quote.halfSpread, 9);
    expect(quote.skew * fullLong).toBeCloseTo(3, 9);
  });

  it('does not skew when no position is allowed at all', () => {
    const noLimit = new FixedSpreadModel({ ...params, maxPositionUsd: 0 });
    expect(noLimit.quote({ mid: 100, sigma: 0, position: 2, tick: 0.01 }).reservationPrice).toBe(100);
  });

  it('never reports a half spread under half a tick', () => {
    const zero = new FixedSpreadModel({ ...params, baseSpreadBps: 0, minSpreadBps: 0 });
    expect(zero.quote({ mid: 0.2, sigma: 0, position: 0, tick: 0.00001 }).halfSpread).toBe(0.000005);
  });

  it('widens with σ (until the cap) and moves the reservation price against the position', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.double({ min: -0.004, max: 0.004, noNaN: true }).filter((q) => Math.abs(q) >= 1e-6),
        (sigmaA, sigmaB, position) => {
          const [low, high] = sigmaA <= sigmaB ? [sigmaA, sigmaB] : [sigmaB, sigmaA];
          const calm = model.quote({ mid: 100_000, sigma: low, position, tick: 1 });
          const wild = model.quote({ mid: 100_000, sigma: high, position, tick: 1 });
          expect(wild.halfSpread).toBeGreaterThanOrEqual(calm.halfSpread);
          expect((calm.reservationPrice - 100_000) * position).toBeLessThan(0);
        },
      ),
    );
  });
});
