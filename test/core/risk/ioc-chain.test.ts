import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { IOC_CHAIN_STEPS, MAX_IOC_SLIPPAGE_BPS, iocPriceChain } from '../../../src/core/risk/ioc-chain.js';

describe('iocPriceChain', () => {
  it('sells from the best bid down to the slippage cap in equal steps', () => {
    const chain = iocPriceChain('ask', 100, 6);
    expect(chain).toHaveLength(IOC_CHAIN_STEPS + 1);
    expect(chain[0]).toBe(100);
    expect(chain[1]).toBeCloseTo(99.98, 12);
    expect(chain.at(-1)).toBeCloseTo(99.94, 12);
  });

  it('buys from the best ask up to the cap', () => {
    expect(iocPriceChain('bid', 200, 30).at(-1)).toBeCloseTo(200.6, 12);
  });

  it('is a single IOC at the touch when no slippage is allowed', () => {
    expect(iocPriceChain('ask', 100, 0)).toEqual([100]);
  });

  it('clamps the slippage to 5% so a price is never 0 or far from the reference price', () => {
    expect(iocPriceChain('ask', 100, 20_000).at(-1)).toBeCloseTo(100 * (1 - MAX_IOC_SLIPPAGE_BPS / 10_000), 12);
  });

  it('always gives positive prices that move away from the touch and stay within the cap', () => {
    fc.assert(
      fc.property(
        fc.constantFrom('bid' as const, 'ask' as const),
        fc.double({ min: 1e-6, max: 1e6, noNaN: true }),
        fc.double({ min: 0, max: 1e5, noNaN: true }),
        (side, touch, slippageBps) => {
          const chain = iocPriceChain(side, touch, slippageBps);
          const cap = Math.min(slippageBps, MAX_IOC_SLIPPAGE_BPS) / 10_000;
          expect(chain[0]).toBe(touch);
          for (let i = 1; i < chain.length; i += 1) {
            if (side === 'bid') expect(chain[i]!).toBeGreaterThanOrEqual(chain[i - 1]!);
            else expect(chain[i]!).toBeLessThanOrEqual(chain[i - 1]!);
          }
          for (const px of chain) {
            expect(px).toBeGreaterThan(0);
            expect(Math.abs(px - touch)).toBeLessThanOrEqual(touch * (cap + 1e-12));
          }
        },
      ),
    );
  });
});
