import { bps, usd } from './format.js';
import type { CoinRiskParams, PositionExposure } from './risk-types.js';

export interface TakeProfit {
  /** True for the emergency take-profit: close now with IOCs, whatever the bps gain. */
  readonly emergency: boolean;
  readonly reason: string;
}

const BPS = 10_000;

/**
 * Take-profit on the open position valued at `markPx`:
 * - emergency (when emergency_take_profit_enabled): unrealized ≥ emergency_take_profit_min_usd;
 * - otherwise: gain ≥ take_profit_min_bps of the entry and unrealized ≥ take_profit_min_usd.
 * Thresholds are inclusive; the bps gain is compared in price units to avoid float division.
 */
export function takeProfitFor(exposure: PositionExposure, markPx: number, params: CoinRiskParams): TakeProfit | null {
  const { position, avgEntry } = exposure;
  if (position === 0) return null;
  const unrealized = position * (markPx - avgEntry);
  if (params.emergency_take_profit_enabled && unrealized >= params.emergency_take_profit_min_usd) {
    return {
      emergency: true,
      reason: `emergency take-profit: unrealized ${usd(unrealized)} reached emergency_take_profit_min_usd ${usd(params.emergency_take_profit_min_usd)}`,
    };
  }
  const gain = Math.sign(position) * (markPx - avgEntry);
  if (gain * BPS >= params.take_profit_min_bps * avgEntry && unrealized >= params.take_profit_min_usd) {
    return {
      emergency: false,
      reason:
        `take-profit: gain ${bps((gain * BPS) / avgEntry)} and ${usd(unrealized)} reached ` +
        `take_profit_min_bps ${bps(params.take_profit_min_bps)} and take_profit_min_usd ${usd(params.take_profit_min_usd)}`,
    };
  }
  return null;
}
