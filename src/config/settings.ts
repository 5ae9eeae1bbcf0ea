import { z } from 'zod';
import { SEED_BREAKERS } from '../core/risk/circuit-breakers.js';

/**
 * Every configuration key in one table: its schema, its documented default (the seeds'
 * recommended value) and what it means. The zod schema, the per-coin merge and the README
 * reference are all derived from this table, so they cannot drift apart.
 *
 * scope 'coin' keys may be overridden in `per_coin`; 'bot' keys apply to the whole bot.
 */
type Scope = 'bot' | 'coin';

interface Setting<S extends z.ZodType, C extends Scope> {
  readonly schema: S;
  readonly default: z.output<S> | undefined;
  readonly scope: C;
  readonly doc: string;
}

function setting<S extends z.ZodType, C extends Scope>(
  schema: S,
  defaultValue: z.output<S> | undefined,
  scope: C,
  doc: string,
): Setting<S, C> {
  return { schema, default: defaultValue, scope, doc };
}

const bps = z.number().min(0);
const usd = z.number().min(0);
const fraction = z.number().min(0).max(1);
const positiveInt = z.number().int().positive();
const seconds = z.number().min(0);
const positiveSeconds = z.number().positive();
const lossPct = z.number().max(0).min(-1);
const feeRate = z.number().min(-0.001).max(0.01);

export const settings = {
  bot_id: setting(z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/), undefined, 'bot', 'Bot identifier used in the database and logs; defaults to the config file name without .json.'),
  network: setting(z.enum(['mainnet', 'testnet', 'local']), 'local', 'bot', 'Where orders go: Hyperliquid mainnet, testnet, or the local exchange.'),
  coins: setting(z.array(z.string().regex(/^[A-Za-z0-9:]{1,20}$/)).min(1), undefined, 'bot', 'Coins to trade (Hyperliquid perp names, e.g. BTC, ETH, kPEPE). Required.'),
  loop_ms: setting(z.number().int().min(50).max(60_000), 300, 'bot', 'Main loop interval in ms (300 = 3.33 loops per second).'),
  capital_usd: setting(z.number().positive(), 1000, 'bot', 'Starting equity in USD for backtests and paper trading; the base of the portfolio loss thresholds.'),

  quote_model: setting(z.enum(['fixed', 'avellaneda_stoikov', 'glft']), 'fixed', 'coin', 'Quote model: fixed spread, Avellaneda-Stoikov, or GLFT closed form.'),
  base_spread_bps: setting(bps, 2, 'coin', 'Fixed model: base spread between bid and ask in bps.'),
  vol_multiplier: setting(z.number().min(0), 1.5, 'coin', 'Fixed model: bps of spread added per bp of volatility (sigma/mid x 1e4 per square-root second).'),
  gamma: setting(z.number().positive(), 0.1, 'coin', 'Risk aversion (Avellaneda-Stoikov and GLFT).'),
  fill_intensity_a: setting(z.number().positive(), 140, 'coin', 'A in the fill intensity A*exp(-k*delta), fills per second (Avellaneda-Stoikov, GLFT).'),
  fill_intensity_k: setting(z.number().positive(), 1.5, 'coin', 'k in the fill intensity A*exp(-k*delta), per unit of price distance.'),
  fill_intensity_calibrate: setting(z.boolean(), true, 'coin', 'Fit A and k from recent trades once enough are seen; the values above are used until then.'),
  horizon_mode: setting(z.enum(['finite', 'infinite']), 'infinite', 'coin', 'Avellaneda-Stoikov horizon: a finite session of horizon_sec, or the rolling infinite-horizon variant for perpetuals.'),
  horizon_sec: setting(z.number().positive(), 3600, 'coin', 'Avellaneda-Stoikov horizon T in seconds (the session length, or the rolling window when infinite).'),
  glft_delta: setting(z.number().positive(), 1, 'coin', 'GLFT order size unit Delta.'),
  inventory_skew_factor: setting(z.number().min(0), 0.3, 'coin', 'Fixed model: at the full per-coin position the reservation price moves this many half spreads against it.'),
  inventory_skew_size: setting(z.boolean(), false, 'coin', 'Also shrink the side that adds to the position, in proportion to the position.'),
  num_levels: setting(z.number().int().min(1).max(20), 2, 'coin', 'Quote levels per side.'),
  level_spacing_bps: setting(bps, 1, 'coin', 'Distance between ladder levels in bps.'),
  level_size_split: setting(z.array(z.number().positive()).min(1).max(20).optional(), undefined, 'coin', 'Fraction of the side size per level, closest first (e.g. [0.4, 0.35, 0.25]); equal when absent.'),
  size_notional_usd: setting(z.number().positive(), 25, 'coin', 'Target order size in USD.'),
  order_size_usd: setting(z.number().positive().optional(), undefined, 'coin', 'Total USD quoted per side across the ladder; size_notional_usd x num_levels when absent.'),
  max_spread_bps: setting(bps, 20, 'coin', 'Cap on the quoted spread in bps.'),
  bias_strength: setting(z.number().min(0).max(1), 0, 'coin', 'Directional bias: shift of the reservation price, as a fraction of the half spread, per unit of signal. 0 = off.'),
  maker_fee: setting(feeRate, 0.00015, 'coin', 'Maker fee rate (0.00015 = 0.015%, base tier; negative = rebate).'),
  taker_fee: setting(feeRate, 0.00045, 'coin', 'Taker fee rate (0.00045 = 0.045%, base tier).'),

  min_spread_bps: setting(bps, 4, 'coin', 'Minimum spread in bps.'),
  min_spread_guard_enabled: setting(z.boolean(), true, 'coin', 'Never quote tighter than break-even after maker fees on both sides plus the buffer.'),
  min_spread_guard_buffer_bps: setting(bps, 1, 'coin', 'Safety buffer above the fee break-even spread, in bps.'),
  dynamic_min_spread_enabled: setting(z.boolean(), false, 'coin', 'Raise the minimum spread to a percentile of recent market spreads.'),
  dynamic_min_spread_percentile: setting(fraction, 0.6, 'coin', 'Percentile of recent spreads used (0.6 = 60th).'),
  dynamic_min_spread_lookback_loops: setting(positiveInt, 300, 'coin', 'Loops of spread history considered.'),
  dynamic_min_spread_update_every_loops: setting(positiveInt, 20, 'coin', 'Recompute the dynamic minimum every N loops.'),

  single_sided_mode: setting(z.enum(['off', 'bid', 'ask', 'auto']), 'auto', 'coin', 'Quote both sides (off), only bids, only asks, or pick the side from flow (auto).'),
  single_sided_flip_cooldown_loops: setting(z.number().int().min(0), 120, 'coin', 'Loops to wait before auto mode may switch sides again.'),
  single_sided_market_aware: setting(z.boolean(), true, 'coin', 'Auto mode uses market flow and our maker share.'),
  ss_ma_half_life_sec: setting(z.number().positive(), 30, 'coin', 'Half-life of the decayed buy/sell flow, seconds.'),
  ss_ma_min_maker_share: setting(fraction, 0.1, 'coin', 'Minimum share of our fills that were maker before auto mode trusts its side.'),
  ss_ma_side_bias_ratio: setting(z.number().min(1), 1.15, 'coin', 'Flow ratio (buy/sell or sell/buy) that selects a side.'),

  max_per_coin_notional: setting(usd, 400, 'coin', 'Maximum position per coin in USD.'),
  max_gross_notional: setting(usd, 800, 'bot', 'Maximum total position across all coins in USD.'),
  max_daily_loss: setting(usd, 50, 'bot', 'Stop trading for the UTC day after losing this many USD.'),
  margin_cap_mode: setting(z.enum(['auto', 'off', 'strict']), 'auto', 'bot', 'Limit resting orders by margin: scale sizes down (auto), refuse (strict) or ignore (off).'),
  assumed_leverage: setting(z.number().positive().max(100), 10, 'bot', 'Leverage assumed when sizing against free collateral.'),
  margin_cap_fraction: setting(fraction, 0.2, 'bot', 'Fraction of free collateral that resting orders may use.'),
  emergency_stop_loss_pct: setting(lossPct, -0.15, 'bot', 'Halt and close everything at this portfolio return (-0.15 = -15%).'),
  portfolio_pause_threshold_pct: setting(lossPct, -0.08, 'bot', 'Only reduce positions below this portfolio return (-0.08 = -8%).'),
  bailout_partial_mae_bps: setting(bps, 30, 'coin', 'Partial bailout when the position is this many bps underwater.'),
  bailout_full_mae_bps: setting(bps, 60, 'coin', 'Full bailout when the position is this many bps underwater.'),
  bailout_full_max_seconds: setting(seconds, 180, 'coin', 'Full bailout after this many seconds underwater.'),
  bailout_partial_min_seconds: setting(seconds, 90, 'coin', 'Seconds underwater before a partial bailout may fire.'),
  bailout_partial_reduce_fraction: setting(fraction, 0.33, 'coin', 'Fraction of the position closed by a partial bailout.'),
  take_profit_min_bps: setting(bps, 30, 'coin', 'Take profit when the open position gains at least this many bps...'),
  take_profit_min_usd: setting(usd, 25, 'coin', '...and at least this many USD.'),
  enhanced_take_profit_enabled: setting(z.boolean(), true, 'coin', 'Take profit with an IOC chain capped by flatten_max_slippage_bps instead of a resting limit.'),
  emergency_take_profit_enabled: setting(z.boolean(), true, 'coin', 'Close any position whose unrealized profit reaches emergency_take_profit_min_usd.'),
  emergency_take_profit_min_usd: setting(usd, 25, 'coin', 'Unrealized profit in USD that triggers the emergency take-profit.'),
  stale_book_ms: setting(positiveInt, 5000, 'coin', 'Cancel quotes when the book has not updated for this many ms.'),
  breaker_widen_move_pct: setting(fraction, SEED_BREAKERS.widenMoveFraction, 'bot', 'Widen a coin\'s spreads when its mid moves beyond this fraction within breaker_widen_window_sec (0.01 = 1%).'),
  breaker_widen_window_sec: setting(positiveSeconds, SEED_BREAKERS.widenWindowMs / 1000, 'bot', 'Window of the spread-widening price-move breaker, seconds.'),
  breaker_widen_multiplier: setting(z.number().min(1), SEED_BREAKERS.widenMultiplier, 'bot', 'Spread multiplier while the widening breaker holds.'),
  breaker_widen_cooldown_sec: setting(seconds, SEED_BREAKERS.widenCooldownMs / 1000, 'bot', 'How long spreads stay widened after the breaker fires, seconds.'),
  breaker_cancel_move_pct: setting(fraction, SEED_BREAKERS.cancelMoveFraction, 'bot', 'Cancel a coin\'s quotes when its mid moves beyond this fraction within breaker_cancel_window_sec (0.03 = 3%).'),
  breaker_cancel_window_sec: setting(positiveSeconds, SEED_BREAKERS.cancelWindowMs / 1000, 'bot', 'Window of the cancelling price-move breaker, seconds.'),
  breaker_cancel_cooldown_sec: setting(seconds, SEED_BREAKERS.cancelCooldownMs / 1000, 'bot', 'How long quotes stay cancelled after the breaker fires, seconds.'),
  breaker_max_api_errors: setting(positiveInt, SEED_BREAKERS.maxApiErrors, 'bot', 'Pause the bot after more than this many API errors within breaker_api_error_window_sec.'),
  breaker_api_error_window_sec: setting(positiveSeconds, SEED_BREAKERS.apiErrorWindowMs / 1000, 'bot', 'Window in which API errors are counted, seconds.'),
  breaker_api_pause_sec: setting(seconds, SEED_BREAKERS.apiPauseMs / 1000, 'bot', 'How long the API-error breaker pauses the bot, seconds.'),

  min_replace_ms: setting(z.number().int().min(0), 300, 'coin', 'Minimum time between replacements of one quote.'),
  move_threshold_ticks: setting(z.number().int().min(0), 1, 'coin', 'Keep a resting quote while it is within this many ticks of the desired price.'),
  housekeep_every_n: setting(positiveInt, 300, 'bot', 'Cancel stray orders every N loops.'),
  use_websocket: setting(z.boolean(), true, 'bot', 'Use WebSocket market data (REST polling when false).'),
  market_data_update_freq: setting(positiveInt, 3, 'bot', 'With REST polling, refresh market data every N loops.'),
  batch_orders: setting(z.boolean(), true, 'bot', 'Send places, modifies and cancels of one loop as batched actions.'),

  autotune_enabled: setting(z.boolean(), true, 'bot', 'Adjust parameters automatically from recent performance.'),
  autotune_window_minutes: setting(z.number().positive(), 60, 'bot', 'Window of the auto-tuner, minutes.'),
  autotune_min_maker_share: setting(fraction, 0.7, 'bot', 'Maker share above which the auto-tuner may tighten.'),
  flatten_on_start: setting(z.boolean(), false, 'bot', 'Close open positions when the bot starts.'),
  flatten_max_spread_bps: setting(bps, 10, 'coin', 'Do not flatten while the market spread is wider than this.'),
  flatten_max_slippage_bps: setting(bps, 6, 'coin', 'Maximum slippage accepted when flattening or taking profit with IOC orders.'),
  telemetry_enabled: setting(z.boolean(), true, 'bot', 'Record telemetry.'),
  telemetry_console: setting(z.boolean(), true, 'bot', 'Log telemetry to the console.'),
  telemetry_db: setting(z.boolean(), false, 'bot', 'Write telemetry to the database.'),
} as const;

export type SettingKey = keyof typeof settings;

type Settings = typeof settings;
type ValueOf<K extends SettingKey> = z.output<Settings[K]['schema']>;

export type CoinSettingKey = { [K in SettingKey]: Settings[K]['scope'] extends 'coin' ? K : never }[SettingKey];
export type BotSettingKey = Exclude<SettingKey, CoinSettingKey>;

/** Every per-coin setting, after defaults and `per_coin` overrides. */
export type CoinConfig = { readonly [K in CoinSettingKey]: ValueOf<K> } & { readonly coin: string };
/** Every bot-wide setting, after defaults. */
export type BotConfig = { readonly [K in BotSettingKey]: ValueOf<K> } & { readonly bot_id: string; readonly coins: string[] };

export const settingKeys = Object.keys(settings) as SettingKey[];
export const coinSettingKeys = settingKeys.filter((key) => settings[key].scope === 'coin') as CoinSettingKey[];
