import type { MarketEvent } from '../../core/types.js';
import type { StatsRecorder } from './read-stats.js';

/** Events in batches: cheaper to pass through the pipeline than one promise per event. */
export type EventBatches = AsyncIterable<MarketEvent[]>;

export interface ReaderContext {
  readonly recorder: StatsRecorder;
  /** How far (ms) an event may arrive behind a newer one and still be put in order. */
  readonly toleranceMs: number;
}

/** One unit of market data that is read, and cached, as a whole; it yields in exchange-time order. */
export interface SourceSpec {
  /** Names the source in messages and keys its cache (an absolute path, or `dir#COIN`). */
  readonly id: string;
  /** The files the events come from; a change to any of them invalidates the cache. */
  readonly inputs: readonly string[];
  /** The one coin the source holds, when its name says so; absent when it may hold any coin. */
  readonly coin?: string;
  /** True when by its format the source holds books and never trades (an S3 archive hour). */
  readonly tradeless?: boolean;
  /** True when the source holds funding rates only (a fundingHistory reply): no books or trades of any coin. */
  readonly fundingOnly?: boolean;
  read(context: ReaderContext): EventBatches;
}
