import { bps, pct, seconds } from './format.js';
import type { CoinRiskParams, PositionExposure } from './risk-types.js';

export interface Bailout {
  readonly kind: 'full' | 'partial';
  /** Fraction of the position to close. */
  readonly fraction: number;
  readonly reason: string;
}

/**
 * Per-coin bailout of a losing position. Both kinds need the position to be underwater now
 * (its last mark worse than the entry); "underwater for" is the current unbroken stretch.
 * - full: worst adverse excursion since the position opened ≥ bailout_full_mae_bps, or underwater
 *   for ≥ bailout_full_max_seconds.
 * - partial: worst adverse excursion ≥ bailout_partial_mae_bps after ≥ bailout_partial_min_seconds
 *   underwater; closes bailout_partial_reduce_fraction of the position, at most once per position
 *   (`partialTaken`).
 */
export function bailoutFor(
  exposure: PositionExposure,
  params: CoinRiskParams,
  now: number,
  partialTaken: boolean,
): Bailout | null {
  if (exposure.position === 0 || exposure.underwaterSinceTs === null) return null;
  const underwaterMs = now - exposure.underwaterSinceTs;
  const mae = exposure.maeBps;
  if (mae >= params.bailout_full_mae_bps) {
    return {
      kind: 'full',
      fraction: 1,
      reason: `full bailout: adverse excursion ${bps(mae)} reached bailout_full_mae_bps ${bps(params.bailout_full_mae_bps)}`,
    };
  }
  if (underwaterMs >= params.bailout_full_max_seconds * 1000) {
    return {
      kind: 'full',
      fraction: 1,
      reason: `full bailout: underwater for ${seconds(underwaterMs)} reached bailout_full_max_seconds ${params.bailout_full_max_seconds} s`,
    };
  }
  if (!partialTaken && mae >= params.bailout_partial_mae_bps && underwaterMs >= params.bailout_partial_min_seconds * 1000) {
    return {
      kind: 'partial',
      fraction: params.bailout_partial_reduce_fraction,
      reason:
        `partial bailout: adverse excursion ${bps(mae)} reached bailout_partial_mae_bps ${bps(params.bailout_partial_mae_bps)} ` +
        `after ${seconds(underwaterMs)} underwater; closing ${pct(params.bailout_partial_reduce_fraction)} of the position`,
    };
  }
  return null;
}
