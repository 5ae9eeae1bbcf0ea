import { accessSync, constants, existsSync, mkdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { Option, type Command } from 'commander';
import cliProgress from 'cli-progress';
import { loadConfigFile, type LoadedConfig } from '../config/load.js';
import { renderBacktestReport } from '../backtest/html-report.js';
import { runBacktest, type BacktestData, type BacktestSummary } from '../backtest/run-backtest.js';
import { StoreSink } from '../backtest/store-sink.js';
import { UserInputError } from '../errors.js';
import { deleteBotRows } from '../store/delete-bot-rows.js';
import { openStore } from '../store/open-database.js';
import { StoreWriter } from '../store/writer.js';
import { HL_PERP_FEE_TIERS } from '../venues/sim/fees.js';
import { describeFeedLatency, describeLatency, type FeedLatency, type LatencySpec } from '../venues/sim/latency.js';
import { QUEUE_MODEL_NAMES, type QueueModelName } from '../venues/sim/queue-models.js';
import { report, type CliIO } from './io.js';
import { createTable } from './table.js';

interface BacktestFlags {
  config: string;
  data?: string[];
  synthetic?: boolean;
  hours: string;
  start: string;
  coin?: string[];
  from?: string;
  to?: string;
  queueModel: QueueModelName;
  latencyMs: string;
  feedLatencyMs: string;
  seed: string;
  strict?: boolean;
  cache: boolean;
  cacheDir?: string;
  szDecimals?: string[];
  feeTier?: string;
  json?: boolean;
  report?: string;
  db?: string;
}

/** Epoch ms below this (March 1973) are epoch seconds typed by mistake. */
const SMALLEST_EPOCH_MS = 1e11;

function parseTime(flag: string, value: string): number {
  const asNumber = Number(value);
  const ms = /^\d+$/.test(value) ? asNumber : Date.parse(/[zZ]|[+-]\d\d:?\d\d$/.test(value) ? value : `${value}Z`);
  if (!Number.isFinite(ms)) throw new UserInputError(`${flag}: "${value}" is not a time; use ISO 8601 (2024-01-01T12:00:00Z) or epoch ms`);
  if (/^\d+$/.test(value) && asNumber < SMALLEST_EPOCH_MS) {
    throw new UserInputError(`${flag}: ${value} looks like epoch seconds; pass epoch ms (${value}000) or ISO 8601`);
  }
  return ms;
}

/** Makes sure the report can be written before a long run starts. */
function prepareReportPath(path: string): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    accessSync(dirname(path), constants.W_OK);
  } catch (error) {
    throw new UserInputError(`--report: cannot write into ${dirname(path)} (${(error as NodeJS.ErrnoException).code ?? String(error)}); pick another path`);
  }
  if (existsSync(path) && statSync(path).isDirectory()) throw new UserInputError(`--report: ${path} is a directory; give a file name such as ${path}/backtest.html`);
}

function parseNumber(flag: string, value: string, check: (n: number) => boolean, expected: string): number {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || !check(n)) throw new UserInputError(`${flag}: expected ${expected}, got "${value}"`);
  return n;
}

const MAX_LATENCY_MS = 60_000;
const LATENCY_FORMS = 'milliseconds (100), uniform:MIN:MAX (uniform:50:150) or lognormal:MEDIAN:SIGMA (lognormal:80:0.5)';

/** `N` (constant), `uniform:MIN:MAX` or `lognormal:MEDIAN:SIGMA`, in milliseconds. */
function parseLatency(value: string): LatencySpec {
  const fail = (why: string): never => {
    throw new UserInputError(`--latency-ms: ${why}; expected ${LATENCY_FORMS}, got "${value}"`);
  };
  const ms = (text: string | undefined, name: string): number => {
    const n = Number(text);
    if (text === undefined || text.trim() === '' || !Number.isFinite(n) || n < 0 || n > MAX_LATENCY_MS) fail(`${name} must be between 0 and ${MAX_LATENCY_MS} ms`);
    return n;
  };
  const [kind, ...parts] = value.split(':');
  if (parts.length === 0) return { kind: 'constant', ms: ms(kind, 'the latency') };
  if (kind === 'uniform' && parts.length === 2) {
    const minMs = ms(parts[0], 'MIN');
    const maxMs = ms(parts[1], 'MAX');
    if (maxMs < minMs) fail('MAX is below MIN');
    return { kind: 'uniform', minMs, maxMs };
  }
  if (kind === 'lognormal' && parts.length === 2) {
    const sigma = Number(parts[1]);
    if (parts[1]!.trim() === '' || !Number.isFinite(sigma) || sigma < 0 || sigma > 3) fail('SIGMA must be between 0 and 3');
    return { kind: 'lognormal', medianMs: ms(parts[0], 'MEDIAN'), sigma };
  }
  return fail(`unknown form "${kind}:…"`);
}

function parseFeedLatency(value: string): FeedLatency {
  if (value === 'recorded') return { kind: 'recorded' };
  const ms = parseNumber('--feed-latency-ms', value, (n) => n >= 0 && n <= MAX_LATENCY_MS, `"recorded" or milliseconds between 0 and ${MAX_LATENCY_MS}`);
  return { kind: 'constant', ms };
}

function parseSzDecimals(values: readonly string[] = []): Record<string, number> {
  const result: Record<string, number> = {};
  for (const value of values) {
    const match = /^([A-Za-z0-9:]+)=(\d)$/.exec(value);
    if (!match) throw new UserInputError(`--sz-decimals: expected COIN=N (e.g. BTC=5), got "${value}"`);
    result[match[1]!] = Number(match[2]);
  }
  return result;
}

/** `syntheticOnlyGiven`: --hours or --start was typed, not defaulted. */
function dataOf(flags: BacktestFlags, syntheticOnlyGiven: boolean): BacktestData {
  const from = flags.from === undefined ? undefined : parseTime('--from', flags.from);
  const to = flags.to === undefined ? undefined : parseTime('--to', flags.to);
  if (flags.synthetic) {
    if (flags.data?.length) throw new UserInputError('--synthetic and --data are exclusive; pass one of them');
    if (from !== undefined || to !== undefined) throw new UserInputError('--from and --to select a window of --data; a synthetic market is set by --start and --hours');
    const hours = parseNumber('--hours', flags.hours, (n) => n > 0 && n <= 24 * 31, 'hours between 0 and 744');
    return { kind: 'synthetic', startMs: parseTime('--start', flags.start), durationMs: Math.round(hours * 3_600_000) };
  }
  if (!flags.data?.length) throw new UserInputError('--data: pass market data files, directories or globs, or use --synthetic');
  if (syntheticOnlyGiven) throw new UserInputError('--hours and --start set a synthetic market (--synthetic); a window of --data is set by --from and --to');
  if (from !== undefined && to !== undefined && from >= to) {
    throw new UserInputError(`--from ${new Date(from).toISOString()} is not before --to ${new Date(to).toISOString()}: the window is empty`);
  }
  return { kind: 'files', paths: flags.data, from, to, strict: flags.strict, cacheDir: flags.cacheDir, useCache: flags.cache };
}

/** The config with every coin's maker_fee and taker_fee set to one tier of Hyperliquid's perp schedule. */
function withFeeTier(config: LoadedConfig, value: string): LoadedConfig {
  const tier = parseNumber('--fee-tier', value, (n) => Number.isInteger(n) && n >= 0 && n < HL_PERP_FEE_TIERS.length, `a tier from 0 to ${HL_PERP_FEE_TIERS.length - 1}`);
  const { makerRate, takerRate } = HL_PERP_FEE_TIERS[tier]!;
  const coins = Object.fromEntries(Object.entries(config.coins).map(([coin, settings]) => [coin, { ...settings, maker_fee: makerRate, taker_fee: takerRate }]));
  return { ...config, coins };
}

/** The fee rates of the run for the report: one line when every coin pays the same. */
function describeFees(config: LoadedConfig, coins: readonly string[]): string {
  const percent = (rate: number) => `${(rate * 100).toFixed(4).replace(/0+$/, '').replace(/\.$/, '')}%`;
  const perCoin = coins.map((coin) => `maker ${percent(config.coins[coin]!.maker_fee)}, taker ${percent(config.coins[coin]!.taker_fee)}`);
  return new Set(perCoin).size === 1 ? perCoin[0]! : coins.map((coin, index) => `${coin}: ${perCoin[index]}`).join('; ');
}

const money = (n: number) => n.toFixed(4);

function humanSummary(summary: BacktestSummary, seconds: number, reportPath?: string): string {
  const table = createTable(['metric', 'value']);
  table.push(
    ['coins', summary.coins.join(', ')],
    ['market events', `${summary.events} over ${(summary.durationSec / 3600).toFixed(2)} h`],
    ['orders sent', String(summary.orders)],
    ['fills (maker / taker)', `${summary.fills} (${summary.makerFills} / ${summary.takerFills})`],
    ['volume USD', summary.volumeUsd.toFixed(2)],
    ['gross PnL', money(summary.grossPnl)],
    ['fees (+ = cost)', money(summary.fees)],
    ['funding (+ = received)', money(summary.funding)],
    ['net PnL = gross − fees + funding', money(summary.netPnl)],
    ['max drawdown USD', money(summary.maxDrawdown)],
    ['Sharpe (minute returns, annualized)', summary.sharpe.toFixed(2)],
    ['round trips', String(summary.roundTrips)],
    ['final position', Object.entries(summary.finalPosition).map(([coin, size]) => `${coin} ${size}`).join(', ')],
    ['rejects', Object.entries(summary.rejects).map(([kind, n]) => `${kind} ${n}`).join(', ') || 'none'],
    ['bad data lines', String(summary.badLines)],
  );
  const lines = [table.toString()];
  for (const warning of summary.warnings) lines.push(`warning: ${warning}`);
  lines.push(`${summary.events} events in ${seconds.toFixed(1)} s (${Math.round(summary.events / Math.max(seconds, 1e-3))} events/s)`);
  if (reportPath) lines.push(`report: ${reportPath}`);
  return lines.join('\n');
}

/** The exchange-time span a run covers, when known before it starts. */
function knownSpan(data: BacktestData): { startMs: number; durationMs: number } | undefined {
  if (data.kind === 'synthetic') return data;
  if (data.from === undefined || data.to === undefined) return undefined;
  return { startMs: data.from, durationMs: data.to - data.from };
}

/** A bar over the run's time span when it is known (synthetic, or --from and --to), else a counter. */
function progressBar(io: CliIO, data: BacktestData) {
  if (!io.interactive) return undefined;
  const span = knownSpan(data);
  const total = span?.durationMs ?? 0;
  const bar = new cliProgress.SingleBar(
    {
      stream: process.stderr,
      format: total > 0 ? 'backtest [{bar}] {percentage}% | {events} events | {at}' : 'backtest {events} events | {at}',
      hideCursor: true,
      clearOnComplete: true,
    },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total || 1, 0, { events: 0, at: '' });
  return {
    update(events: number, exchangeTs: number) {
      const done = span === undefined ? 0 : Math.max(exchangeTs - span.startMs, 0);
      bar.update(Math.min(done, total), { events, at: new Date(exchangeTs).toISOString() });
    },
    stop: () => bar.stop(),
  };
}

export function registerBacktestCommand(program: Command, io: CliIO): void {
  program
    .command('backtest')
    .description('Replay recorded order books (or a synthetic market) through the simulated exchange and the bot')
    .requiredOption('--config <file>', 'bot config file')
    .option('--data <paths...>', 'market data: S3 archive l2Book files (.lz4/.jsonl.gz/.jsonl), collector CSV directories, raw WS frame files, or globs')
    .option('--synthetic', 'use the synthetic L2 market calibrated to Hyperliquid BTC/ETH instead of --data')
    .option('--hours <h>', 'synthetic market duration in hours', '1')
    .option('--start <time>', 'synthetic market start time', '2025-01-01T00:00:00Z')
    .option('--coin <coins...>', 'trade only these coins of the config')
    .option('--from <time>', 'start of the data window (ISO 8601 or epoch ms, inclusive)')
    .option('--to <time>', 'end of the data window (exclusive)')
    .addOption(new Option('--queue-model <model>', 'how cancellations advance our queue position').choices([...QUEUE_MODEL_NAMES]).default('risk-averse'))
    .option('--latency-ms <spec>', 'order entry and response latency each way: ms, uniform:MIN:MAX or lognormal:MEDIAN:SIGMA', '100')
    .option('--feed-latency-ms <ms>', 'when the bot sees market data: "recorded" (the data\'s receive times) or ms after the exchange', 'recorded')
    .option('--seed <n>', 'random seed (synthetic market, sampled latency)', '1')
    .option('--strict', 'stop at the first bad data line instead of counting and skipping it')
    .option('--no-cache', 'do not read or write the binary cache of parsed data')
    .option('--cache-dir <dir>', 'where binary caches go (default .hypermm-cache)')
    .option('--sz-decimals <coin=n...>', "a coin's size decimals when not known offline, e.g. WIF=0")
    .option('--fee-tier <n>', "every coin's maker and taker fee from this tier (0-6) of Hyperliquid's perp schedule, instead of the config's maker_fee and taker_fee")
    .option('--json', 'print the summary as one JSON object')
    .option('--report <file.html>', 'write a self-contained HTML report with charts')
    .option('--db <path>', 'store orders, fills and events in this SQLite database')
    .action(async (flags: BacktestFlags, command: Command) => {
      const loaded = loadConfigFile(flags.config);
      const config = flags.feeTier === undefined ? loaded : withFeeTier(loaded, flags.feeTier);
      const data = dataOf(flags, ['hours', 'start'].some((key) => command.getOptionValueSource(key) === 'cli'));
      const latency = parseLatency(flags.latencyMs);
      const feedLatency = parseFeedLatency(flags.feedLatencyMs);
      const seed = parseNumber('--seed', flags.seed, (n) => Number.isInteger(n) && n >= 0, 'a non-negative integer');
      const szDecimals = parseSzDecimals(flags.szDecimals);
      if (flags.report) prepareReportPath(flags.report);
      const store = flags.db ? openStore(flags.db) : undefined;
      const runBotId = `${config.bot.bot_id}-backtest-${new Date().toISOString().replace(/[-:]|\.\d+/g, '')}`;
      const writer = store ? new StoreWriter(store.db) : undefined;
      if (store) {
        store.db
          .prepare('INSERT OR REPLACE INTO bots (bot_id, name, network, config_json, created_ts) VALUES (?, ?, ?, ?, ?)')
          .run(runBotId, config.bot.bot_id, 'backtest', JSON.stringify({ bot: config.bot, coins: config.coins }), Date.now());
      }
      const bar = progressBar(io, data);
      const started = process.hrtime.bigint();
      let finished = false;
      try {
        const result = await runBacktest({
          config,
          coins: flags.coin,
          data,
          queueModel: flags.queueModel,
          latency,
          feedLatency,
          seed,
          szDecimals,
          createSink: writer ? (maker) => new StoreSink(writer, runBotId, maker) : undefined,
          onProgress: bar ? ({ events, exchangeTs }) => bar.update(events, exchangeTs) : undefined,
        });
        bar?.stop();
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        finished = true;
        if (store) io.err(`stored as bot ${runBotId} in ${flags.db}`);
        if (flags.report) {
          const settings = {
            config: flags.config,
            coins: result.summary.coins.join(', '),
            data: data.kind === 'synthetic' ? `synthetic ${flags.hours} h from ${flags.start}` : (flags.data ?? []).join(' '),
            queueModel: flags.queueModel,
            orderLatency: describeLatency(latency),
            feedLatency: describeFeedLatency(feedLatency),
            fees: describeFees(config, result.summary.coins),
            seed,
          };
          writeFileSync(flags.report, renderBacktestReport({ title: `hypermm backtest: ${config.bot.bot_id}`, summary: result.summary, recorder: result.recorder, settings }));
        }
        report(io, Boolean(flags.json), result.summary, (summary) => humanSummary(summary, seconds, flags.report));
      } finally {
        bar?.stop();
        try {
          writer?.close();
        } finally {
          if (store && !finished) deleteBotRows(store.db, runBotId);
          store?.db.close();
        }
      }
    });
}
