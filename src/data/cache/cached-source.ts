import { createHash } from 'node:crypto';
import { basename, join } from 'node:path';
import type { MarketEvent } from '../../core/types.js';
import { StatsRecorder } from '../readers/read-stats.js';
import type { ReaderContext, SourceSpec } from '../readers/source.js';
import { CacheDamagedError, lookupCache } from './cache-reader.js';
import type { CacheIdentity } from './cache-trailer.js';
import { CacheWriter } from './cache-writer.js';
import { readerCodeHash } from './reader-code.js';
import { fingerprintInputs } from './source-fingerprint.js';

export interface CacheOptions {
  readonly enabled: boolean;
  readonly directory: string;
}

/** The cache file of a source: a readable name plus a hash of the full source id. */
export function cacheFileFor(directory: string, sourceId: string): string {
  const readable = basename(sourceId).replace(/[^A-Za-z0-9._-]/g, '_');
  const digest = createHash('sha256').update(sourceId).digest('hex').slice(0, 16);
  return join(directory, `${readable}-${digest}.hmmc`);
}

/**
 * A source's events from its cache when the cache matches the source, else parsed from the source
 * while a new cache is written. The cached read replays the bad lines and warnings the parse
 * recorded. A block that fails its check mid-read makes the read go on from the source, skipping
 * the events already delivered, and the cache is rebuilt.
 */
export async function* readThroughCache(source: SourceSpec, context: ReaderContext, cache: CacheOptions): AsyncGenerator<MarketEvent[]> {
  if (!cache.enabled) {
    yield* source.read({ ...context, recorder: new StatsRecorder(context.recorder.strict, context.recorder) });
    return;
  }
  const file = cacheFileFor(cache.directory, source.id);
  const identity: CacheIdentity = {
    source: source.id,
    inputs: await fingerprintInputs(source.inputs),
    toleranceMs: context.toleranceMs,
    readerCode: await readerCodeHash(),
  };
  const found = await lookupCache(file, identity);
  let delivered = 0;
  if (found.kind === 'hit') {
    try {
      context.recorder.absorb(found.cache.trailer.stats);
    } catch (error) {
      await found.cache.close();
      throw error;
    }
    try {
      for await (const batch of found.cache.batches()) {
        delivered += batch.length;
        yield batch;
      }
      return;
    } catch (error) {
      if (!(error instanceof CacheDamagedError)) throw error;
      context.recorder.warn({ kind: 'cache', file, message: `${error.message}; read again from the source and rebuilt` });
    }
  } else if (found.kind === 'damaged') {
    context.recorder.warn({ kind: 'cache', file, message: `${found.reason}; rebuilt from the source` });
  }
  // Stats already replayed from a damaged cache are not counted twice.
  const recorder = new StatsRecorder(context.recorder.strict, found.kind === 'hit' ? undefined : context.recorder);
  yield* parseIntoCache(source, { ...context, recorder }, file, identity, delivered);
}

async function* parseIntoCache(
  source: SourceSpec,
  context: ReaderContext,
  file: string,
  identity: CacheIdentity,
  skip: number,
): AsyncGenerator<MarketEvent[]> {
  const writer = await CacheWriter.create(file, identity);
  const events = source.read(context)[Symbol.asyncIterator]();
  let state: 'reading' | 'done' | 'failed' = 'reading';
  let toSkip = skip;
  try {
    for (let next = await events.next(); next.done !== true; next = await events.next()) {
      await writer.add(next.value);
      if (toSkip >= next.value.length) {
        toSkip -= next.value.length;
        continue;
      }
      const batch = toSkip > 0 ? next.value.slice(toSkip) : next.value;
      toSkip = 0;
      yield batch;
    }
    state = 'done';
  } catch (error) {
    state = 'failed';
    throw error;
  } finally {
    try {
      if (state === 'reading') await finishUnread(events, writer, context, file);
      else if (state === 'failed') await writer.abort();
    } finally {
      await events.return?.();
    }
  }
  await commit(writer, context, file);
}

async function commit(writer: CacheWriter, context: ReaderContext, file: string): Promise<void> {
  const problem = await writer.commit(context.recorder.stats);
  if (problem !== undefined) context.recorder.warn({ kind: 'cache', file, message: `not written: ${problem}` });
}

/**
 * The reader stopped early (a time range ended): the rest of this one source is still parsed, once,
 * so that its cache is complete. Its bad lines and warnings count for the caller too, as a cached
 * read replays them all: a run reports the same with or without the cache, strict or not.
 */
async function finishUnread(events: AsyncIterator<MarketEvent[]>, writer: CacheWriter, context: ReaderContext, file: string): Promise<void> {
  try {
    for (let next = await events.next(); next.done !== true; next = await events.next()) await writer.add(next.value);
  } catch (error) {
    await writer.abort();
    throw error;
  }
  await commit(writer, context, file);
}
