import type { Command } from 'commander';
import { coinConfig, loadConfigFile, parseConfig } from '../config/load.js';
import type { CoinConfig } from '../config/settings.js';
import type { QuoteModelName } from '../core/quote/model.js';
import { describeQuoteNote } from '../core/quote/notes.js';
import { planQuotes, type QuotePlan, type SidePlan } from '../core/quote/plan.js';
import { quoteSetupFromSettings, singleSidedParamsFromSettings } from '../core/quote/quote-settings.js';
import { SingleSidedSelector, type SingleSidedMode } from '../core/quote/single-sided.js';
import type { Side } from '../core/types.js';
import { UserInputError } from '../errors.js';
import { report, type CliIO } from './io.js';
import { createTable } from './table.js';

interface QuoteFlags {
  model?: string;
  mid?: string;
  position?: string;
  tick?: string;
  sigma?: string;
  gamma?: string;
  k?: string;
  A?: string;
  horizon?: string;
  elapsed?: string;
  levels?: string;
  spacingBps?: string;
  sizeUsd?: string;
  minSpreadBps?: string;
  maxSpreadBps?: string;
  bestBid?: string;
  bestAsk?: string;
  singleSided?: string;
  flowBias?: string;
  makerShare?: string;
  config?: string;
  coin?: string;
  json?: boolean;
}

type NumberFlag = Exclude<keyof QuoteFlags, 'json' | 'model' | 'singleSided' | 'config' | 'coin'>;

const flagOf: Record<NumberFlag, string> = {
  mid: '--mid',
  position: '--position',
  tick: '--tick',
  sigma: '--sigma',
  gamma: '--gamma',
  k: '--k',
  A: '--A',
  horizon: '--horizon',
  elapsed: '--elapsed',
  levels: '--levels',
  spacingBps: '--spacing-bps',
  sizeUsd: '--size-usd',
  minSpreadBps: '--min-spread-bps',
  maxSpreadBps: '--max-spread-bps',
  bestBid: '--best-bid',
  bestAsk: '--best-ask',
  flowBias: '--flow-bias',
  makerShare: '--maker-share',
};

type Bound = 'positive' | 'nonNegative' | 'any' | 'fraction' | 'levelCount';

const boundText: Record<Bound, string> = {
  positive: 'a number above 0',
  nonNegative: 'a number at or above 0',
  any: 'a number',
  fraction: 'a number from 0 to 1',
  levelCount: 'a whole number from 1 to 20',
};

function withinBound(value: number, bound: Bound): boolean {
  switch (bound) {
    case 'positive':
      return value > 0;
    case 'nonNegative':
      return value >= 0;
    case 'any':
      return true;
    case 'fraction':
      return value >= 0 && value <= 1;
    case 'levelCount':
      return Number.isInteger(value) && value >= 1 && value <= 20;
  }
}

function numberFlag(flags: QuoteFlags, name: NumberFlag, bound: Bound): number | undefined {
  const text = flags[name];
  if (text === undefined) return undefined;
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !withinBound(value, bound)) {
    throw new UserInputError(`${flagOf[name]}: expected ${boundText[bound]}, got ${JSON.stringify(text)}`);
  }
  return value;
}

function requiredNumber(flags: QuoteFlags, name: NumberFlag, bound: Bound, why: string): number {
  const value = numberFlag(flags, name, bound);
  if (value === undefined) throw new UserInputError(`${flagOf[name]} is required ${why}`);
  return value;
}

const modelNames: Record<string, QuoteModelName> = {
  fixed: 'fixed',
  'avellaneda-stoikov': 'avellaneda_stoikov',
  avellaneda_stoikov: 'avellaneda_stoikov',
  glft: 'glft',
};

const singleSidedModes: readonly SingleSidedMode[] = ['off', 'bid', 'ask', 'auto'];

function baseSettings(flags: QuoteFlags): CoinConfig {
  if (flags.config === undefined) {
    if (flags.coin !== undefined) throw new UserInputError('--coin: only meaningful with --config FILE');
    return coinConfig(parseConfig('(defaults)', { coins: ['QUOTE'] }, 'quote'), 'QUOTE');
  }
  const loaded = loadConfigFile(flags.config);
  const coins = Object.keys(loaded.coins);
  if (flags.coin === undefined && coins.length !== 1) {
    throw new UserInputError(`--coin is required with ${flags.config}, which has coins ${coins.join(', ')}`);
  }
  return coinConfig(loaded, flags.coin ?? coins[0]!);
}

function modelName(flags: QuoteFlags, fromConfig: boolean, base: CoinConfig): QuoteModelName {
  if (flags.model === undefined) {
    if (fromConfig) return base.quote_model;
    throw new UserInputError('--model is required: fixed, avellaneda-stoikov or glft (or take it from --config FILE)');
  }
  const name = modelNames[flags.model];
  if (!name) throw new UserInputError(`--model: expected fixed, avellaneda-stoikov or glft, got ${JSON.stringify(flags.model)}`);
  return name;
}

/** Hyperliquid's price step at this mid: five significant figures, and integer prices always pass. */
function defaultTick(mid: number): number {
  return Math.min(1, 10 ** (Math.floor(Math.log10(mid)) - 4));
}

/** A model parameter: the flag, else the config's value; without a config the flag is required. */
function modelParameter(flags: QuoteFlags, name: NumberFlag, fromConfig: boolean, configValue: number, model: string): number {
  if (fromConfig) return numberFlag(flags, name, 'positive') ?? configValue;
  return requiredNumber(flags, name, 'positive', `for the ${model} model (or take it from --config FILE)`);
}

interface Prepared {
  settings: CoinConfig;
  mid: number;
  tick: number;
  sigma: number;
  position: number;
  timeRemainingSec: number | undefined;
  bestBid: number | undefined;
  bestAsk: number | undefined;
  flowBias: number;
  makerShare: number;
}

interface ModelSettings {
  readonly overrides: Partial<CoinConfig>;
  readonly sigma: number;
  readonly timeRemainingSec: number | undefined;
}

/** σ and the chosen model's parameters: flags first, then the config; without a config they are required. */
function modelSettings(flags: QuoteFlags, base: CoinConfig, fromConfig: boolean, quoteModel: QuoteModelName): ModelSettings {
  const model = flags.model ?? quoteModel;
  if (quoteModel === 'fixed') return { overrides: {}, sigma: numberFlag(flags, 'sigma', 'nonNegative') ?? 0, timeRemainingSec: undefined };
  const sigma = requiredNumber(flags, 'sigma', 'nonNegative', `for the ${model} model (volatility, price units per √second)`);
  const gamma = modelParameter(flags, 'gamma', fromConfig, base.gamma, model);
  const k = modelParameter(flags, 'k', fromConfig, base.fill_intensity_k, model);
  if (quoteModel === 'glft') {
    const A = modelParameter(flags, 'A', fromConfig, base.fill_intensity_a, model);
    return { overrides: { gamma, fill_intensity_k: k, fill_intensity_a: A }, sigma, timeRemainingSec: undefined };
  }
  const horizonSec = modelParameter(flags, 'horizon', fromConfig, base.horizon_sec, model);
  const elapsed = numberFlag(flags, 'elapsed', 'nonNegative');
  const overrides = { gamma, fill_intensity_k: k, horizon_sec: horizonSec };
  if (elapsed === undefined) return { overrides, sigma, timeRemainingSec: undefined };
  if (elapsed > horizonSec) throw new UserInputError(`--elapsed: ${elapsed} is past the horizon of ${horizonSec} seconds`);
  return { overrides: { ...overrides, horizon_mode: 'finite' }, sigma, timeRemainingSec: horizonSec - elapsed };
}

/** Ladder and single-sided flags over the config. */
function ladderOverrides(flags: QuoteFlags, base: CoinConfig): Partial<CoinConfig> {
  const levels = numberFlag(flags, 'levels', 'levelCount');
  const split = base.level_size_split;
  if (levels !== undefined && split !== undefined && split.length !== levels) {
    throw new UserInputError(`--levels: ${levels} does not match level_size_split in ${flags.config}, which has ${split.length} entries`);
  }
  const singleSided = flags.singleSided;
  if (singleSided !== undefined && !singleSidedModes.includes(singleSided as SingleSidedMode)) {
    throw new UserInputError(`--single-sided: expected off, bid, ask or auto, got ${JSON.stringify(singleSided)}`);
  }
  return {
    num_levels: levels ?? base.num_levels,
    level_spacing_bps: numberFlag(flags, 'spacingBps', 'nonNegative') ?? base.level_spacing_bps,
    order_size_usd: numberFlag(flags, 'sizeUsd', 'positive') ?? base.order_size_usd,
    min_spread_bps: numberFlag(flags, 'minSpreadBps', 'nonNegative') ?? base.min_spread_bps,
    max_spread_bps: numberFlag(flags, 'maxSpreadBps', 'nonNegative') ?? base.max_spread_bps,
    single_sided_mode: (singleSided as SingleSidedMode | undefined) ?? base.single_sided_mode,
  };
}

function prepare(flags: QuoteFlags): Prepared {
  const base = baseSettings(flags);
  const fromConfig = flags.config !== undefined;
  const quoteModel = modelName(flags, fromConfig, base);
  const mid = requiredNumber(flags, 'mid', 'positive', '(the mid price, e.g. --mid 100000)');
  const position = requiredNumber(flags, 'position', 'any', '(signed position in coins, e.g. --position 0)');
  const model = modelSettings(flags, base, fromConfig, quoteModel);
  const settings: CoinConfig = { ...base, quote_model: quoteModel, ...model.overrides, ...ladderOverrides(flags, base) };
  const bestBid = numberFlag(flags, 'bestBid', 'positive');
  const bestAsk = numberFlag(flags, 'bestAsk', 'positive');
  if (bestBid !== undefined && bestAsk !== undefined && bestBid >= bestAsk) {
    throw new UserInputError(`--best-bid: ${bestBid} must be below --best-ask ${bestAsk}`);
  }
  return {
    settings,
    mid,
    tick: numberFlag(flags, 'tick', 'positive') ?? defaultTick(mid),
    sigma: model.sigma,
    position,
    timeRemainingSec: model.timeRemainingSec,
    bestBid,
    bestAsk,
    flowBias: numberFlag(flags, 'flowBias', 'nonNegative') ?? 1,
    makerShare: numberFlag(flags, 'makerShare', 'fraction') ?? NaN,
  };
}

function plan(prepared: Prepared): QuotePlan {
  const { settings, position } = prepared;
  const sides = new SingleSidedSelector(singleSidedParamsFromSettings(settings)).select({
    position,
    flowBias: prepared.flowBias,
    makerShare: prepared.makerShare,
  });
  return planQuotes(quoteSetupFromSettings(settings), {
    mid: prepared.mid,
    sigma: prepared.sigma,
    position,
    tick: prepared.tick,
    timeRemainingSec: prepared.timeRemainingSec,
    bestBid: prepared.bestBid,
    bestAsk: prepared.bestAsk,
    sides,
  });
}

/** What `hypermm quote --json` prints. */
export interface QuoteReport {
  reservationPrice: number;
  halfSpread: number;
  skew: number;
  bids: { price: number; size: number }[];
  asks: { price: number; size: number }[];
  reasons: { bid: string | null; ask: string | null };
}

function toReport(result: QuotePlan): QuoteReport {
  const levelsOf = (side: Side) => result.quotes.filter((q) => q.side === side).map((q) => ({ price: q.px, size: q.sz }));
  return {
    reservationPrice: result.reservationPrice,
    halfSpread: result.halfSpread,
    skew: result.skew,
    bids: levelsOf('bid'),
    asks: levelsOf('ask'),
    reasons: { bid: result.bid.reason, ask: result.ask.reason },
  };
}

function significant(value: number, digits = 10): string {
  return String(Number(value.toPrecision(digits)));
}

function sideLine(side: Side, sidePlan: SidePlan): string {
  const status = sidePlan.reason === null ? 'quoting' : `not quoting: ${sidePlan.reason}`;
  const notes = sidePlan.notes.map((note) => `\n  - ${describeQuoteNote(note)}`).join('');
  return `${side}: ${status} (half spread ${significant(sidePlan.halfSpread)})${notes}`;
}

function renderHuman(prepared: Prepared, result: QuotePlan): string {
  const header =
    `${prepared.settings.quote_model} model at mid ${prepared.mid}, position ${prepared.position}, tick ${prepared.tick}\n` +
    `reservation price ${significant(result.reservationPrice)}, half spread ${significant(result.halfSpread)}, ` +
    `skew ${significant(result.skew)} per coin`;
  const table = createTable(['side', 'level', 'price', 'size', 'notional $']);
  const ordered = [...result.quotes.filter((q) => q.side === 'ask').reverse(), ...result.quotes.filter((q) => q.side === 'bid')];
  for (const quote of ordered) {
    table.push([quote.side, quote.level, quote.px, significant(quote.sz, 6), (quote.px * quote.sz).toFixed(2)]);
  }
  return [header, table.toString(), sideLine('bid', result.bid), sideLine('ask', result.ask)].join('\n');
}

export function registerQuoteCommand(program: Command, io: CliIO): void {
  program
    .command('quote')
    .description('Print what the bot would quote now: reservation price, spread, skew, every ladder level, and why a side is not quoted')
    .option('--model <name>', 'quote model: fixed, avellaneda-stoikov or glft (default: the config file\'s quote_model)')
    .option('--mid <price>', 'mid price (required)')
    .option('--position <coins>', 'signed position in coins, long > 0 (required)')
    .option('--tick <price>', 'price step (default: Hyperliquid\'s 5-significant-figure step at the mid)')
    .option('--sigma <price>', 'volatility, price units per √second (required for avellaneda-stoikov and glft; fixed: default 0)')
    .option('--gamma <value>', 'risk aversion γ > 0')
    .option('--k <value>', 'fill intensity decay k, per unit of price distance')
    .option('--A <value>', 'fill intensity A, fills per second (glft)')
    .option('--horizon <sec>', 'avellaneda-stoikov horizon T, seconds (the rolling window unless --elapsed is given)')
    .option('--elapsed <sec>', 'seconds since the session start: a finite horizon with T − t = horizon − elapsed')
    .option('--levels <n>', 'ladder levels per side')
    .option('--spacing-bps <bps>', 'distance between ladder levels, bps')
    .option('--size-usd <usd>', 'USD per side across all levels (order_size_usd)')
    .option('--min-spread-bps <bps>', 'minimum quoted spread, bps (min_spread_bps)')
    .option('--max-spread-bps <bps>', 'cap on the quoted spread, bps (max_spread_bps)')
    .option('--best-bid <price>', 'best bid in the book, for the post-only guard')
    .option('--best-ask <price>', 'best ask in the book, for the post-only guard')
    .option('--single-sided <mode>', 'off, bid, ask or auto (default: the config\'s single_sided_mode)')
    .option('--flow-bias <ratio>', 'decayed aggressor buy/sell notional ratio for single-sided auto (default 1, balanced)')
    .option('--maker-share <fraction>', 'share of our recent fills that were maker, for single-sided auto')
    .option('--config <file>', 'take every parameter from this config file; flags override it')
    .option('--coin <coin>', 'the coin of --config whose settings to use')
    .option('--json', 'print JSON')
    .action((flags: QuoteFlags) => {
      const prepared = prepare(flags);
      const result = plan(prepared);
      report(io, Boolean(flags.json), toReport(result), () => renderHuman(prepared, result));
    });
}
