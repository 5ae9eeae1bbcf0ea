import { parseConfig, type LoadedConfig } from '../../src/config/load.js';

/**
 * A bot that joins the touch on both sides with the fee guard off, so short recordings produce
 * fills. It is a test subject, not advice: at base-tier fees it pays more than it earns.
 */
export function tightConfig(coins: string[], overrides: Record<string, unknown> = {}): LoadedConfig {
  return parseConfig(
    'tight.json',
    {
      bot_id: 'tight',
      coins,
      capital_usd: 5000,
      quote_model: 'fixed',
      base_spread_bps: 0.2,
      vol_multiplier: 0,
      min_spread_bps: 0.1,
      max_spread_bps: 50,
      min_spread_guard_enabled: false,
      single_sided_mode: 'off',
      num_levels: 2,
      level_spacing_bps: 0.2,
      size_notional_usd: 50,
      max_per_coin_notional: 1000,
      max_gross_notional: 3000,
      ...overrides,
    },
    'tight',
  );
}
