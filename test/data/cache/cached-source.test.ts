import { existsSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';
import { BLOCK_EVENTS } from '../../../src/data/cache/cache-format.js';
import { lookupCache } from '../../../src/data/cache/cache-reader.js';
import { cacheFileFor, readThroughCache } from '../../../src/data/cache/cached-source.js';
import { readerCodeHash } from '../../../src/data/cache/reader-code.js';
import { fingerprintInputs } from '../../../src/data/cache/source-fingerprint.js';
import { openMarketData } from '../../../src/data/readers/open-market-data.js';
import { StatsRecorder } from '../../../src/data/readers/read-stats.js';
import { readS3L2Book } from '../../../src/data/readers/s3-l2book.js';
import type { ReaderContext, SourceSpec } from '../../../src/data/readers/source.js';
import { archiveLine, bookData, collect, collectBatches, fromSync, sharedData, tempDir } from '../readers/fixtures.js';

const root = tempDir('cache');
const T0 = Date.UTC(2024, 0, 1, 12);
let fixtureCount = 0;

/** A fresh archive file and cache directory, and a source over it that counts its parses. */
function archiveFixture(lines: readonly string[]) {
  fixtureCount += 1;
  const file = join(root, `hour-${fixtureCount}.jsonl`);
  writeFileSync(file, lines.join('\n') + '\n');
  const parses = { count: 0 };
  const source: SourceSpec = {
    id: file,
    inputs: [file],
    read: (context) => {
      parses.count += 1;
      return readS3L2Book(file, context);
    },
  };
  return { file, source, parses, directory: join(root, `cache-${fixtureCount}`) };
}

const hourLines = Array.from({ length: 40 }, (_, index) =>
  archiveLine(bookData(index % 3 === 0 ? 'ETH' : 'BTC', T0 + index * 500, 100 + (index % 7)), `2024-01-01T12:00:${String(index % 60).padStart(2, '0')}.5`),
);

async function read(source: SourceSpec, directory: string, options: { strict?: boolean; toleranceMs?: number; enabled?: boolean } = {}) {
  const recorder = new StatsRecorder(options.strict ?? false);
  const context: ReaderContext = { recorder, toleranceMs: options.toleranceMs ?? 2000 };
  const events = await collectBatches(readThroughCache(source, context, { enabled: options.enabled ?? true, directory }));
  return { events, stats: recorder.stats };
}

function cacheFiles(directory: string): string[] {
  return existsSync(directory) ? readdirSync(directory) : [];
}

describe('binary market data cache', () => {
  it('is written on the first read and gives back exactly the parsed events on later reads, without parsing', async () => {
    const { source, parses, directory } = archiveFixture(hourLines);
    const parsed = await read(source, directory, { enabled: false });
    const first = await read(source, directory);
    const second = await read(source, directory);
    expect(parses.count).toBe(2);
    expect(first.events).toStrictEqual(parsed.events);
    expect(second.events).toStrictEqual(parsed.events);
    expect(second.events).toHaveLength(40);
    expect(cacheFiles(directory)).toEqual([cacheFileFor(directory, source.id).slice(directory.length + 1)]);
  });

  it('replays the bad lines and warnings of the parse, and a strict read of it fails like the parse would', async () => {
    const { file, source, directory } = archiveFixture([hourLines[0]!, 'broken', hourLines[1]!]);
    const parsed = await read(source, directory);
    const cached = await read(source, directory);
    expect(cached.stats).toEqual(parsed.stats);
    expect(cached.stats.firstBadLines).toEqual([{ file, line: 2, reason: 'not valid JSON' }]);
    await expect(read(source, directory, { strict: true })).rejects.toThrow(UserInputError);
    await expect(read(source, directory, { strict: true })).rejects.toThrow(`${file}:2`);
  });

  it('is rebuilt when the source changes content, even at the same size', async () => {
    const { file, source, parses, directory } = archiveFixture(hourLines);
    await read(source, directory);
    writeFileSync(file, readFileSync(file, 'utf8').replace('"sz":"1.5"', '"sz":"2.5"'));
    const changed = await read(source, directory);
    expect(parses.count).toBe(2);
    expect((changed.events[0] as { bidSz: Float64Array }).bidSz[0]).toBe(2.5);
  });

  it('is rebuilt when only the modification time changes, or another tolerance is asked for', async () => {
    const { file, source, parses, directory } = archiveFixture(hourLines);
    await read(source, directory);
    const { mtime } = statSync(file);
    utimesSync(file, mtime, new Date(mtime.getTime() + 5000));
    await read(source, directory);
    await read(source, directory, { toleranceMs: 100 });
    await read(source, directory, { toleranceMs: 100 });
    expect(parses.count).toBe(3);
  });

  it('answers only to the readers whose code wrote it, so an upgrade rebuilds it', async () => {
    const { file, source, directory } = archiveFixture(hourLines);
    await read(source, directory);
    const identity = { source: source.id, inputs: await fingerprintInputs([file]), toleranceMs: 2000, readerCode: await readerCodeHash() };
    expect(identity.readerCode).toMatch(/^[0-9a-f]{16}$/);
    const same = await lookupCache(cacheFileFor(directory, source.id), identity);
    expect(same.kind).toBe('hit');
    if (same.kind === 'hit') await same.cache.close();
    expect((await lookupCache(cacheFileFor(directory, source.id), { ...identity, readerCode: '0123456789abcdef' })).kind).toBe('stale');
  });

  it('is rebuilt quietly when it was written by another cache version', async () => {
    const { source, parses, directory } = archiveFixture(hourLines);
    const parsed = await read(source, directory);
    const cacheFile = cacheFileFor(directory, source.id);
    const bytes = readFileSync(cacheFile);
    bytes.writeUInt32LE(bytes.readUInt32LE(8) + 1, 8);
    writeFileSync(cacheFile, bytes);
    const again = await read(source, directory);
    expect(parses.count).toBe(2);
    expect(again.events).toStrictEqual(parsed.events);
    expect(again.stats.warnings).toEqual([]);
  });

  it('rebuilds quietly a cache of version 1, written before funding rates were stored', async () => {
    const { source, parses, directory } = archiveFixture(hourLines);
    await read(source, directory);
    const cacheFile = cacheFileFor(directory, source.id);
    const bytes = readFileSync(cacheFile);
    bytes.writeUInt32LE(1, 8);
    writeFileSync(cacheFile, bytes);
    const again = await read(source, directory);
    expect(parses.count).toBe(2);
    expect(again.stats.warnings).toEqual([]);
  });

  it('detects a cache cut short and rebuilds it from the source', async () => {
    const { source, parses, directory } = archiveFixture(hourLines);
    const parsed = await read(source, directory);
    const cacheFile = cacheFileFor(directory, source.id);
    writeFileSync(cacheFile, readFileSync(cacheFile).subarray(0, 1000));
    const rebuilt = await read(source, directory);
    expect(rebuilt.events).toStrictEqual(parsed.events);
    expect(rebuilt.stats.warnings).toEqual([{ kind: 'cache', file: cacheFile, message: 'cut short; rebuilt from the source' }]);
    await read(source, directory);
    expect(parses.count).toBe(2);
  });

  it('when a block fails its check mid-read, goes on from the source without repeating or losing events', async () => {
    const trades: MarketEvent[] = Array.from({ length: 2 * BLOCK_EVENTS + 100 }, (_, index) => ({
      type: 'trade',
      coin: 'BTC',
      exchTs: T0 + index,
      localTs: T0 + index + 1,
      px: 100 + (index % 10),
      sz: 0.5,
      side: index % 2 === 0 ? 'bid' : 'ask',
      tid: index,
    }));
    const file = join(root, 'many-trades.marker');
    writeFileSync(file, 'source of the generated trades');
    const parses = { count: 0 };
    const source: SourceSpec = {
      id: file,
      inputs: [file],
      read: () => {
        parses.count += 1;
        const batches: MarketEvent[][] = [];
        for (let start = 0; start < trades.length; start += 1000) batches.push(trades.slice(start, start + 1000));
        return fromSync(batches);
      },
    };
    const directory = join(root, 'cache-blocks');
    await read(source, directory);
    const cacheFile = cacheFileFor(directory, source.id);
    const bytes = readFileSync(cacheFile);
    // Blocks of about 360 kB each, then a small third block and the trailer: this is in the second.
    const inSecondBlock = bytes.length - 30_000;
    bytes[inSecondBlock] = bytes[inSecondBlock]! ^ 0xff;
    writeFileSync(cacheFile, bytes);

    const recovered = await read(source, directory);
    expect(recovered.events).toStrictEqual(trades);
    expect(recovered.stats.warnings).toHaveLength(1);
    expect(recovered.stats.warnings[0]).toMatchObject({ kind: 'cache', message: expect.stringMatching(/block at byte [1-9]\d{5,} fails its check/) as string });
    const afterRebuild = await read(source, directory);
    expect(afterRebuild.events).toStrictEqual(trades);
    expect(parses.count).toBe(2);
  });

  it('leaves no cache and no temporary file when the read fails', async () => {
    const { source, directory } = archiveFixture([hourLines[0]!, 'broken']);
    await expect(read(source, directory, { strict: true })).rejects.toThrow(UserInputError);
    expect(cacheFiles(directory)).toEqual([]);
  });

  it('completes the cache of a source that the reader stopped early', async () => {
    const { source, parses, directory } = archiveFixture(hourLines);
    const recorder = new StatsRecorder(false);
    for await (const batch of readThroughCache(source, { recorder, toleranceMs: 2000 }, { enabled: true, directory })) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(cacheFiles(directory).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    expect((await read(source, directory)).events).toHaveLength(40);
    expect(parses.count).toBe(1);
  });

  it('reports the bad lines of the whole source when a time range stops the read early, as the cached read does', async () => {
    const { file, directory } = archiveFixture([...hourLines, 'broken']);
    const window = { useCache: true, cacheDir: directory, to: T0 + 2_000 };
    const runs = [];
    for (let run = 0; run < 2; run += 1) {
      const data = await openMarketData([file], window);
      runs.push({ events: (await collect(data.events)).length, stats: data.stats });
    }
    expect(runs[0]!.events).toBe(4);
    expect(runs[1]).toEqual(runs[0]);
    expect(runs[0]!.stats.firstBadLines).toEqual([{ file, line: 41, reason: 'not valid JSON' }]);
    const strictCold = openMarketData([file], { ...window, cacheDir: join(directory, 'strict'), strict: true });
    await expect(strictCold.then(async (data) => collect(data.events))).rejects.toThrow(`${file}:41: not valid JSON`);
  });

  it('still delivers the events when the cache directory cannot be written, with a warning', async () => {
    const { source, directory } = archiveFixture(hourLines);
    writeFileSync(directory, 'a file where the cache directory should be');
    const result = await read(source, directory);
    expect(result.events).toHaveLength(40);
    expect(result.stats.warnings).toEqual([expect.objectContaining({ kind: 'cache', message: expect.stringContaining('not written') as string })]);
  });
});

const archiveHour = join(sharedData, 'hyperliquid/s3_archive_l2book/BTC_20240101_h12.jsonl.gz');

// Real recorded data from ../shared/data; skipped when that file is not present.
describe.skipIf(!existsSync(archiveHour))('cache of the S3 archive hour in shared/data', () => {
  it('gives back the parsed hour exactly', async () => {
    const cacheDir = join(root, 'shared-hour-cache');
    const parsed = await collect((await openMarketData([archiveHour], { useCache: false })).events);
    const written = await collect((await openMarketData([archiveHour], { cacheDir })).events);
    const cached = await openMarketData([archiveHour], { cacheDir });
    expect(await collect(cached.events)).toStrictEqual(parsed);
    expect(written).toStrictEqual(parsed);
    expect(cached.stats).toMatchObject({ events: 5587, badLines: 0 });
  });
});
