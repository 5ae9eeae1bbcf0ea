import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { compressFrameSync } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import type { BookSnapshotEvent } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';
import { openMarketData } from '../../../src/data/readers/open-market-data.js';
import { StatsRecorder } from '../../../src/data/readers/read-stats.js';
import { readS3L2Book } from '../../../src/data/readers/s3-l2book.js';
import { archiveLine, bookData, collect, collectBatches, levels, sharedData, tempDir } from './fixtures.js';

const dir = tempDir('s3');
const T0 = Date.UTC(2024, 0, 1, 12, 0, 0);

function writeHour(name: string, lines: readonly string[]): string {
  const text = Buffer.from(lines.join('\n') + '\n');
  const file = join(dir, name);
  if (name.endsWith('.lz4')) writeFileSync(file, compressFrameSync(text));
  else if (name.endsWith('.gz')) writeFileSync(file, gzipSync(text));
  else writeFileSync(file, text);
  return file;
}

async function read(file: string, strict = false, toleranceMs = 2000) {
  const recorder = new StatsRecorder(strict);
  const events = await collectBatches(readS3L2Book(file, { recorder, toleranceMs }));
  return { events, stats: recorder.stats };
}

const goodLines = [
  archiveLine(bookData('BTC', T0 + 100, 100), '2024-01-01T12:00:01.138942031'),
  archiveLine(bookData('BTC', T0 + 700, 101), '2024-01-01T12:00:01.700000000'),
];

describe('S3 archive l2Book reader', () => {
  it.each(['hour.jsonl', 'hour.jsonl.gz', 'hour.lz4'])('reads %s: exchange time from raw.data.time, local time from the UTC capture time', async (name) => {
    const { events, stats } = await read(writeHour(name, goodLines));
    expect(stats).toEqual({ events: 2, badLines: 0, firstBadLines: [], warnings: [] });
    expect(events).toHaveLength(2);
    const first = events[0] as BookSnapshotEvent;
    expect(first).toMatchObject({ type: 'book', coin: 'BTC', exchTs: T0 + 100, localTs: T0 + 1138 });
    expect(first.bidPx).toEqual(new Float64Array([99, 98]));
    expect(first.bidSz).toEqual(new Float64Array([1.5, 2]));
    expect(first.askPx).toEqual(new Float64Array([101, 102]));
    expect(first.askSz).toEqual(new Float64Array([0.5, 3]));
    expect(events[1]!.localTs).toBe(T0 + 1700);
  });

  it('uses the exchange time as local time when a line has no capture time', async () => {
    const line = JSON.stringify({ raw: { channel: 'l2Book', data: bookData('ETH', T0) } });
    const { events } = await read(writeHour('no-capture.jsonl', [line]));
    expect(events[0]).toMatchObject({ exchTs: T0, localTs: T0 });
  });

  it('counts bad lines, reports the first five with file and line, and goes on', async () => {
    const crossed = { coin: 'BTC', time: T0 + 300, levels: [levels([[102, 1]]), levels([[101, 1]])] };
    const empty = { coin: 'BTC', time: T0 + 400, levels: [[], levels([[101, 1]])] };
    const file = writeHour('bad.jsonl', [
      goodLines[0]!,
      '{"time": "2024-01-01T12:00:01", "raw": ',
      JSON.stringify({ time: '2024-01-01T12:00:01', raw: { channel: 'trades', data: [] } }),
      archiveLine(crossed, '2024-01-01T12:00:01.3'),
      archiveLine(empty, '2024-01-01T12:00:01.4'),
      '',
      archiveLine(bookData('BTC', T0 + 10_000), '2024-01-01T12:00:11'),
      archiveLine(bookData('BTC', T0 + 500), '2024-01-01T12:00:11.5'),
      archiveLine(bookData('BTC', T0 + 11_000), 'yesterday'),
      archiveLine(bookData('BTC', T0 + 12_000), '2024-01-01T12:00:12'),
    ]);
    const { events, stats } = await read(file);
    expect(events.map((event) => event.exchTs)).toEqual([T0 + 100, T0 + 10_000, T0 + 12_000]);
    expect(stats.badLines).toBe(6);
    expect(stats.firstBadLines.map(({ line }) => line)).toEqual([2, 3, 4, 5, 8]);
    expect(stats.firstBadLines[0]).toEqual({ file, line: 2, reason: 'not valid JSON' });
    expect(stats.firstBadLines[1]!.reason).toContain('"trades" is not "l2Book"');
    expect(stats.firstBadLines[2]!.reason).toBe('crossed book: best bid 102 >= best ask 101');
    expect(stats.firstBadLines[3]!.reason).toContain('empty book');
    expect(stats.firstBadLines[4]!.reason).toContain('goes back 9500 ms');
  });

  it('puts snapshots that arrive slightly out of order back in order, within the tolerance', async () => {
    const file = writeHour('jitter.jsonl', [
      archiveLine(bookData('BTC', T0 + 1000), '2024-01-01T12:00:01'),
      archiveLine(bookData('BTC', T0 + 400), '2024-01-01T12:00:01'),
      archiveLine(bookData('BTC', T0 + 1500), '2024-01-01T12:00:02'),
    ]);
    const { events, stats } = await read(file, false, 1000);
    expect(events.map((event) => event.exchTs)).toEqual([T0 + 400, T0 + 1000, T0 + 1500]);
    expect(stats.badLines).toBe(0);
  });

  it('in strict mode stops at the first bad line with a UserInputError naming file and line', async () => {
    const file = writeHour('strict.jsonl', [goodLines[0]!, 'not json', goodLines[1]!]);
    const attempt = read(file, true);
    await expect(attempt).rejects.toBeInstanceOf(UserInputError);
    await expect(attempt).rejects.toThrow(`${file}:2: not valid JSON`);
  });

  it.each(['not-gzip.jsonl.gz', 'not-lz4.lz4'])('names %s, which does not decompress at all, in a UserInputError', async (name) => {
    const file = join(dir, name);
    writeFileSync(file, goodLines.join('\n'));
    await expect(read(file)).rejects.toThrow(`${file}: cannot decompress`);
  });

  // An hour of snapshots a second apart is 0.93 MB: six hours fill more than one 4 MB LZ4 block.
  const hourLines = (hours: number): string[] =>
    Array.from({ length: hours * 3600 }, (_, index) => archiveLine(bookData('BTC', T0 + index * 1000, 100), '2024-01-01T12:00:01.000000000'));

  it.each([
    ['cut.jsonl.gz', 1, 0.7, 'unexpected end of file'],
    ['cut.lz4', 6, 0.99, 'inside block 2; the file was cut off'],
  ])('keeps the lines of %s before the point where it was cut off, and says where that was', async (name, hours, kept, reason) => {
    const file = writeHour(name, hourLines(hours));
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length * kept)));
    const { events, stats } = await read(file);
    expect(stats.warnings).toHaveLength(1);
    const [warning] = stats.warnings;
    expect(warning).toMatchObject({ kind: 'cutShort', file });
    if (warning?.kind !== 'cutShort') return;
    expect(warning.reason).toContain(reason);
    expect(warning.afterLine).toBeGreaterThan(0);
    expect(warning.afterLine).toBeLessThan(hours * 3600);
    expect(events).toHaveLength(warning.afterLine);
    expect(events.at(-1)!.exchTs).toBe(T0 + (warning.afterLine - 1) * 1000);

    await expect(read(file, true)).rejects.toThrow(`${file}: cannot decompress after line ${warning.afterLine} (`);
  });

  it('replays the warning of a cut-off file from its cache', async () => {
    const file = writeHour('cached-cut.jsonl.gz', hourLines(1));
    const whole = readFileSync(file);
    writeFileSync(file, whole.subarray(0, Math.floor(whole.length / 2)));
    const cacheDir = join(dir, 'cache');
    const first = await openMarketData([file], { cacheDir });
    const firstEvents = await collect(first.events);
    const again = await openMarketData([file], { cacheDir });
    expect(await collect(again.events)).toHaveLength(firstEvents.length);
    expect(again.stats.warnings).toEqual(first.stats.warnings);
    expect(again.stats.warnings.map((warning) => warning.kind)).toEqual(['cutShort']);
  });
});

const archiveDir = join(sharedData, 'hyperliquid/s3_archive_l2book');

// Real recorded data from ../shared/data; skipped when that directory is not present.
describe.skipIf(!existsSync(archiveDir))('S3 archive hour of BTC in shared/data', () => {
  it.each(['BTC_20240101_h12.lz4', 'BTC_20240101_h12.jsonl.gz'])('%s yields 5,587 snapshots from 11:59:59.915Z to 12:59:59.268Z', async (name) => {
    const data = await openMarketData([join(archiveDir, name)], { useCache: false });
    const events = await collect(data.events);
    expect(events).toHaveLength(5587);
    expect(events.every((event) => event.type === 'book' && event.coin === 'BTC' && event.bidPx.length === 20)).toBe(true);
    expect(new Date(events[0]!.exchTs).toISOString()).toBe('2024-01-01T11:59:59.915Z');
    expect(new Date(events.at(-1)!.exchTs).toISOString()).toBe('2024-01-01T12:59:59.268Z');
    expect(new Date(events[0]!.localTs).toISOString()).toBe('2024-01-01T12:00:01.138Z');
    expect(data.stats).toMatchObject({ events: 5587, badLines: 0, warnings: [] });
  });
});
