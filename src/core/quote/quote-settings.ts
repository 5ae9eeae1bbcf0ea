import { AvellanedaStoikovModel, type HorizonMode } from './avellaneda-stoikov.js';
import { FixedSpreadModel } from './fixed.js';
import { GlftModel } from './glft.js';
import { HYPERLIQUID_MIN_NOTIONAL_USD } from './guards.js';
import { levelSizeSplit } from './ladder.js';
import type { QuoteModel, QuoteModelName } from './model.js';
import type { QuoteSetup } from './plan.js';
import type { SingleSidedMode, SingleSidedParams } from './single-sided.js';

/** The config keys (seed 000 names) quoting reads; a coin's effective config satisfies it. */
export interface QuoteSettings {
  readonly quote_model: QuoteModelName;
  readonly base_spread_bps: number;
  readonly vol_multiplier: number;
  readonly gamma: number;
  readonly fill_intensity_a: number;
  readonly fill_intensity_k: number;
  readonly horizon_mode: HorizonMode;
  readonly horizon_sec: number;
  readonly glft_delta: number;
  readonly inventory_skew_factor: number;
  readonly inventory_skew_size: boolean;
  readonly num_levels: number;
  readonly level_spacing_bps: number;
  readonly level_size_split?: readonly number[];
  readonly size_notional_usd: number;
  readonly order_size_usd?: number;
  readonly min_spread_bps: number;
  readonly max_spread_bps: number;
  readonly bias_strength: number;
  readonly maker_fee: number;
  readonly min_spread_guard_enabled: boolean;
  readonly min_spread_guard_buffer_bps: number;
  readonly dynamic_min_spread_enabled: boolean;
  readonly max_per_coin_notional: number;
}

export interface SingleSidedSettings {
  readonly single_sided_mode: SingleSidedMode;
  readonly single_sided_flip_cooldown_loops: number;
  readonly single_sided_market_aware: boolean;
  readonly ss_ma_min_maker_share: number;
  readonly ss_ma_side_bias_ratio: number;
}

/** The quote model a coin's `quote_model` names. */
export function quoteModelFromSettings(settings: QuoteSettings): QuoteModel {
  switch (settings.quote_model) {
    case 'fixed':
      return new FixedSpreadModel({
        baseSpreadBps: settings.base_spread_bps,
        volMultiplier: settings.vol_multiplier,
        minSpreadBps: settings.min_spread_bps,
        maxSpreadBps: settings.max_spread_bps,
        inventorySkewFactor: settings.inventory_skew_factor,
        maxPositionUsd: settings.max_per_coin_notional,
      });
    case 'avellaneda_stoikov':
      return new AvellanedaStoikovModel({
        gamma: settings.gamma,
        k: settings.fill_intensity_k,
        horizonMode: settings.horizon_mode,
        horizonSec: settings.horizon_sec,
      });
    case 'glft':
      return new GlftModel({
        gamma: settings.gamma,
        A: settings.fill_intensity_a,
        k: settings.fill_intensity_k,
        delta: settings.glft_delta,
      });
  }
}

/** Model, ladder and guards for one coin. Throws UserInputError for a level_size_split that does not fit. */
export function quoteSetupFromSettings(settings: QuoteSettings): QuoteSetup {
  return {
    model: quoteModelFromSettings(settings),
    ladder: {
      numLevels: settings.num_levels,
      levelSpacingBps: settings.level_spacing_bps,
      levelSizeSplit: levelSizeSplit(settings.num_levels, settings.level_size_split),
      orderSizeUsd: settings.order_size_usd ?? settings.size_notional_usd * settings.num_levels,
      inventorySkewSize: settings.inventory_skew_size,
      maxPositionUsd: settings.max_per_coin_notional,
    },
    guards: {
      minSpreadBps: settings.min_spread_bps,
      maxSpreadBps: settings.max_spread_bps,
      makerFee: settings.maker_fee,
      minSpreadGuardEnabled: settings.min_spread_guard_enabled,
      minSpreadGuardBufferBps: settings.min_spread_guard_buffer_bps,
      dynamicMinSpreadEnabled: settings.dynamic_min_spread_enabled,
      minNotionalUsd: HYPERLIQUID_MIN_NOTIONAL_USD,
    },
    biasStrength: settings.bias_strength,
  };
}

export function singleSidedParamsFromSettings(settings: SingleSidedSettings): SingleSidedParams {
  return {
    mode: settings.single_sided_mode,
    flipCooldownLoops: settings.single_sided_flip_cooldown_loops,
    marketAware: settings.single_sided_market_aware,
    minMakerShare: settings.ss_ma_min_maker_share,
    sideBiasRatio: settings.ss_ma_side_bias_ratio,
  };
}
