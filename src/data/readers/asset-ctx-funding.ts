import type { FundingEvent } from '../../core/types.js';
import { decimal, isRecord } from './l2-book-frame.js';

const HOUR_MS = 3_600_000;

/** The funding part of an activeAssetCtx frame's data: `{coin, ctx: {funding, oraclePx, …}}`. */
export interface AssetCtxFunding {
  readonly coin: string;
  /** Hourly rate, a fraction. */
  readonly rate: number;
  readonly oraclePx: number;
}

export function parseAssetCtxFunding(data: unknown): AssetCtxFunding | string {
  if (!isRecord(data) || !isRecord(data.ctx)) return 'activeAssetCtx frame without a "data.ctx" object';
  const { coin, ctx } = data;
  if (typeof coin !== 'string' || coin.length === 0) return 'activeAssetCtx frame without a coin';
  const rate = decimal(ctx.funding);
  const oraclePx = decimal(ctx.oraclePx);
  if (!Number.isFinite(rate)) return `activeAssetCtx funding ${JSON.stringify(ctx.funding)} is not a number`;
  if (!(oraclePx > 0 && oraclePx < Infinity)) return `activeAssetCtx oraclePx ${JSON.stringify(ctx.oraclePx)} must be a positive number`;
  return { coin, rate, oraclePx };
}

/**
 * Hyperliquid pays funding at every whole UTC hour at the hourly rate and oracle price that the
 * activeAssetCtx channel shows. A recording has the frames' local receive times only, so that is
 * the clock here: each time the recording's time passes a whole hour, every coin with a context
 * received before that hour gets one funding event with its latest rate and oracle price. The
 * event is the exchange's payment at the hour, not a frame anyone received, so both its exchange
 * and its local time are the hour. When the recording skips hours (a gap), each of them is paid at
 * the last rate seen, as the exchange would have kept charging a position held through the gap.
 */
export class HourlyFunding {
  private readonly latest = new Map<string, AssetCtxFunding>();
  private nextHour = Number.NaN;

  /** The recording reached local time `ts`: funding for every whole hour passed since the last call. */
  advanceTo(ts: number, emit: (event: FundingEvent) => void): void {
    if (Number.isNaN(this.nextHour)) this.nextHour = (Math.floor(ts / HOUR_MS) + 1) * HOUR_MS;
    while (ts >= this.nextHour) {
      for (const { coin, rate, oraclePx } of this.latest.values()) {
        emit({ type: 'funding', coin, exchTs: this.nextHour, localTs: this.nextHour, rate, oraclePx });
      }
      this.nextHour += HOUR_MS;
    }
  }

  /** A context received at the time of the last advanceTo; it counts from the next whole hour on. */
  observe(funding: AssetCtxFunding): void {
    this.latest.set(funding.coin, funding);
  }
}
