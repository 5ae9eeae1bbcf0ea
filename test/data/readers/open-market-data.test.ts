import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressFrameSync } from 'lz4-napi';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';
import { openMarketData } from '../../../src/data/readers/open-market-data.js';
import { formatRawFrameLine } from '../../../src/data/readers/raw-frames.js';
import { archiveLine, bookData, collect, tempDir, tradeData } from './fixtures.js';

const root = tempDir('open');
const H12 = Date.UTC(2024, 0, 1, 12);
const HOUR = 3_600_000;

function write(path: string, text: string | Buffer): string {
  const file = join(root, path);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, text);
  return file;
}

/** An archive hour of `coin` in the S3 layout, with snapshots at the given offsets from `hourStart`. */
function archiveHour(coin: string, hourStart: number, offsets: readonly number[], base = 'archive'): string {
  const date = new Date(hourStart).toISOString().slice(0, 10).replaceAll('-', '');
  const lines = offsets.map((offset) => archiveLine(bookData(coin, hourStart + offset), new Date(hourStart + offset + 5).toISOString().slice(0, -1)));
  return write(`${base}/market_data/${date}/${new Date(hourStart).getUTCHours()}/l2Book/${coin}.lz4`, compressFrameSync(Buffer.from(lines.join('\n') + '\n')));
}

function describeEvents(events: readonly MarketEvent[]): string[] {
  return events.map((event) => `${event.coin} ${event.type}@${(event.exchTs - H12) / 1000}`);
}

archiveHour('BTC', H12, [-100, 1000, 2000]);
archiveHour('BTC', H12 + HOUR, [-50, 1000]);
archiveHour('ETH', H12, [1500, 2500]);
const rawFile = write(
  'raw/sol.txt',
  [
    formatRawFrameLine(BigInt(H12 + 1300) * 1_000_000n, JSON.stringify({ channel: 'l2Book', data: bookData('SOL', H12 + 1200) })),
    formatRawFrameLine(BigInt(H12 + 1900) * 1_000_000n, JSON.stringify({ channel: 'trades', data: [tradeData('SOL', H12 + 1800, 5, 'A')] })),
  ].join(''),
);

describe('openMarketData', () => {
  it('reads archive hours in path order, merges other sources in time order', async () => {
    const data = await openMarketData([join(root, 'archive/market_data/*/1[32]/l2Book/*.lz4'), rawFile], { useCache: false });
    expect(describeEvents(await collect(data.events))).toEqual([
      'BTC book@-0.1',
      'BTC book@1',
      'SOL book@1.2',
      'ETH book@1.5',
      'SOL trade@1.8',
      'BTC book@2',
      'ETH book@2.5',
      'BTC book@3599.95',
      'BTC book@3601',
    ]);
    expect(data.stats.events).toBe(9);
  });

  it('names the coins whose sources cannot hold trades, unless another source could bring them', async () => {
    const archives = await openMarketData([join(root, 'archive')], { useCache: false });
    expect([...archives.tradelessCoins].sort()).toEqual(['BTC', 'ETH']);
    const withRaw = await openMarketData([join(root, 'archive'), rawFile], { useCache: false });
    expect(withRaw.tradelessCoins.size).toBe(0);
  });

  it('keeps only the coins and the time range asked for (from inclusive, to exclusive)', async () => {
    const data = await openMarketData([join(root, 'archive'), rawFile], { coins: ['BTC', 'SOL'], from: H12 + 1000, to: H12 + 2000, useCache: false });
    expect(describeEvents(await collect(data.events))).toEqual(['BTC book@1', 'SOL book@1.2', 'SOL trade@1.8']);
  });

  it('does not open archive hours outside the time range', async () => {
    write('skip/market_data/20240101/9/l2Book/BTC.lz4', 'not an lz4 frame');
    archiveHour('BTC', H12, [1000], 'skip');
    const data = await openMarketData([join(root, 'skip')], { from: H12, useCache: false });
    expect(describeEvents(await collect(data.events))).toEqual(['BTC book@1']);
  });

  it('orders hour files without a date/hour path by their first snapshot', async () => {
    const late = write('loose/b.jsonl', archiveLine(bookData('BTC', H12 + 5000), '2024-01-01T12:00:05') + '\n');
    const early = write('loose/a-later-name.jsonl', archiveLine(bookData('BTC', H12), '2024-01-01T12:00:00') + '\n');
    const data = await openMarketData([late, early], { useCache: false });
    expect(describeEvents(await collect(data.events))).toEqual(['BTC book@0', 'BTC book@5']);
  });

  it('skips the part of a file that repeats time the file before it already covered, and says so beyond the tolerance', async () => {
    const hourFile = (name: string, seconds: readonly number[]): string =>
      write(`overlap/${name}`, seconds.map((second) => archiveLine(bookData('BTC', H12 + second * 1000), '2024-01-01T12:00:00')).join('\n') + '\n');
    const first = hourFile('first.jsonl', [0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    const second = hourFile('second.jsonl', [5.5, 6.5, 7.5, 8.5, 9.5, 10.5, 11.5]);
    const data = await openMarketData([first, second], { useCache: false });
    expect(describeEvents(await collect(data.events)).slice(9)).toEqual(['BTC book@9', 'BTC book@10', 'BTC book@10.5', 'BTC book@11.5']);
    expect(data.stats.warnings).toEqual([{ kind: 'overlap', file: second, previousFile: first, skipped: 5, untilTs: H12 + 10_000 }]);

    const edge = hourFile('edge.jsonl', [9.5, 11]);
    const quiet = await openMarketData([first, edge], { useCache: false });
    expect(describeEvents(await collect(quiet.events)).slice(10)).toEqual(['BTC book@10', 'BTC book@11']);
    expect(quiet.stats.warnings).toEqual([]);
  });

  it('tells the format of a file whose first lines are bad from the lines after them, and reports those lines', async () => {
    const archive = write('bad-top/btc.jsonl', ['{"time":"2024-01-01T12:0', '', archiveLine(bookData('BTC', H12), '2024-01-01T12:00:00')].join('\n') + '\n');
    const raw = write(
      'bad-top/sol.txt',
      'garbage\n' + formatRawFrameLine(BigInt(H12 + 1300) * 1_000_000n, JSON.stringify({ channel: 'l2Book', data: bookData('SOL', H12 + 1200) })),
    );
    const data = await openMarketData([archive, raw], { useCache: false });
    expect(describeEvents(await collect(data.events))).toEqual(['BTC book@0', 'SOL book@1.2']);
    expect(data.stats.firstBadLines.map((bad) => `${bad.file}:${bad.line}`)).toEqual([`${archive}:1`, `${raw}:1`]);
  });

  it('refuses two copies of the same hour', async () => {
    const line = archiveLine(bookData('BTC', H12), '2024-01-01T12:00:00') + '\n';
    const copies = [write('twice/BTC_h12.jsonl', line), write('twice/BTC_h12.lz4', compressFrameSync(Buffer.from(line)))];
    await expect(openMarketData(copies)).rejects.toThrow(/hold the same BTC data .* pass only one of them/);
  });

  it.each([
    ['a missing path', () => [join(root, 'nowhere.lz4')], 'no such file or directory'],
    ['a glob that matches nothing', () => [join(root, 'archive/*.nothing')], 'no file matches this pattern'],
    ['a directory without market data', () => [join(write('empty/readme.md', 'hi'), '..')], 'no market data found'],
    ['a file of unknown format', () => [write('unknown.jsonl', '{"hello": 1}\n')], 'not a known market data format'],
    ['a bbo prices_ file', () => [write('bbo/prices_BTC.csv', 'timestamp\n')], 'prices_ (bbo) files are not replayed'],
    ['no paths at all', () => [], 'no market data path given'],
  ])('refuses %s with a UserInputError', async (_what, paths, message) => {
    const attempt = openMarketData(paths());
    await expect(attempt).rejects.toBeInstanceOf(UserInputError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('refuses an empty time range', async () => {
    await expect(openMarketData([rawFile], { from: 10, to: 10 })).rejects.toThrow(UserInputError);
  });

  it('in strict mode ends the read at the first bad line of any source', async () => {
    const bad = write('strict/hour.jsonl', `${archiveLine(bookData('BTC', H12), '2024-01-01T12:00:00')}\n{oops\n`);
    const data = await openMarketData([bad, rawFile], { strict: true, useCache: false });
    await expect(collect(data.events)).rejects.toThrow(`${bad}:2: not valid JSON`);
  });
});
