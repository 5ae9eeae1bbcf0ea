/** Thresholds of the market and API circuit breakers (config keys breaker_*; defaults SEED_BREAKERS). */
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

/** The circuit-breaker table of seed 003 (§5.3): the defaults of the breaker_* config keys. */
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

/** The config keys the breakers read (times in seconds); the bot's config satisfies it. */
export interface BreakerSettings {
  readonly breaker_widen_move_pct: number;
  readonly breaker_widen_window_sec: number;
  readonly breaker_widen_multiplier: number;
  readonly breaker_widen_cooldown_sec: number;
  readonly breaker_cancel_move_pct: number;
  readonly breaker_cancel_window_sec: number;
  readonly breaker_cancel_cooldown_sec: number;
  readonly breaker_max_api_errors: number;
  readonly breaker_api_error_window_sec: number;
  readonly breaker_api_pause_sec: number;
}

export function breakerParamsFromSettings(settings: BreakerSettings): BreakerParams {
  const ms = (sec: number): number => sec * 1000;
  return {
    widenMoveFraction: settings.breaker_widen_move_pct,
    widenWindowMs: ms(settings.breaker_widen_window_sec),
    widenMultiplier: settings.breaker_widen_multiplier,
    widenCooldownMs: ms(settings.breaker_widen_cooldown_sec),
    cancelMoveFraction: settings.breaker_cancel_move_pct,
    cancelWindowMs: ms(settings.breaker_cancel_window_sec),
    cancelCooldownMs: ms(settings.breaker_cancel_cooldown_sec),
    maxApiErrors: settings.breaker_max_api_errors,
    apiErrorWindowMs: ms(settings.breaker_api_error_window_sec),
    apiPauseMs: ms(settings.breaker_api_pause_sec),
  };
}

/** A price-move breaker's trigger: a mid move strictly beyond `fraction` within `windowMs`. */
export interface MoveWindow {
  readonly windowMs: number;
  readonly fraction: number;
}

/** Mids are kept as the low and high of each second: bounded memory, 1 s time resolution. */
const BUCKET_MS = 1000;

/**
 * The lowest low and highest high of one window's buckets before the head, as of the window
 * starting at `firstStart` with the head at ring index `head` (start `headStart`). Updated in
 * place as the window moves; the initial values are always overwritten by a first scan.
 */
class WindowExtremes {
  constructor(readonly windowMs: number) {}
  firstStart = Number.NaN;
  head = -1;
  headStart = Number.NaN;
  low = Infinity;
  high = -Infinity;
  /** Start of the newest bucket holding `low` / `high`; +Infinity when no bucket does. */
  lowStart = Infinity;
  highStart = Infinity;
}

/** Start of the oldest bucket within `windowMs` of `now`. */
function windowStart(now: number, windowMs: number): number {
  return (Math.floor((now - windowMs - BUCKET_MS) / BUCKET_MS) + 1) * BUCKET_MS;
}

/** Whether a bucket that held an extreme (+Infinity: none did) is still kept and within the window. */
function stillKept(start: number, firstStart: number, oldestStart: number): boolean {
  return start === Infinity || (start >= firstStart && start >= oldestStart);
}

/**
 * Recent mids of one coin in a fixed ring of one-second buckets covering `horizonMs`.
 * Comparing the current mid with the low and high of the window on every evaluation catches
 * every move between two recorded mids, whichever came first.
 */
export class MidHistory {
  /** One entry per window size asked about: a coin has two, searched faster in an array than in a Map. */
  private readonly windows: WindowExtremes[] = [];
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
  moveBeyond(mid: number, now: number, { windowMs, fraction }: MoveWindow): number {
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
   * a bucket starts or leaves the window, so they are kept per window and updated then: a
   * bucket that stops being the head joins them, and a bucket leaving the window forces a
   * rescan only when it held the low or the high (older buckets never change).
   */
  private olderExtremes(now: number, windowMs: number): WindowExtremes {
    let extremes: WindowExtremes | undefined;
    for (const window of this.windows) if (window.windowMs === windowMs) extremes = window;
    if (extremes === undefined) {
      extremes = new WindowExtremes(windowMs);
      this.windows.push(extremes);
      this.rescan(extremes, now);
    } else if (
      extremes.firstStart !== windowStart(now, windowMs) ||
      extremes.head !== this.head ||
      extremes.headStart !== this.starts[this.head]
    ) {
      // Given `now` rather than the window's start: a computed time passed on would be boxed on every call.
      if (!this.advanced(extremes, now)) this.rescan(extremes, now);
    }
    return extremes;
  }

  /**
   * Moves the extremes forward to `now` when the window only moved forward and the head stayed
   * or advanced by one bucket; false, leaving them as they were, when a rescan is needed.
   */
  private advanced(extremes: WindowExtremes, now: number): boolean {
    const firstStart = windowStart(now, extremes.windowMs);
    const headStart = this.starts[this.head]!;
    const capacity = this.starts.length;
    if (firstStart < extremes.firstStart) return false;
    const previousHead = extremes.head;
    const previousHeadStart = extremes.headStart;
    const sameHead = previousHead === this.head && previousHeadStart === headStart;
    const advancedByOne =
      capacity > 1 && (previousHead + 1) % capacity === this.head && this.starts[previousHead] === previousHeadStart;
    if (!sameHead && !advancedByOne) return false;
    const oldestStart = this.starts[this.size < capacity ? 0 : (this.head + 1) % capacity]!;
    if (!stillKept(extremes.lowStart, firstStart, oldestStart) || !stillKept(extremes.highStart, firstStart, oldestStart)) return false;
    if (advancedByOne && previousHeadStart >= firstStart) {
      const joiningLow = this.lows[previousHead]!;
      const joiningHigh = this.highs[previousHead]!;
      if (joiningLow < extremes.low || (joiningLow === extremes.low && extremes.lowStart !== Infinity)) {
        extremes.low = joiningLow;
        extremes.lowStart = previousHeadStart;
      }
      if (joiningHigh > extremes.high || (joiningHigh === extremes.high && extremes.highStart !== Infinity)) {
        extremes.high = joiningHigh;
        extremes.highStart = previousHeadStart;
      }
    }
    extremes.firstStart = firstStart;
    extremes.head = this.head;
    extremes.headStart = headStart;
    return true;
  }

  private rescan(extremes: WindowExtremes, now: number): void {
    const firstStart = windowStart(now, extremes.windowMs);
    const headStart = this.starts[this.head]!;
    let low = Infinity;
    let high = -Infinity;
    let lowStart = Infinity;
    let highStart = Infinity;
    const capacity = this.starts.length;
    for (let age = 1; age < this.size; age += 1) {
      const i = (this.head - age + capacity) % capacity;
      const start = this.starts[i]!;
      if (start < firstStart) break;
      if (this.lows[i]! < low) {
        low = this.lows[i]!;
        lowStart = start;
      }
      if (this.highs[i]! > high) {
        high = this.highs[i]!;
        highStart = start;
      }
    }
    extremes.firstStart = firstStart;
    extremes.head = this.head;
    extremes.headStart = headStart;
    extremes.low = low;
    extremes.high = high;
    extremes.lowStart = lowStart;
    extremes.highStart = highStart;
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
