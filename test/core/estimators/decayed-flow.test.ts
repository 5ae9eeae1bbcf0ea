import { describe, expect, it } from 'vitest';
import { DecayedFlow } from '../../../src/core/estimators/decayed-flow.js';

describe('DecayedFlow', () => {
  it('halves the notional after each half-life', () => {
    const flow = new DecayedFlow(30);
    flow.update('bid', 100, 0);
    expect(flow.buy(0)).toBe(100);
    expect(flow.buy(30_000)).toBeCloseTo(50, 12);
    expect(flow.buy(60_000)).toBeCloseTo(25, 12);
    expect(flow.sell(60_000)).toBe(0);
  });

  it('adds new trades to what is left of the old ones', () => {
    const flow = new DecayedFlow(30);
    flow.update('bid', 100, 0);
    flow.update('bid', 50, 30_000);
    flow.update('ask', 40, 30_000);
    expect(flow.buy(30_000)).toBeCloseTo(100, 12);
    expect(flow.sell(30_000)).toBe(40);
  });

  it('reports buy/sell as the bias, with 1 for no flow and Infinity for buys only', () => {
    const flow = new DecayedFlow(30);
    expect(flow.bias).toBe(1);
    flow.update('bid', 100, 0);
    expect(flow.bias).toBe(Infinity);
    flow.update('ask', 100, 30_000);
    // The buy has decayed to 50 by the time the sell arrives.
    expect(flow.bias).toBeCloseTo(0.5, 12);
  });

  it('is 0 when only sells were seen', () => {
    const flow = new DecayedFlow(30);
    flow.update('ask', 10, 0);
    expect(flow.bias).toBe(0);
  });

  it('counts a trade stamped in the past at the latest time', () => {
    const flow = new DecayedFlow(30);
    flow.update('bid', 100, 30_000);
    flow.update('ask', 100, 0);
    expect(flow.sell(30_000)).toBe(100);
    expect(flow.bias).toBe(1);
  });
});
