import { describe, expect, it } from 'vitest';
import { coinCapReason, grossCapReason, marginCap, portfolioThresholdHit } from '../../../src/core/risk/limits.js';

describe('caps', () => {
  it('are reached at the cap itself', () => {
    expect(coinCapReason(4, 100, 400)).toBe('per-coin notional cap 400 USD reached (400 USD long)');
    expect(coinCapReason(-3.99, 100, 400)).toBeNull();
    expect(grossCapReason(800, 800)).toBe('gross notional cap 800 USD reached (800 USD)');
    expect(grossCapReason(799.99, 800)).toBeNull();
  });
});

describe('marginCap', () => {
  const params = { assumed_leverage: 10, margin_cap_fraction: 0.2 };

  it('auto: fits the orders exactly into the cap', () => {
    const result = marginCap({ ...params, margin_cap_mode: 'auto' }, 500, 1600);
    expect(result.sizeMultiplier).toBeCloseTo(100 / 160, 12);
    expect(result.blockReason).toBeNull();
    expect(result.beyondReason).toBe(
      'margin cap: resting orders need 160 USD margin at 10x, beyond 20% of free collateral 500 USD (100 USD); sizes scaled x0.625',
    );
  });

  it('strict: refuses beyond the cap and leaves sizes alone', () => {
    const result = marginCap({ ...params, margin_cap_mode: 'strict' }, 500, 1000.1);
    expect(result.sizeMultiplier).toBe(1);
    expect(result.blockReason).toContain('beyond 20% of free collateral 500 USD');
    expect(marginCap({ ...params, margin_cap_mode: 'strict' }, 500, 1000).blockReason).toBeNull();
  });

  it('off: never limits', () => {
    expect(marginCap({ ...params, margin_cap_mode: 'off' }, 0, 1e9)).toEqual({ sizeMultiplier: 1, blockReason: null, beyondReason: null });
  });
});

describe('portfolioThresholdHit', () => {
  it('counts a return of exactly the threshold, which float division would miss', () => {
    expect(920 / 1000 - 1 <= -0.08).toBe(false);
    expect(portfolioThresholdHit(920, 1000, -0.08)).toBe(true);
    expect(portfolioThresholdHit(920.01, 1000, -0.08)).toBe(false);
  });
});
