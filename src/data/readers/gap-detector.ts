import type { MarketEvent } from '../../core/types.js';
import type { GapWarning } from './read-stats.js';

/** Reports where the book snapshots of a coin are further apart than a threshold. */
export class GapDetector {
  private readonly lastBookTs = new Map<string, number>();

  constructor(
    private readonly thresholdMs: number,
    private readonly onGap: (gap: GapWarning) => void,
  ) {}

  observe(event: MarketEvent): void {
    if (event.type !== 'book') return;
    const last = this.lastBookTs.get(event.coin);
    if (last !== undefined && event.exchTs - last > this.thresholdMs) {
      this.onGap({
        kind: 'gap',
        coin: event.coin,
        fromTs: last,
        toTs: event.exchTs,
        seconds: (event.exchTs - last) / 1000,
      });
    }
    this.lastBookTs.set(event.coin, event.exchTs);
  }
}
