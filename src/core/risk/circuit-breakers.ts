/** Thresholds of the market and API circuit breakers (not config keys; see SEED_BREAKERS). */
export interface BreakerParams {
  /** Mid move beyond this fraction within widenWindowMs widens spreads. */
  readonly widenMoveFraction: number;
  readonly widenWindowMs: number;
  readonly widenMultiplier: number;
  readonly widenCooldownMs: number;
  /** Mid move beyond this fraction within cancelWindowMs cancels the coin's orders. */
  readonly cancelMoveFraction: number;
  readonly cancelWindowMs: number;
  readonly cancelCooldownMs: number;
  /** More than this many API errors within apiErrorWindowMs pauses the bot. */
  readonly maxApiErrors: number;
  readonly apiErrorWindowMs: number;
  readonly apiPauseMs: number;
}

/** The circuit-breaker table of seed 003 (§5.3). */
export const SEED_BREAKERS: BreakerParams = {
  widenMoveFraction: 0.01,
  widenWindowMs: 60_000,
  widenMultiplier: 3,
  widenCooldownMs: 5 * 60_000,
  cancelMoveFraction: 0.03,
  cancelWindowMs: 5 * 60_000,
  cancelCooldownMs: 15 * 60_000,
  maxApiErrors: 5,
  apiErrorWindowMs: 60_000,
  apiPauseMs: 2 * 60_000,
};

/** Mids are kept as the low and high of each second: bounded memory, 1 s time resolution. */
const BUCKET_MS = 1000;

/**
 * Recent mids of one coin in a fixed ring of one-second buckets covering `horizonMs`.
 * Comparing the current mid with the low and high of the window on every evaluation catches
 * every move between two recorded mids, whichever came first.
 */
interface WindowExtremes {
  readonly firstStart: number;
  readonly head: number;
  readonly headStart: number;
  readonly low: number;
  readonly high: number;
}

export class MidHistory {
  private readonly extremes = new Map<number, WindowExtremes>();
  private readonly starts: Float64Array;
  private readonly lows: Float64Array;
  private readonly highs: Float64Array;
  private head = -1;
  private size = 0;

  constructor(horizonMs: number) {
    const capacity = Math.ceil(horizonMs / BUCKET_MS) + 1;
    this.starts = new Float64Array(capacity);
    this.lows = new Float64Array(capacity);
    this.highs = new Float64Array(capacity);
  }

  record(ts: number, mid: number): void {
    const start = Math.floor(ts / BUCKET_MS) * BUCKET_MS;
    if (this.size > 0 && start <= this.starts[this.head]!) {
      if (mid < this.lows[this.head]!) this.lows[this.head] = mid;
      if (mid > this.highs[this.head]!) this.highs[this.head] = mid;
      return;
    }
    this.head = (this.head + 1) % this.starts.length;
    this.starts[this.head] = start;
    this.lows[this.head] = mid;
    this.highs[this.head] = mid;
    if (this.size < this.starts.length) this.size += 1;
  }

  /**
   * The largest move from a mid recorded in the last `windowMs` (to bucket resolution) to `mid`,
   * as a fraction of that earlier mid, if it is strictly beyond `fraction`; otherwise 0.
   * Compared as |mid − earlier| > fraction × earlier, so a move of exactly the threshold is not beyond it.
   */
  moveBeyond(mid: number, now: number, windowMs: number, fraction: number): number {
    if (this.size === 0 || this.starts[this.head]! + BUCKET_MS <= now - windowMs) return 0;
    const older = this.olderExtremes(now, windowMs);
    // (mid − x)/x falls and (x − mid)/x rises with x, so the largest move is from the lowest low or the highest high.
    const low = Math.min(older.low, this.lows[this.head]!);
    const high = Math.max(older.high, this.highs[this.head]!);
    let largest = 0;
    if (mid - low > fraction * low) largest = (mid - low) / low;
    if (high - mid > fraction * high) largest = Math.max(largest, (high - mid) / high);
    return largest;
  }

  /**
   * Lowest low and highest high of the window's buckets before the head. They change only when
   * a bucket starts or leaves the window, so they are kept per window and rescanned then.
   */
  private olderExtremes(now: number, windowMs: number): WindowExtremes {
    const firstStart = (Math.floor((now - windowMs - BUCKET_MS) / BUCKET_MS) + 1) * BUCKET_MS;
    let cached = this.extremes.get(windowMs);
    if (cached && cached.firstStart === firstStart && cached.head === this.head && cached.headStart === this.starts[this.head]) {
      return cached;
    }
    let low = Infinity;
    let high = -Infinity;
    const capacity = this.starts.length;
    for (let age = 1; age < this.size; age += 1) {
      const i = (this.head - age + capacity) % capacity;
      if (this.starts[i]! < firstStart) break;
      if (this.lows[i]! < low) low = this.lows[i]!;
      if (this.highs[i]! > high) high = this.highs[i]!;
    }
    cached = { firstStart, head: this.head, headStart: this.starts[this.head]!, low, high };
    this.extremes.set(windowMs, cached);
    return cached;
  }
}

/** The last maxErrors + 1 API error times: enough to tell whether more than maxErrors fell in a window. */
export class ApiErrorWindow {
  private readonly times: Float64Array;
  private next = 0;
  private count = 0;

  constructor(maxErrors: number) {
    this.times = new Float64Array(maxErrors + 1);
  }

  record(ts: number, errors: number): void {
    const n = Math.min(errors, this.times.length);
    for (let k = 0; k < n; k += 1) {
      this.times[this.next] = ts;
      this.next = (this.next + 1) % this.times.length;
    }
    this.count = Math.min(this.count + n, this.times.length);
  }

  /** How many of the kept errors are younger than `windowMs` (at most maxErrors + 1). */
  recent(now: number, windowMs: number): number {
    let recent = 0;
    for (let k = 0; k < this.count; k += 1) if (now - this.times[k]! < windowMs) recent += 1;
    return recent;
  }
}
