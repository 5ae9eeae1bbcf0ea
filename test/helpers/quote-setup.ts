import { FixedSpreadModel } from '../../src/core/quote/fixed.js';
import type { QuoteSetup } from '../../src/core/quote/plan.js';

/**
 * A fixed-spread quote setup: two levels 2 bps apart, $100 a side, the fee guard on at base-tier
 * maker fees, bias strength 0.5.
 */
export function fixedSpreadSetup(baseSpreadBps: number, volMultiplier: number): QuoteSetup {
  return {
    model: new FixedSpreadModel({ baseSpreadBps, volMultiplier, minSpreadBps: 0, maxSpreadBps: 50, inventorySkewFactor: 0.5, maxPositionUsd: 1_000 }),
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
