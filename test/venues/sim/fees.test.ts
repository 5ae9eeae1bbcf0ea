import { describe, expect, it } from 'vitest';
import { BASE_PERP_FEES, HL_PERP_FEE_TIERS, tradeFee } from '../../../src/venues/sim/fees.js';

describe('fees', () => {
  it('base tier is a cost on both sides: maker 0.015%, taker 0.045%', () => {
    expect(BASE_PERP_FEES).toEqual({ makerRate: 0.00015, takerRate: 0.00045 });
    expect(tradeFee(BASE_PERP_FEES, true, 2000, 0.5)).toBeCloseTo(0.15, 12);
    expect(tradeFee(BASE_PERP_FEES, false, 2000, 0.5)).toBeCloseTo(0.45, 12);
  });

  it('tiers get cheaper with volume and maker never costs more than taker', () => {
    expect(HL_PERP_FEE_TIERS).toHaveLength(7);
    for (let tier = 1; tier < HL_PERP_FEE_TIERS.length; tier++) {
      const previous = HL_PERP_FEE_TIERS[tier - 1]!;
      const current = HL_PERP_FEE_TIERS[tier]!;
      expect(current.takerRate).toBeLessThan(previous.takerRate);
      expect(current.makerRate).toBeLessThanOrEqual(previous.makerRate);
      expect(current.makerRate).toBeLessThan(current.takerRate);
    }
  });

  it('a negative rate is a rebate: a negative fee', () => {
    expect(tradeFee({ makerRate: -0.00003, takerRate: 0.00045 }, true, 100, 2)).toBeCloseTo(-0.006, 12);
  });
});
