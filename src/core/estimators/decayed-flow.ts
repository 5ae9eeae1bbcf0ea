import type { Side } from '../types.js';

/**
 * Aggressor buy and sell notional, each decayed with one half-life (seed key
 * `ss_ma_half_life_sec`), for single-sided auto mode to see which way the market is pushing.
 */
export class DecayedFlow {
  private readonly decayPerMs: number;
  private buyNotional = 0;
  private sellNotional = 0;
  private lastTs = -Infinity;

  constructor(halfLifeSec: number) {
    if (!(halfLifeSec > 0)) throw new RangeError(`halfLifeSec must be > 0, got ${halfLifeSec}`);
    this.decayPerMs = Math.LN2 / (halfLifeSec * 1000);
  }

  /**
   * Adds a public trade: `side` is the aggressor ('bid' bought), `notional` is px·sz. A trade
   * stamped before the last one is counted as if it happened at the last one's time.
   */
  update(side: Side, notional: number, ts: number): void {
    if (ts > this.lastTs) {
      const keep = this.decay(ts);
      this.buyNotional *= keep;
      this.sellNotional *= keep;
      this.lastTs = ts;
    }
    if (side === 'bid') this.buyNotional += notional;
    else this.sellNotional += notional;
  }

  /** Decayed aggressor buy notional as seen at `ts`. */
  buy(ts: number): number {
    return this.buyNotional * this.decay(ts);
  }

  /** Decayed aggressor sell notional as seen at `ts`. */
  sell(ts: number): number {
    return this.sellNotional * this.decay(ts);
  }

  /**
   * buy / sell. Both decay at the same rate, so the ratio does not depend on when it is read.
   * Infinity when only buys were seen, 0 when only sells, and 1 (balanced) when neither was.
   * A side is selected by `bias >= ratio` (buy pressure) or `bias <= 1 / ratio` (sell pressure).
   */
  get bias(): number {
    if (this.sellNotional > 0) return this.buyNotional / this.sellNotional;
    return this.buyNotional > 0 ? Infinity : 1;
  }

  private decay(ts: number): number {
    return ts > this.lastTs ? Math.exp(-this.decayPerMs * (ts - this.lastTs)) : 1;
  }
}
