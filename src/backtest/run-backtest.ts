import { coinConfig, type LoadedConfig } from '../config/load.js';
import { Rng } from '../core/random.js';
import type { MarketEvent } from '../core/types.js';
import { openMarketData } from '../data/readers/open-market-data.js';
import { describeDataWarning, type ReadStats } from '../data/readers/read-stats.js';
import { syntheticL2Market } from '../data/synthetic/l2-market.js';
import { SYNTHETIC_CALIBRATIONS } from '../data/synthetic/calibration.js';
import { UserInputError } from '../errors.js';
import { MarketMaker } from '../strategy/market-maker.js';
import { latencyModel, type FeedLatency, type LatencySpec } from '../venues/sim/latency.js';
import { queueModel, type QueueModelName } from '../venues/sim/queue-models.js';
import { SimVenue } from '../venues/sim/sim-venue.js';
import { assetMetadata } from './asset-metadata.js';
import { BacktestRecorder, type BacktestSink } from './backtest-recorder.js';
import { EventTimeDriver } from './event-time-driver.js';
import { FundingCoverage } from './funding-coverage.js';
import { FundingWindow } from './funding-window.js';

export type BacktestData =
  | {
      readonly kind: 'files';
      readonly paths: readonly string[];
      readonly from?: number;
      readonly to?: number;
      readonly strict?: boolean;
      readonly cacheDir?: string;
      readonly useCache?: boolean;
    }
  | { readonly kind: 'synthetic'; readonly startMs: number; readonly durationMs: number };

export interface BacktestOptions {
  readonly config: LoadedConfig;
  /** Trade only these coins of the config; all when absent. */
  readonly coins?: readonly string[];
  readonly data: BacktestData;
  readonly queueModel: QueueModelName;
  /** Order entry and response latency, each way: constant or sampled per batch and per reply. */
  readonly latency: LatencySpec;
  /** When the strategy sees market data: at the data's recorded receive times (the default), or a constant after the exchange. */
  readonly feedLatency?: FeedLatency;
  readonly seed: number;
  readonly szDecimals?: Readonly<Record<string, number>>;
  /** Extra destination of the run's facts (the database with --db), built once the bot exists. */
  readonly createSink?: (maker: MarketMaker) => BacktestSink;
  /** Called every few thousand events with the exchange time reached. */
  readonly onProgress?: (progress: { events: number; exchangeTs: number }) => void;
}

/** The result object `hypermm backtest --json` prints. netPnl = grossPnl − fees + funding exactly. */
export interface BacktestSummary {
  events: number;
  durationSec: number;
  coins: string[];
  orders: number;
  fills: number;
  makerFills: number;
  takerFills: number;
  volumeUsd: number;
  grossPnl: number;
  fees: number;
  funding: number;
  netPnl: number;
  maxDrawdown: number;
  sharpe: number;
  roundTrips: number;
  finalPosition: Record<string, number>;
  rejects: Record<string, number>;
  badLines: number;
  warnings: string[];
}

export interface BacktestResult {
  readonly summary: BacktestSummary;
  readonly recorder: BacktestRecorder;
}

const PROGRESS_EVERY_EVENTS = 20_000;

function* mergeSynthetic(streams: Generator<MarketEvent>[]): Generator<MarketEvent> {
  const heads = streams.map((stream) => stream.next());
  for (;;) {
    let best = -1;
    heads.forEach((head, i) => {
      if (!head.done && (best < 0 || head.value.exchTs < (heads[best]!.value as MarketEvent).exchTs)) best = i;
    });
    if (best < 0) return;
    yield heads[best]!.value as MarketEvent;
    heads[best] = streams[best]!.next();
  }
}

/** Positions are whole lots; summing float fills leaves noise below the lot that should not be shown. */
function roundToLot(size: number, szDecimals: number): number {
  return Number(size.toFixed(szDecimals));
}

/** The first bad lines with file, line and reason, then how many more were skipped. */
function describeBadLines(stats: ReadStats): string[] {
  const described = stats.firstBadLines.map((bad) => `bad data line skipped: ${bad.file}:${bad.line}: ${bad.reason}`);
  const more = stats.badLines - stats.firstBadLines.length;
  if (more > 0) described.push(`${more} more bad data lines skipped (--strict stops at the first)`);
  return described;
}

/** Runs one backtest: data → simulated exchange ↔ strategy, then the summary. Deterministic for a seed. */
export async function runBacktest(options: BacktestOptions): Promise<BacktestResult> {
  const { config } = options;
  const coins = options.coins && options.coins.length > 0 ? [...options.coins] : Object.keys(config.coins);
  const coinConfigs = coins.map((coin) => coinConfig(config, coin));
  const assets = assetMetadata(coins, options.szDecimals);
  const rng = new Rng(options.seed);
  const latency = latencyModel(options.latency, rng);
  const files = options.data.kind === 'files' ? options.data : undefined;
  const data = files
    ? await openMarketData(files.paths, { coins, from: files.from, to: files.to, strict: files.strict, cacheDir: files.cacheDir, useCache: files.useCache })
    : undefined;
  const tradelessCoins = data?.tradelessCoins ?? new Set<string>();
  // Each coin pays its own maker_fee and taker_fee, as the bot's fee guard assumes; a coin whose
  // data has no trades can only be filled by what the book shows.
  const venueAssets = Object.fromEntries(
    coinConfigs.map((coin) => [
      coin.coin,
      {
        ...assets[coin.coin]!,
        fees: { makerRate: coin.maker_fee, takerRate: coin.taker_fee },
        inferExecutionsFromBook: tradelessCoins.has(coin.coin),
      },
    ]),
  );
  const venue = new SimVenue({
    assets: venueAssets,
    queueModel: queueModel(options.queueModel),
    entryLatency: latency,
    responseLatency: latency,
  });
  const startTs = options.data.kind === 'synthetic' ? options.data.startMs : 0;
  const maker = new MarketMaker({ bot: config.bot, coins: coinConfigs, assets, startTs, session: options.seed });
  const recorder = new BacktestRecorder(maker, config.bot.capital_usd, coins, options.createSink?.(maker));
  const feed: FeedLatency = options.feedLatency ?? { kind: 'recorded' };
  const driver = new EventTimeDriver(venue, maker, feed, config.bot.loop_ms, recorder);
  const warnings: string[] = [];
  let count = 0;
  const replay = (event: MarketEvent) => {
    driver.push(event);
    if (++count % PROGRESS_EVERY_EVENTS === 0) options.onProgress?.({ events: count, exchangeTs: event.exchTs });
  };
  const fundingCoverage = new FundingCoverage();

  if (options.data.kind === 'synthetic') {
    const { startMs, durationMs } = options.data;
    const streams = coins.map((coin, i) => {
      if (!SYNTHETIC_CALIBRATIONS[coin]) {
        throw new UserInputError(`coin ${coin}: no synthetic market is calibrated for it; synthetic markets exist for ${Object.keys(SYNTHETIC_CALIBRATIONS).join(', ')} (use --coin)`);
      }
      return syntheticL2Market({ seed: options.seed * 1000 + i, coin, startMs, durationMs });
    });
    for (const event of mergeSynthetic(streams)) replay(event);
    warnings.push('synthetic market: calibrated to recorded Hyperliquid BTC/ETH books and trades (docs/synthetic-market-calibration.md)');
  } else if (data) {
    const fundingWindow = new FundingWindow();
    for await (const batch of data.batches) {
      for (const event of batch) {
        fundingCoverage.observe(event);
        fundingWindow.pass(event, replay);
      }
    }
  }
  driver.finish();
  recorder.finish();

  if (recorder.events === 0) throw new UserInputError('no market events for the chosen coins and time range; check --coin, --from/--to and the data paths');
  const stats = data?.stats;
  if (stats) warnings.push(...describeBadLines(stats), ...stats.warnings.map(describeDataWarning));
  for (const coin of venue.inferredExecutionCoins) {
    warnings.push(`${coin}: data has no trades: our fills are inferred from book changes (a level at our price shrinking or moving through it), which is optimistic about queue position`);
  }
  const inferred = new Set(venue.inferredExecutionCoins);
  for (const { coin, books, trades } of venue.marketDataSeen()) {
    if (books === 0) warnings.push(`${coin}: the data has no books of ${coin}, so it was never quoted (--coin leaves it out)`);
    else if (trades === 0 && !inferred.has(coin)) {
      warnings.push(`${coin}: data has no trades: our orders fill only when the book moves through their price, which is pessimistic`);
    }
  }
  for (const { coin, orders } of venue.ordersJoinedOutOfView()) {
    warnings.push(
      `${coin}: ${orders} of our orders rested beyond the displayed book depth, where the queue is unknown: ` +
        'each went behind the size its level showed when it came into view',
    );
  }
  if (recorder.selfTradeCancels > 0) {
    warnings.push(`${recorder.selfTradeCancels} of our resting orders were canceled unfilled when another of our orders reached them (self-trade prevention, as on the exchange)`);
  }
  warnings.push(...fundingCoverage.warnings(coins));
  if (recorder.riskEventsDropped > 0) warnings.push(`${recorder.riskEventsDropped} risk events beyond the first 1000 are not listed`);

  const totals = maker.ledger.totals();
  const grossPnl = totals.realizedPnl + totals.unrealizedPnl;
  const summary: BacktestSummary = {
    events: recorder.events,
    durationSec: (recorder.lastExchangeTs - recorder.firstExchangeTs) / 1000,
    coins,
    orders: recorder.orders,
    fills: recorder.fills,
    makerFills: recorder.makerFills,
    takerFills: recorder.takerFills,
    volumeUsd: totals.volume,
    grossPnl,
    fees: totals.fees,
    funding: totals.funding,
    netPnl: grossPnl - totals.fees + totals.funding,
    maxDrawdown: recorder.statistics.maxDrawdown,
    sharpe: recorder.statistics.sharpe,
    roundTrips: totals.roundTrips,
    finalPosition: Object.fromEntries(coins.map((coin) => [coin, roundToLot(maker.ledger.coin(coin).position, assets[coin]!.szDecimals)])),
    rejects: { ...recorder.rejects },
    badLines: stats?.badLines ?? 0,
    warnings,
  };
  return { summary, recorder };
}
