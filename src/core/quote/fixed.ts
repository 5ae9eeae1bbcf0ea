import { halfSpreadOfBps, modelOutput, type QuoteModel, type QuoteModelInputs, type QuoteModelOutput, type QuoteModelOutputRecord } from './model.js';

export interface FixedSpreadParams {
  readonly baseSpreadBps: number;
  /** Extra spread, in bps, per bp of σ (σ_bps = σ / mid · 1e4, per √second). */
  readonly volMultiplier: number;
  readonly minSpreadBps: number;
  readonly maxSpreadBps: number;
  /** At the full per-coin position the reservation price moves this many half spreads. */
  readonly inventorySkewFactor: number;
  readonly maxPositionUsd: number;
}

/**
 * The seeds' fixed-spread quoter:
 *   spread_bps = clamp(base_spread_bps + vol_multiplier · σ_bps, min_spread_bps, max_spread_bps)
 *   skew       = inventory_skew_factor · halfSpread / maxPosition   (maxPosition in coins at the mid)
 * The skew is measured against the position limit rather than per coin so that one factor means
 * the same on BTC and on kSHIB: a full position shifts the quotes by a fixed share of the spread.
 */
export class FixedSpreadModel implements QuoteModel {
  readonly name = 'fixed';

  constructor(private readonly params: FixedSpreadParams) {}

  quote(inputs: QuoteModelInputs, into?: QuoteModelOutputRecord): QuoteModelOutput {
    const { baseSpreadBps, volMultiplier, minSpreadBps, maxSpreadBps, inventorySkewFactor, maxPositionUsd } = this.params;
    const sigmaBps = (inputs.sigma / inputs.mid) * 1e4;
    const spreadBps = Math.min(maxSpreadBps, Math.max(minSpreadBps, baseSpreadBps + volMultiplier * sigmaBps));
    const halfSpread = halfSpreadOfBps(spreadBps, inputs.mid);
    const maxPositionCoins = maxPositionUsd / inputs.mid;
    const skew = maxPositionCoins > 0 ? (inventorySkewFactor * halfSpread) / maxPositionCoins : 0;
    return modelOutput(inputs, halfSpread, skew, into);
  }
}
