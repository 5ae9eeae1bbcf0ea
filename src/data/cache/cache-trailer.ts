import { z } from 'zod';
import type { RecordedStats } from '../readers/read-stats.js';
import type { InputFingerprint } from './source-fingerprint.js';

/** Which source, read how: a cache answers only for the same identity. */
export interface CacheIdentity {
  readonly source: string;
  readonly inputs: readonly InputFingerprint[];
  readonly toleranceMs: number;
  /** The readers' code that wrote it (readerCodeHash). */
  readonly readerCode: string;
}

export interface BlockIndex {
  readonly offset: number;
  readonly bytes: number;
  readonly events: number;
  readonly crc: number;
}

export interface CacheTrailer extends CacheIdentity {
  readonly events: number;
  /** Most book levels on a side in any snapshot. */
  readonly depth: number;
  readonly coins: readonly string[];
  readonly blocks: readonly BlockIndex[];
  readonly stats: RecordedStats;
}

const count = z.number().int().nonnegative();

const trailerSchema = z.object({
  source: z.string(),
  inputs: z.array(z.object({ path: z.string(), size: count, mtimeMs: z.number(), sha256: z.string() })),
  toleranceMs: z.number(),
  readerCode: z.string(),
  events: count,
  depth: count,
  coins: z.array(z.string()),
  blocks: z.array(z.object({ offset: count, bytes: count, events: count, crc: count })),
  stats: z.object({
    badLines: count,
    firstBadLines: z.array(z.object({ file: z.string(), line: count, reason: z.string() })),
    warnings: z.array(
      z.discriminatedUnion('kind', [
        z.object({ kind: z.literal('gap'), coin: z.string(), fromTs: z.number(), toTs: z.number(), seconds: z.number() }),
        z.object({
          kind: z.literal('droppedTrades'),
          file: z.string(),
          coin: z.string(),
          duplicates: count,
          beforeFirstBook: count,
        }),
        z.object({ kind: z.literal('cache'), file: z.string(), message: z.string() }),
        z.object({ kind: z.literal('cutShort'), file: z.string(), afterLine: count, reason: z.string() }),
        z.object({ kind: z.literal('overlap'), file: z.string(), previousFile: z.string(), skipped: count, untilTs: z.number() }),
        z.object({ kind: z.literal('skippedFrames'), file: z.string(), channels: z.record(z.string(), count) }),
      ]),
    ),
  }),
});

/** The trailer in `json`, or undefined when it is not a trailer of this version. */
export function parseTrailer(json: string): CacheTrailer | undefined {
  try {
    const parsed = trailerSchema.safeParse(JSON.parse(json));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
