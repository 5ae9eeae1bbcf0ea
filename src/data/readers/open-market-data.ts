import { resolve } from 'node:path';
import type { MarketEvent } from '../../core/types.js';
import { UserInputError } from '../../errors.js';
import { readThroughCache, type CacheOptions } from '../cache/cached-source.js';
import { resolveSources } from './dispatch.js';
import { GapDetector } from './gap-detector.js';
import { mergeByTime } from './merge-by-time.js';
import { StatsRecorder, type ReadStats } from './read-stats.js';
import type { ReaderContext, SourceSpec } from './source.js';

export interface MarketDataOptions {
  /** Only these coins; all when absent. */
  readonly coins?: readonly string[];
  /** Exchange time range in ms: `from` inclusive, `to` exclusive. */
  readonly from?: number;
  readonly to?: number;
  /** Stop at the first bad line with a UserInputError instead of skipping it. */
  readonly strict?: boolean;
  /** Where binary caches go; default `.hypermm-cache` under the working directory. */
  readonly cacheDir?: string;
  /** Read and write the binary cache (default true). */
  readonly useCache?: boolean;
  /** How far (ms) an event may arrive behind a newer one and still be put in order; default 2000. */
  readonly timeToleranceMs?: number;
  /** Book snapshots further apart than this (ms) are reported as a gap; default 5000. */
  readonly gapThresholdMs?: number;
}

export interface MarketData {
  /** One pass over the events of every source, merged in exchange-time order, a batch at a time. */
  readonly batches: AsyncIterable<readonly MarketEvent[]>;
  /** The same pass an event at a time; use either this or `batches`, once. */
  readonly events: AsyncIterable<MarketEvent>;
  /** Filled in while `events` is read; complete once it has been read to the end. */
  readonly stats: ReadStats;
  /**
   * Coins whose sources hold books and, by their format, no trades (S3 archive hours, collector
   * directories without a trades file), when no other source could bring their trades.
   */
  readonly tradelessCoins: ReadonlySet<string>;
}

export const DEFAULT_CACHE_DIR = '.hypermm-cache';
const DEFAULT_TOLERANCE_MS = 2_000;
const DEFAULT_GAP_THRESHOLD_MS = 5_000;

/**
 * Market data from files, directories and globs of any supported format (Hyperliquid S3 archive
 * l2Book, ws_collector CSV, raw WebSocket frames, fundingHistory replies), filtered by coin and time
 * and merged by time.
 */
export async function openMarketData(paths: readonly string[], options: MarketDataOptions = {}): Promise<MarketData> {
  if (paths.length === 0) throw new UserInputError('no market data path given; pass files, directories or globs');
  const from = options.from ?? Number.NEGATIVE_INFINITY;
  const to = options.to ?? Number.POSITIVE_INFINITY;
  if (Number.isNaN(from) || Number.isNaN(to) || from >= to) {
    throw new UserInputError(`time range from ${options.from} to ${options.to} is empty; "from" must be before "to"`);
  }
  const toleranceMs = nonNegative('timeToleranceMs', options.timeToleranceMs ?? DEFAULT_TOLERANCE_MS);
  const gapThresholdMs = nonNegative('gapThresholdMs', options.gapThresholdMs ?? DEFAULT_GAP_THRESHOLD_MS);
  const coins = options.coins === undefined ? undefined : new Set(options.coins);
  const chains = await resolveSources(paths, { coins, from, to });
  const tradelessCoins = tradelessCoinsOf(chains.flat());
  const recorder = new StatsRecorder(options.strict ?? false);
  const context: ReaderContext = { recorder, toleranceMs };
  const cache: CacheOptions = {
    enabled: options.useCache ?? true,
    directory: resolve(options.cacheDir ?? DEFAULT_CACHE_DIR),
  };
  const gaps = new GapDetector(gapThresholdMs, (gap) => recorder.warn(gap));

  // Batches spare the consumer an async step per event, the largest cost of a warm read.
  async function* batches(): AsyncGenerator<readonly MarketEvent[]> {
    const streams = chains.map((chain) => readChain(chain, context, cache));
    for await (const batch of mergeByTime(streams)) {
      const kept = inRange(batch);
      for (const event of kept) gaps.observe(event);
      recorder.stats.events += kept.length;
      if (kept.length > 0) yield kept;
      // The merged stream is in time order, so nothing after `to` can still be in range.
      if (batch.length > 0 && batch[batch.length - 1]!.exchTs >= to) return;
    }
  }
  const wanted = (event: MarketEvent): boolean => event.exchTs >= from && event.exchTs < to && (coins === undefined || coins.has(event.coin));
  /** The batch's events in the time range and of the chosen coins; the batch itself when that is all of them. */
  const inRange = (batch: readonly MarketEvent[]): readonly MarketEvent[] => (batch.every(wanted) ? batch : batch.filter(wanted));

  const batchStream = batches();
  async function* events(): AsyncGenerator<MarketEvent> {
    for await (const batch of batchStream) yield* batch;
  }
  return { batches: batchStream, events: events(), stats: recorder.stats, tradelessCoins };
}

/** Coins with a trade-less source and no source that could hold their trades (one of any coin counts for all). */
function tradelessCoinsOf(sources: readonly SourceSpec[]): ReadonlySet<string> {
  const tradeless = new Set<string>();
  const withTrades = new Set<string>();
  for (const source of sources) {
    if (source.fundingOnly) continue;
    if (source.coin === undefined) return new Set();
    (source.tradeless ? tradeless : withTrades).add(source.coin);
  }
  for (const coin of withTrades) tradeless.delete(coin);
  return tradeless;
}

/**
 * The sources of a chain one after another, each opened only when the one before is done. A
 * source that starts before the one before it ended (two recordings of the same time) has its
 * events up to that end skipped, so time never goes back; beyond the reorder tolerance, which
 * archive hours overlap by, the skip is reported.
 */
async function* readChain(chain: readonly SourceSpec[], context: ReaderContext, cache: CacheOptions): AsyncGenerator<MarketEvent[]> {
  let previous: SourceSpec | undefined;
  let reached = Number.NEGATIVE_INFINITY;
  for (const source of chain) {
    const until = reached;
    let skipped = 0;
    let earliestSkipped = Number.POSITIVE_INFINITY;
    for await (const batch of readThroughCache(source, context, cache)) {
      let kept = batch;
      if (batch.length > 0 && batch[0]!.exchTs < until) {
        kept = batch.filter((event) => event.exchTs >= until);
        skipped += batch.length - kept.length;
        earliestSkipped = Math.min(earliestSkipped, batch[0]!.exchTs);
      }
      if (kept.length === 0) continue;
      reached = kept[kept.length - 1]!.exchTs;
      yield kept;
    }
    if (previous !== undefined && skipped > 0 && until - earliestSkipped > context.toleranceMs) {
      context.recorder.warn({ kind: 'overlap', file: source.id, previousFile: previous.id, skipped, untilTs: until });
    }
    previous = source;
  }
}

function nonNegative(name: string, value: number): number {
  if (!(value >= 0)) throw new UserInputError(`${name} is ${value}; it must be a number of ms, 0 or more`);
  return value;
}
