import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { planQuotes } from '../../src/core/quote/plan.js';
import { BOTH_SIDES } from '../../src/core/quote/single-sided.js';
import { QuotePlanCache, type PlanInputs } from '../../src/strategy/quote-plan-cache.js';
import { fixedSpreadSetup } from '../helpers/quote-setup.js';


const setup = fixedSpreadSetup(10, 1);

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
    const wide = cache.plan(fixedSpreadSetup(20, 1));
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
