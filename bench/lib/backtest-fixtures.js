/**
 * What the backtest benchmarks share: the example strategy's backtest over a data file, a bare
 * gunzip + JSON.parse pass over the same file, and a synthetic BTC market written once as raw
 * WebSocket frames (gzip) under the system temp directory.
 */
import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream, existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdir, mkdtemp, rename, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { pipeline } from 'node:stream/promises';
import { StringDecoder } from 'node:string_decoder';
import { fileURLToPath, URL } from 'node:url';
import { createGunzip, createGzip } from 'node:zlib';

const DIST = new URL('../../dist/', import.meta.url);
const EXAMPLE_CONFIG = fileURLToPath(new URL('../../configs/example-mm.json', import.meta.url));

/** The archive hour the numbers are about; absent on machines without the shared data. */
export const S3_HOUR_FILE = fileURLToPath(
  new URL('../../../shared/data/hyperliquid/s3_archive_l2book/BTC_20240101_h12.jsonl.gz', import.meta.url),
);

export const HOUR_MS = 3_600_000;
const SYNTHETIC_START_MS = Date.UTC(2024, 0, 1);
const SYNTHETIC_SEED = 1;
const CHUNK_BYTES = 256 * 1024;

/** The value after `flag` in `argv` as a positive integer; undefined when absent, an exit when invalid. */
export function positiveIntegerOption(benchmark, argv, flag) {
  const at = argv.indexOf(flag);
  if (at < 0) return undefined;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`${benchmark}: ${flag} needs a positive integer, got ${argv[at + 1]}`);
    process.exit(2);
  }
  return value;
}

/** The compiled modules the benchmarks use, or an exit with a hint when dist/ is missing. */
export async function loadBuild(benchmark) {
  try {
    const [{ runBacktest }, { loadConfigFile }, { syntheticL2Market }, { formatRawFrameLine }, { openMarketData }] = await Promise.all([
      import(new URL('backtest/run-backtest.js', DIST).href),
      import(new URL('config/load.js', DIST).href),
      import(new URL('data/synthetic/l2-market.js', DIST).href),
      import(new URL('data/readers/raw-frames.js', DIST).href),
      import(new URL('data/readers/open-market-data.js', DIST).href),
    ]);
    return { runBacktest, loadConfigFile, syntheticL2Market, formatRawFrameLine, openMarketData };
  } catch (error) {
    console.error(`${benchmark}: cannot load the compiled build from dist/ (${String(error)}); run "npm run build" first`);
    process.exit(2);
  }
}

/**
 * The example strategy (configs/example-mm.json, BTC only) over `file`, with the binary cache in
 * `cacheDir`: risk-averse queue, 100 ms latency, seed 1. Returns the events and the wall time.
 * `onProgress` is runBacktest's: called every few thousand events.
 */
export async function timedBacktest(build, file, cacheDir, onProgress = undefined) {
  const config = build.loadConfigFile(EXAMPLE_CONFIG);
  globalThis.gc?.();
  const start = performance.now();
  const { summary, recorder } = await build.runBacktest({
    config,
    coins: ['BTC'],
    data: { kind: 'files', paths: [file], cacheDir, useCache: true },
    queueModel: 'risk-averse',
    latency: { kind: 'constant', ms: 100 },
    seed: 1,
    onProgress,
  });
  const seconds = (performance.now() - start) / 1000;
  return { events: summary.events, steps: recorder.steps, seconds, fills: summary.fills, netPnl: summary.netPnl };
}

/**
 * The data path alone: the same file through openMarketData (readers, cache, merge) with every
 * event counted and dropped, no strategy and no simulated exchange.
 */
export async function timedRead(build, file, cacheDir) {
  globalThis.gc?.();
  const start = performance.now();
  const data = await build.openMarketData([file], { coins: ['BTC'], cacheDir, useCache: true });
  let events = 0;
  for await (const batch of data.batches) for (const event of batch) if (event.coin === 'BTC') events += 1;
  return { events, seconds: (performance.now() - start) / 1000 };
}

/** A fresh, empty cache directory; remove it with `rm(dir, { recursive: true })`. */
export function freshCacheDir() {
  return mkdtemp(join(tmpdir(), 'hypermm-bench-cache-'));
}

export async function removeDir(dir) {
  await rm(dir, { recursive: true, force: true });
}

/**
 * Gunzip, split lines, JSON.parse each one and count market events the way the readers do (an
 * archive line or an l2Book frame is one event, a trades frame one event per trade): the floor
 * any reader of this file stands on.
 */
export async function bareParse(file) {
  globalThis.gc?.();
  const start = performance.now();
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let events = 0;
  const countLine = (line) => {
    if (line.length === 0) return;
    const space = line.charCodeAt(0) === 123 ? -1 : line.indexOf(' ');
    const document = JSON.parse(space < 0 ? line : line.slice(space + 1));
    if (document.channel === 'trades') events += document.data.length;
    else events += 1;
  };
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  const done = pipeline(createReadStream(file, { highWaterMark: CHUNK_BYTES }), gunzip);
  for await (const chunk of gunzip) {
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop() ?? '';
    for (const line of lines) countLine(line);
  }
  await done;
  countLine(partial + decoder.end());
  return { events, seconds: (performance.now() - start) / 1000 };
}

/**
 * `hours` of the synthetic BTC market (seed 1, from 2024-01-01) as raw WebSocket frames, gzip:
 * one l2Book frame per push, one trades frame per run of prints at the same time. Written once
 * and reused; the name carries a hash of the generator's compiled code, so a changed generator
 * gets a new file.
 */
export async function syntheticRawFramesFile(build, hours) {
  const dir = join(tmpdir(), 'hypermm-bench-data');
  const file = join(dir, `btc-synthetic-${hours}h-${generatorDigest()}.raw.gz`);
  if (existsSync(file)) return file;
  await mkdir(dir, { recursive: true });
  const partial = `${file}.${process.pid}.tmp`;
  console.error(`bench: writing ${hours} h of synthetic BTC frames to ${file}`);
  const gzip = createGzip();
  const written = pipeline(gzip, createWriteStream(partial));
  const write = async (text) => {
    if (!gzip.write(text)) await new Promise((resolve) => gzip.once('drain', resolve));
  };
  let trades = [];
  const flushTrades = async () => {
    if (trades.length === 0) return;
    const ts = trades[0].time;
    await write(build.formatRawFrameLine(BigInt(ts) * 1_000_000n, JSON.stringify({ channel: 'trades', data: trades })));
    trades = [];
  };
  const market = build.syntheticL2Market({ seed: SYNTHETIC_SEED, coin: 'BTC', startMs: SYNTHETIC_START_MS, durationMs: hours * HOUR_MS });
  for (const event of market) {
    if (event.type === 'trade') {
      if (trades.length > 0 && trades[0].time !== event.exchTs) await flushTrades();
      trades.push({ coin: event.coin, side: event.side === 'bid' ? 'B' : 'A', px: String(event.px), sz: String(event.sz), time: event.exchTs, tid: event.tid });
      continue;
    }
    await flushTrades();
    const side = (px, sz) => Array.from(px, (price, i) => ({ px: String(price), sz: String(sz[i]), n: 1 }));
    const data = { coin: event.coin, time: event.exchTs, levels: [side(event.bidPx, event.bidSz), side(event.askPx, event.askSz)] };
    await write(build.formatRawFrameLine(BigInt(event.localTs) * 1_000_000n, JSON.stringify({ channel: 'l2Book', data })));
  }
  await flushTrades();
  gzip.end();
  await written;
  await rename(partial, file);
  return file;
}

function generatorDigest() {
  const hash = createHash('sha256');
  const synthetic = new URL('data/synthetic/', DIST);
  const sources = readdirSync(synthetic)
    .filter((name) => name.endsWith('.js'))
    .sort()
    .map((name) => new URL(name, synthetic));
  for (const source of [...sources, new URL('core/random.js', DIST), new URL('data/readers/raw-frames.js', DIST)]) {
    hash.update(source.pathname).update(readFileSync(source));
  }
  return hash.digest('hex').slice(0, 12);
}
