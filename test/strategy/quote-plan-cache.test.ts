import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FixedSpreadModel } from '../../src/core/quote/fixed.js';
import { planQuotes, type QuoteSetup } from '../../src/core/quote/plan.js';
import { BOTH_SIDES } from '../../src/core/quote/single-sided.js';
import { QuotePlanCache, type PlanInputs } from '../../src/strategy/quote-plan-cache.js';

function setupWithSpread(baseSpreadBps: number): QuoteSetup {
  return {
    model: new FixedSpreadModel({ baseSpreadBps, volMultiplier: 1, minSpreadBps: 0, maxSpreadBps: 50, inventorySkewFactor: 0.5, maxPositionUsd: 1_000 }),
    ladder: { numLevels: 2, levelSpacingBps: 2, levelSizeSplit: [0.5, 0.5], orderSizeUsd: 100, inventorySkewSize: false, maxPositionUsd: 1_000 },
    guards: {
      minSpreadBps: 0,
      maxSpreadBps: 50,
      makerFee: 0.00015,
      minSpreadGuardEnabled: true,
      minSpreadGuardBufferBps: 1,
      dynamicMinSpreadEnabled: false,
      minNotionalUsd: 10,
    },
    biasStrength: 0.5,
  };
}

const setup = setupWithSpread(10);

function fill(cache: QuotePlanCache, values: Partial<PlanInputs>): void {
  Object.assign(cache.inputs, { mid: 1_000, sigma: 0.01, position: 0, tick: 0.01, bestBid: 999.9, bestAsk: 1_000.1, ...values });
}

describe('QuotePlanCache', () => {
  it('gives back the same plan while the inputs repeat, and plans again when one changes', () => {
    const cache = new QuotePlanCache();
    fill(cache, {});
    const first = cache.plan(setup);
    fill(cache, {});
    expect(cache.plan(setup)).toBe(first);
    fill(cache, { position: 0.05 });
    const moved = cache.plan(setup);
    expect(moved).not.toBe(first);
    expect(moved.reservationPrice).toBeLessThan(first.reservationPrice);
  });

  it('plans again for a new setup (a refit of the fill intensity) even with the same inputs', () => {
    const cache = new QuotePlanCache();
    fill(cache, {});
    const narrow = cache.plan(setup);
    fill(cache, {});
    const wide = cache.plan(setupWithSpread(20));
    expect(wide.halfSpread).toBeGreaterThan(narrow.halfSpread);
  });

  it('always returns exactly what planQuotes would for the current inputs', () => {
    const sides = [BOTH_SIDES, { bid: null, ask: 'flow' }, { bid: 'flow', ask: null }] as const;
    const loop = fc.record({
      mid: fc.constantFrom(999.5, 1_000, 1_000.5),
      sigma: fc.constantFrom(0, 0.01, 0.2),
      position: fc.constantFrom(-0.1, 0, 0.1),
      toxicity: fc.constantFrom(1, 2),
      timeRemainingSec: fc.constantFrom(undefined, 10),
      sides: fc.constantFrom(...sides),
    });
    fc.assert(
      fc.property(fc.array(loop, { minLength: 1, maxLength: 40 }), (loops) => {
        const cache = new QuotePlanCache();
        for (const { toxicity, ...values } of loops) {
          fill(cache, { ...values, toxicityBid: toxicity, toxicityAsk: toxicity });
          expect(cache.plan(setup)).toEqual(planQuotes(setup, { ...cache.inputs }));
        }
      }),
    );
  });
});
