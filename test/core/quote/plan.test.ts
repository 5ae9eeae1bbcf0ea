import { describe, expect, it } from 'vitest';
import { FixedSpreadModel } from '../../../src/core/quote/fixed.js';
import { GlftModel } from '../../../src/core/quote/glft.js';
import { planQuotes, type QuotePlan, type QuoteSetup } from '../../../src/core/quote/plan.js';
import { fixedSpreadSetup } from '../../helpers/quote-setup.js';

const setup = fixedSpreadSetup(10, 0);
// At mid 1000 with tick 0.01: 1 bp = 0.1, so 10 bps total = half spread 0.5; spacing 0.2.
const calm = { mid: 1_000, sigma: 0, position: 0, tick: 0.01 };

describe('planQuotes', () => {
  it('turns the model output into a two-sided ladder: bids then asks, closest first', () => {
    const plan = planQuotes(setup, calm);
    expect(plan.reservationPrice).toBe(1_000);
    expect(plan.halfSpread).toBeCloseTo(0.5, 12);
    expect(plan.quotes.map((q) => [q.side, q.level, q.px])).toEqual([
      ['bid', 0, 999.5],
      ['bid', 1, 999.3],
      ['ask', 0, 1_000.5],
      ['ask', 1, 1_000.7],
    ]);
    expect(plan.quotes[0]!.sz).toBeCloseTo(0.05, 12); // $50 at 1000
    expect(plan.bid).toEqual({ halfSpread: plan.halfSpread, reason: null, notes: [] });
  });

  it('skews both sides against the position', () => {
    const long = planQuotes(setup, { ...calm, position: 1 }); // full $1000 position: r moves 0.5 × 0.5
    expect(long.reservationPrice).toBeCloseTo(999.75, 12);
    expect(long.quotes.filter((q) => q.level === 0).map((q) => q.px)).toEqual([999.25, 1_000.25]);
  });

  it('shifts the reservation price by bias_strength × signal half spreads, the signal clamped to [−1, 1]', () => {
    expect(planQuotes(setup, { ...calm, signal: 1 }).reservationPrice).toBeCloseTo(1_000.25, 12);
    expect(planQuotes(setup, { ...calm, signal: -3 }).reservationPrice).toBeCloseTo(999.75, 12);
  });

  it('widens one side by its toxicity multiplier and never narrows a side below the model', () => {
    const plan = planQuotes(setup, { ...calm, toxicityAsk: 1.5, toxicityBid: 0.5 });
    expect(plan.ask.halfSpread).toBeCloseTo(0.75, 12);
    expect(plan.bid.halfSpread).toBeCloseTo(0.5, 12);
    expect(plan.quotes.find((q) => q.side === 'ask')!.px).toBe(1_000.75);
  });

  it('applies the guards and records why each side changed', () => {
    const tight: QuoteSetup = { ...setup, model: new FixedSpreadModel({ baseSpreadBps: 1, volMultiplier: 0, minSpreadBps: 0, maxSpreadBps: 50, inventorySkewFactor: 0, maxPositionUsd: 1_000 }) };
    // 1 bp is under the fee break-even (4 bps: half spread 0.2), so both sides widen: bid 999.8, ask 1000.2.
    const plan = planQuotes(tight, { ...calm, bestBid: 999.7, bestAsk: 999.75 });
    expect(plan.bid.notes.map((note) => note.kind)).toEqual(['widened', 'postOnly']);
    expect(plan.ask.notes.map((note) => note.kind)).toEqual(['widened']);
    // the bid at 999.8 would take the 999.75 offer: it moves a tick under it; level 1 (999.6) stays
    expect(plan.quotes.filter((q) => q.side === 'bid').map((q) => q.px)).toEqual([999.74, 999.6]);
    expect(plan.quotes.filter((q) => q.side === 'ask').map((q) => q.px)).toEqual([1_000.2, 1_000.4]);
  });

  it('does not quote a side the single-sided selector blocks, and says why', () => {
    const plan = planQuotes(setup, { ...calm, sides: { bid: null, ask: 'single_sided_mode is "bid"' } });
    expect(plan.quotes.every((q) => q.side === 'bid')).toBe(true);
    expect(plan.ask.reason).toBe('single_sided_mode is "bid"');
    expect(plan.bid.reason).toBeNull();
  });

  it('gives a reason when every level of a side falls under the minimum order value', () => {
    const small: QuoteSetup = { ...setup, ladder: { ...setup.ladder, orderSizeUsd: 15 } };
    const plan = planQuotes(small, calm);
    expect(plan.quotes).toEqual([]);
    expect(plan.bid.reason).toBe('no level left: level 0 dropped: $7.50 is below the $10 minimum order value');
  });

  it('gives a reason when size skew empties the side that would add to a full position', () => {
    const sized: QuoteSetup = { ...setup, ladder: { ...setup.ladder, inventorySkewSize: true } };
    const plan = planQuotes(sized, { ...calm, position: 1 });
    expect(plan.bid.reason).toBe('no level left: level 0 dropped: size is zero (inventory_skew_size at the position limit)');
    expect(plan.ask.reason).toBeNull();
  });

  it('plans the GLFT worked example around a BTC mid', () => {
    const glft: QuoteSetup = { ...setup, model: new GlftModel({ gamma: 0.05, A: 2.986162360812285, k: 0.04235741115084049, delta: 1 }) };
    const plan = planQuotes(glft, { mid: 100_000, sigma: 10.69, position: 0, tick: 1 });
    expect(plan.quotes.filter((q) => q.level === 0).map((q) => q.px)).toEqual([99_979, 100_021]);
  });

  it('never changes a plan it returned, though later plans reuse its shared notes and scratch', () => {
    const tight: QuoteSetup = { ...setup, model: new FixedSpreadModel({ baseSpreadBps: 1, volMultiplier: 0, minSpreadBps: 0, maxSpreadBps: 50, inventorySkewFactor: 0.5, maxPositionUsd: 1_000 }) };
    const copy = (plan: QuotePlan): unknown => JSON.parse(JSON.stringify(plan));
    const first = planQuotes(tight, { ...calm, bestBid: 999.7, bestAsk: 999.75 });
    const firstCopy = copy(first);
    const second = planQuotes(tight, { ...calm, mid: 1_010, position: 0.5, bestBid: 1_009.7, bestAsk: 1_009.75 });
    const small = planQuotes({ ...tight, ladder: { ...tight.ladder, orderSizeUsd: 15 } }, calm);
    expect(copy(first)).toEqual(firstCopy);
    expect(second.reservationPrice).not.toBe(first.reservationPrice);
    // the ask's only note is the widening, the same frozen array in both plans
    expect(second.ask.notes).toBe(first.ask.notes);
    expect(Object.isFrozen(first.ask.notes) && Object.isFrozen(first.ask.notes[0])).toBe(true);
    expect(small.ask.notes.map((note) => note.kind)).toEqual(['widened', 'belowMinNotional', 'belowMinNotional']);
    expect(first.ask.notes.map((note) => note.kind)).toEqual(['widened']);
  });

  it('shares one frozen empty notes array between sides without notes', () => {
    const plan = planQuotes(setup, calm);
    expect(plan.bid.notes).toBe(plan.ask.notes);
    expect(Object.isFrozen(plan.bid.notes)).toBe(true);
    expect(planQuotes(setup, { ...calm, mid: 1_001 }).bid.notes).toBe(plan.bid.notes);
  });
});
