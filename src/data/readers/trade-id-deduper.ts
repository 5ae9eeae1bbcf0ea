import { NumberHashSet } from './number-hash-set.js';

const GENERATION_MS = 3_600_000;

/**
 * Recognises trades already seen, by trade id, in bounded memory. Hyperliquid re-sends recent
 * trades on every (re)subscription; ids are remembered for one to two hours of trade time and a
 * trade older than that is taken as a stale re-send too.
 */
export class TradeIdDeduper {
  private current = new NumberHashSet();
  private previous = new NumberHashSet();
  private currentStartTs = Number.NaN;
  private previousStartTs = Number.NEGATIVE_INFINITY;

  /** True when the trade was seen before (or is too old to tell); otherwise remembers it. */
  isRepeat(tid: number, exchTs: number): boolean {
    if (Number.isNaN(this.currentStartTs)) this.currentStartTs = exchTs;
    if (exchTs >= this.currentStartTs + GENERATION_MS) {
      const emptied = this.previous;
      emptied.clear();
      this.previous = this.current;
      this.previousStartTs = this.currentStartTs;
      this.current = emptied;
      this.currentStartTs = exchTs;
    }
    if (exchTs < this.previousStartTs || this.current.has(tid) || this.previous.has(tid)) return true;
    this.current.add(tid);
    return false;
  }
}
