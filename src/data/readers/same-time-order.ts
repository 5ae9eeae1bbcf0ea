import type { MarketEvent } from '../../core/types.js';

/**
 * Where an event goes among events of the same exchange time: Hyperliquid stamps a block's trades
 * and its book with the block's time, and the book shows the state after those trades. Replaying
 * the book first would count the traded size twice at our price, once as a shrink of the level
 * and again as the trades.
 */
export function sameTimeRank(event: MarketEvent): number {
  return event.type === 'book' || event.type === 'bookDelta' ? 1 : 0;
}
