import type { BookSnapshotEvent } from '../../core/types.js';
import { MAX_EXACT_DIGITS, readPlainDecimal } from './decimal-string.js';
import { bookFromLevels } from './l2-book-frame.js';

const QUOTE = 34;
const BACKSLASH = 92;
const COMMA = 44;
const ZERO = 48;
const NINE = 57;
const OPEN_BRACKET = 91;
const CLOSE_BRACKET = 93;
const CLOSE_BRACE = 125;
const FIRST_PRINTABLE = 32;

/** Literals compared code by code: cheaper than startsWith() on the sliced strings lines are. */
const codes = (literal: string): readonly number[] => Array.from(literal, (char) => char.charCodeAt(0));
const FRAME_START = codes('{"channel":"l2Book","data":{"coin":"');
const AFTER_COIN = codes('","time":');
const AFTER_TIME = codes(',"levels":[');
const LEVEL_START = codes('{"px":"');
const AFTER_PX = codes('","sz":"');
const AFTER_SZ = codes('","n":');
const FRAME_END = codes(']}}');

/**
 * An l2Book frame in the exact form Hyperliquid sends it (`{"channel":"l2Book","data":{"coin":…,
 * "time":…,"levels":[[{"px":"…","sz":"…","n":…},…],[…]]}}`, no spaces, no escapes, prices and sizes
 * as plain decimals), read straight into the level columns without the objects and strings
 * JSON.parse would build for every level.
 * Returns the same event or reason as JSON.parse followed by parseL2BookData, or undefined when the
 * text is not in that exact form and must go through JSON.parse instead.
 */
export class L2BookFrameScanner {
  private text = '';
  private at = 0;
  private px = new Float64Array(64);
  private sz = new Float64Array(64);
  private levels = 0;

  /** Reads the frame in `text` from `start` up to `end` (exclusive). */
  scan(text: string, start: number, end: number, localTs: number): BookSnapshotEvent | string | undefined {
    this.text = text;
    this.at = start;
    this.levels = 0;
    if (!this.literal(FRAME_START)) return undefined;
    const coinStart = this.at;
    if (!this.skipPlainString() || this.at === coinStart) return undefined;
    const coin = text.slice(coinStart, this.at);
    if (!this.literal(AFTER_COIN)) return undefined;
    const time = this.integer();
    if (time === undefined || !this.literal(AFTER_TIME)) return undefined;
    if (!this.side()) return undefined;
    const bidCount = this.levels;
    if (text.charCodeAt(this.at) !== COMMA) return undefined;
    this.at += 1;
    if (!this.side() || !this.literal(FRAME_END) || this.at !== end) return undefined;
    return bookFromLevels(coin, time, localTs, this.columns(bidCount), bidCount);
  }

  /** `[]` or `[level,…,level]`, each level appended to the scratch columns. */
  private side(): boolean {
    const text = this.text;
    if (text.charCodeAt(this.at) !== OPEN_BRACKET) return false;
    this.at += 1;
    if (text.charCodeAt(this.at) === CLOSE_BRACKET) {
      this.at += 1;
      return true;
    }
    for (;;) {
      if (!this.level()) return false;
      const next = text.charCodeAt(this.at);
      this.at += 1;
      if (next === CLOSE_BRACKET) return true;
      if (next !== COMMA) return false;
    }
  }

  private level(): boolean {
    if (!this.literal(LEVEL_START)) return false;
    if (this.levels === this.px.length) this.grow();
    if (!this.decimalInto(this.px) || !this.literal(AFTER_PX)) return false;
    if (!this.decimalInto(this.sz) || !this.literal(AFTER_SZ) || this.integer() === undefined) return false;
    if (this.text.charCodeAt(this.at) !== CLOSE_BRACE) return false;
    this.at += 1;
    this.levels += 1;
    return true;
  }

  /**
   * Reads the plain decimal at the current place into the current level of `column` and stops
   * after it; false when none starts there. A frame with any other string ("", "5.", signs,
   * exponents, more than 15 digits: rare) is thus declined, left to JSON.parse and `decimal`.
   */
  private decimalInto(column: Float64Array): boolean {
    const stop = readPlainDecimal(this.text, this.at, this.text.length, column, this.levels);
    if (stop < 0) return false;
    this.at = stop;
    return true;
  }

  /** Moves to the closing quote of a string without escapes or control characters. */
  private skipPlainString(): boolean {
    const text = this.text;
    for (let index = this.at; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code === QUOTE) {
        this.at = index;
        return true;
      }
      if (code === BACKSLASH || code < FIRST_PRINTABLE) return false;
    }
    return false;
  }

  /** A JSON integer without sign, fraction or exponent and of at most 15 digits. */
  private integer(): number | undefined {
    const text = this.text;
    const start = this.at;
    let value = 0;
    let index = start;
    for (; index < text.length; index += 1) {
      const code = text.charCodeAt(index);
      if (code < ZERO || code > NINE) break;
      value = value * 10 + (code - ZERO);
    }
    const digits = index - start;
    if (digits === 0 || digits > MAX_EXACT_DIGITS || (digits > 1 && text.charCodeAt(start) === ZERO)) return undefined;
    this.at = index;
    return value;
  }

  private literal(expected: readonly number[]): boolean {
    const text = this.text;
    const at = this.at;
    for (let index = 0; index < expected.length; index += 1) {
      if (text.charCodeAt(at + index) !== expected[index]) return false;
    }
    this.at = at + expected.length;
    return true;
  }

  /** The scanned levels as one buffer: bid prices, bid sizes, ask prices, ask sizes. */
  private columns(bidCount: number): Float64Array {
    const askCount = this.levels - bidCount;
    const store = new Float64Array(2 * this.levels);
    store.set(this.px.subarray(0, bidCount), 0);
    store.set(this.sz.subarray(0, bidCount), bidCount);
    store.set(this.px.subarray(bidCount, this.levels), 2 * bidCount);
    store.set(this.sz.subarray(bidCount, this.levels), 2 * bidCount + askCount);
    return store;
  }

  private grow(): void {
    const px = new Float64Array(2 * this.px.length);
    const sz = new Float64Array(2 * this.sz.length);
    px.set(this.px);
    sz.set(this.sz);
    this.px = px;
    this.sz = sz;
  }
}
