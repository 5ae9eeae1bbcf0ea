import type { Side } from '../types.js';

/** Attempts after the one at the touch, evenly spaced up to the slippage cap. */
export const IOC_CHAIN_STEPS = 3;

/**
 * Hyperliquid refuses prices far from the reference price, and its SDK's own "market" orders
 * use 5% slippage; a larger configured slippage is clamped to this.
 */
export const MAX_IOC_SLIPPAGE_BPS = 500;

const BPS = 10_000;

/**
 * Prices for a chain of IOC orders on `side` (bid = buy): the first at `touch` (the best price
 * on the other side of the book), each next one a step further, the last at
 * maxSlippageBps from the touch. Prices are always positive; rounding to the tick happens at the venue.
 */
export function iocPriceChain(side: Side, touch: number, maxSlippageBps: number): number[] {
  const slippage = Math.min(Math.max(maxSlippageBps, 0), MAX_IOC_SLIPPAGE_BPS) / BPS;
  if (slippage === 0) return [touch];
  const direction = side === 'bid' ? 1 : -1;
  const chain: number[] = [];
  for (let step = 0; step <= IOC_CHAIN_STEPS; step += 1) {
    chain.push(touch * (1 + (direction * slippage * step) / IOC_CHAIN_STEPS));
  }
  return chain;
}
