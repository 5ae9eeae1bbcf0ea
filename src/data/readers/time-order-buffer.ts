import type { MarketEvent } from '../../core/types.js';
import { sameTimeRank } from './same-time-order.js';

/**
 * Puts events in exchange-time order when they arrive at most `toleranceMs` behind the newest one
 * seen (books and trades travel on different channels, so a trade can follow a later book). An
 * event further behind is refused. Events are held until no acceptable event can precede them.
 * At equal times trades go before books (sameTimeRank); otherwise arrival order is kept.
 */
export class TimeOrderBuffer {
  private held: MarketEvent[] = [];
  private head = 0;
  private newestTs = Number.NEGATIVE_INFINITY;

  constructor(readonly toleranceMs: number) {}

  /** Adds an event; false when it is further behind the newest than the tolerance (it is not kept). */
  push(event: MarketEvent): boolean {
    if (event.exchTs < this.newestTs - this.toleranceMs) return false;
    if (event.exchTs > this.newestTs) this.newestTs = event.exchTs;
    // Input is nearly sorted, so inserting from the back is usually a single append.
    const held = this.held;
    let index = held.length;
    while (index > this.head && goesAfter(held[index - 1]!, event)) index -= 1;
    if (index === held.length) held.push(event);
    else held.splice(index, 0, event);
    return true;
  }

  /** Why `push` refused an event: how far behind the newest event it was. */
  lateReason(event: MarketEvent): string {
    const date = new Date(event.exchTs);
    const time = Number.isNaN(date.getTime()) ? String(event.exchTs) : date.toISOString();
    return (
      `time ${time} goes back ${this.newestTs - event.exchTs} ms behind an event already read ` +
      `(more than the ${this.toleranceMs} ms tolerance)`
    );
  }

  /** Appends to `out`, oldest first, the events that no acceptable later event can precede. */
  releaseReady(out: MarketEvent[]): void {
    this.release(out, this.newestTs - this.toleranceMs);
  }

  /** Appends every held event to `out` (end of input). */
  releaseAll(out: MarketEvent[]): void {
    this.release(out, Number.POSITIVE_INFINITY);
  }

  private release(out: MarketEvent[], beforeTs: number): void {
    const held = this.held;
    while (this.head < held.length && held[this.head]!.exchTs < beforeTs) {
      out.push(held[this.head]!);
      this.head += 1;
    }
    if (this.head === held.length) {
      this.held = [];
      this.head = 0;
    } else if (this.head > 1024) {
      this.held = held.slice(this.head);
      this.head = 0;
    }
  }
}

function goesAfter(held: MarketEvent, event: MarketEvent): boolean {
  return held.exchTs > event.exchTs || (held.exchTs === event.exchTs && sameTimeRank(held) > sameTimeRank(event));
}
