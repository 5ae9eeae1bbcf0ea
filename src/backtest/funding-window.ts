import type { MarketEvent } from '../core/types.js';

/**
 * Lets through the funding records that fall within the market data (books and trades): a
 * fundingHistory reply often spans days around an hour of books, and its records outside that
 * hour would stretch the run's timeline with nothing to pay on. A record is held until market data
 * at or after it arrives; records before the first market event, and those still held at the end,
 * are left out.
 */
export class FundingWindow {
  private marketStarted = false;
  private readonly held: MarketEvent[] = [];

  /** Hands `deliver` the events that `event` lets through, in time order. */
  pass(event: MarketEvent, deliver: (event: MarketEvent) => void): void {
    if (event.type === 'funding') {
      if (this.marketStarted) this.held.push(event);
      return;
    }
    this.marketStarted = true;
    if (this.held.length > 0) {
      for (const funding of this.held) deliver(funding);
      this.held.length = 0;
    }
    deliver(event);
  }
}
