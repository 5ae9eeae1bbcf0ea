import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { FundingEvent, MarketEvent } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';
import { readFundingHistoryArray, readFundingHistoryLines } from '../../../src/data/readers/funding-history.js';
import { openMarketData } from '../../../src/data/readers/open-market-data.js';
import { StatsRecorder } from '../../../src/data/readers/read-stats.js';
import { archiveLine, bookData, collect, collectBatches, tempDir } from './fixtures.js';

const dir = tempDir('funding');
const H12 = Date.UTC(2024, 0, 1, 12);
const HOUR = 3_600_000;

/** A fundingHistory record as the info endpoint sends it, stamped a few ms after `hour`. */
function record(coin: string, hour: number, rate: string): Record<string, unknown> {
  return { coin, fundingRate: rate, premium: '0.0001', time: hour + 48 };
}

function write(name: string, text: string): string {
  const file = join(dir, name);
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, name.endsWith('.gz') ? gzipSync(text) : text);
  return file;
}

const jsonLines = (records: readonly unknown[]) => records.map((item) => JSON.stringify(item)).join('\n') + '\n';

async function read(reader: typeof readFundingHistoryLines, file: string, strict = false) {
  const recorder = new StatsRecorder(strict);
  const events = await collectBatches(reader(file, { recorder, toleranceMs: 2000 }));
  return { events, stats: recorder.stats };
}

const describeFunding = (events: readonly MarketEvent[]) =>
  events.map((event) => `${event.coin} ${event.type}@${new Date(event.exchTs).toISOString().slice(11, 23)} ${(event as FundingEvent).rate}`);

describe('fundingHistory reply as a JSON array', () => {
  it('gives one funding event per record, in time order, at the record time and without an oracle price', async () => {
    const reply = [record('BTC', H12 + HOUR, '-0.0000125'), record('BTC', H12, '0.0000125'), record('BTC', H12 + 2 * HOUR, '0.00002')];
    const { events, stats } = await read(readFundingHistoryArray, write('reply.json', JSON.stringify(reply)));
    expect(events[0]).toStrictEqual({ type: 'funding', coin: 'BTC', exchTs: H12 + 48, localTs: H12 + 48, rate: 0.0000125 });
    expect(describeFunding(events)).toEqual(['BTC funding@12:00:00.048 0.0000125', 'BTC funding@13:00:00.048 -0.0000125', 'BTC funding@14:00:00.048 0.00002']);
    expect(stats).toMatchObject({ events: 3, badLines: 0 });
  });

  it('reads a pretty-printed, gzipped reply', async () => {
    const file = write('pretty.json.gz', JSON.stringify([record('ETH', H12, '0.0001')], null, 2));
    const { events } = await read(readFundingHistoryArray, file);
    expect(describeFunding(events)).toEqual(['ETH funding@12:00:00.048 0.0001']);
  });

  it('skips a record with a bad field as a bad line naming the file, line and record, and goes on', async () => {
    const reply = [record('BTC', H12, '0.0001'), { ...record('BTC', H12 + HOUR, 'abc') }, { ...record('BTC', H12 + 2 * HOUR, '0.0001'), time: 'soon' }];
    const file = write('bad-record.json', JSON.stringify(reply));
    const { events, stats } = await read(readFundingHistoryArray, file);
    expect(events).toHaveLength(1);
    expect(stats.badLines).toBe(2);
    expect(stats.firstBadLines).toEqual([
      { file, line: 1, reason: 'record 1 of the array: "fundingRate" "abc" is not a number' },
      { file, line: 1, reason: 'record 2 of the array: record without a "time" in ms' },
    ]);
  });

  it('in strict mode throws a UserInputError at the first bad record', async () => {
    const file = write('strict.json', JSON.stringify([record('BTC', H12, '0.0001'), { fundingRate: '0.0001', time: H12 }]));
    await expect(read(readFundingHistoryArray, file, true)).rejects.toThrow(UserInputError);
    await expect(read(readFundingHistoryArray, file, true)).rejects.toThrow(`${file}:1: record 1 of the array: record without a "coin"`);
  });

  it('pays a record only once when a reply repeats it', async () => {
    const file = write('repeat.json', JSON.stringify([record('BTC', H12, '0.0001'), record('BTC', H12, '0.0001'), record('ETH', H12, '0.0002')]));
    const { events, stats } = await read(readFundingHistoryArray, file);
    expect(describeFunding(events)).toEqual(['BTC funding@12:00:00.048 0.0001', 'ETH funding@12:00:00.048 0.0002']);
    expect(stats.firstBadLines).toEqual([{ file, line: 1, reason: 'record 1 of the array: repeats the BTC record at 2024-01-01T12:00:00.048Z' }]);
  });

  it('refuses a file that is not JSON, saying what to do', async () => {
    const file = write('cut.json', JSON.stringify([record('BTC', H12, '0.0001')]).slice(0, 30));
    await expect(read(readFundingHistoryArray, file)).rejects.toThrow(UserInputError);
    await expect(read(readFundingHistoryArray, file)).rejects.toThrow(/cut\.json: not valid JSON .*save the fundingHistory reply unchanged/);
  });
});

describe('fundingHistory records one per line', () => {
  it('streams the records of several coins in time order', async () => {
    const file = write('history.jsonl', jsonLines([record('BTC', H12, '0.0001'), record('ETH', H12, '-0.0002'), record('BTC', H12 + HOUR, '0.0003')]));
    const { events, stats } = await read(readFundingHistoryLines, file);
    expect(describeFunding(events)).toEqual(['BTC funding@12:00:00.048 0.0001', 'ETH funding@12:00:00.048 -0.0002', 'BTC funding@13:00:00.048 0.0003']);
    expect(stats.events).toBe(3);
  });

  it('reports bad lines with file and line: bad JSON, bad fields, repeats and records back in time', async () => {
    const file = write(
      'bad.jsonl',
      [
        JSON.stringify(record('BTC', H12 + HOUR, '0.0001')),
        '{"coin":"BTC",',
        JSON.stringify({ ...record('BTC', H12 + 2 * HOUR, '0.0001'), coin: '' }),
        '',
        JSON.stringify(record('BTC', H12 + HOUR, '0.0001')),
        JSON.stringify(record('BTC', H12, '0.0001')),
        JSON.stringify(record('BTC', H12 + 2 * HOUR, '0.0002')),
      ].join('\n'),
    );
    const { events, stats } = await read(readFundingHistoryLines, file);
    expect(describeFunding(events)).toEqual(['BTC funding@13:00:00.048 0.0001', 'BTC funding@14:00:00.048 0.0002']);
    expect(stats.firstBadLines.map((bad) => `${bad.line}: ${bad.reason}`)).toEqual([
      '2: not valid JSON',
      '3: record without a "coin"',
      '5: repeats the BTC record at 2024-01-01T13:00:00.048Z',
      '6: time 2024-01-01T12:00:00.048Z goes back 3600000 ms behind an event already read (more than the 2000 ms tolerance)',
    ]);
  });

  it('in strict mode throws a UserInputError naming the file and line', async () => {
    const file = write('strict.jsonl', jsonLines([record('BTC', H12, '0.0001'), { ...record('BTC', H12 + HOUR, '0.0001'), fundingRate: null }]));
    await expect(read(readFundingHistoryLines, file, true)).rejects.toThrow(`${file}:2: "fundingRate" null is not a number`);
  });
});

describe('fundingHistory files among the --data paths', () => {
  const hour = write('market/BTC_h12.jsonl', [0, 1000, 2000].map((offset) => archiveLine(bookData('BTC', H12 + offset), '2024-01-01T12:00:00')).join('\n') + '\n');
  const reply = write('market/funding-BTC.json', JSON.stringify([record('BTC', H12, '0.0001'), record('BTC', H12 + HOUR, '0.0002')]));
  const lines = write('market/funding-ETH.jsonl', jsonLines([record('ETH', H12, '0.0003')]));

  it('are found by their content, in a directory too, and merged with the books by time', async () => {
    const data = await openMarketData([join(dir, 'market')], { useCache: false });
    const events = await collect(data.events);
    expect(events.map((event) => `${event.coin} ${event.type}@${event.exchTs - H12}`)).toEqual([
      'BTC book@0',
      'BTC funding@48',
      'ETH funding@48',
      'BTC book@1000',
      'BTC book@2000',
      'BTC funding@3600048',
    ]);
  });

  it('bring funding only for the coins asked for', async () => {
    const data = await openMarketData([hour, reply, lines], { coins: ['BTC'], useCache: false });
    expect((await collect(data.events)).filter((event) => event.type === 'funding').map((event) => event.coin)).toEqual(['BTC', 'BTC']);
  });

  it('leave an archive coin without trades, so its fills are still inferred from the book', async () => {
    const data = await openMarketData([hour, reply, lines], { useCache: false });
    expect([...data.tradelessCoins]).toEqual(['BTC']);
  });

  it('round-trip through the binary cache', async () => {
    const cacheDir = join(dir, 'cache');
    const parsed = await collect((await openMarketData([reply, lines], { useCache: false })).events);
    const written = await collect((await openMarketData([reply, lines], { cacheDir })).events);
    const cached = await collect((await openMarketData([reply, lines], { cacheDir })).events);
    expect(parsed).toHaveLength(3);
    expect(written).toStrictEqual(parsed);
    expect(cached).toStrictEqual(parsed);
  });

  it('skip other JSON in a directory, and refuse it when named on its own', async () => {
    const config = write('with-config/bot.json', '{"coins": ["BTC"]}\n');
    write('with-config/funding.json', JSON.stringify([record('BTC', H12, '0.0001')]));
    const data = await openMarketData([join(dir, 'with-config')], { useCache: false });
    expect(await collect(data.events)).toHaveLength(1);
    await expect(openMarketData([config])).rejects.toThrow(/bot\.json: not a known market data format .*fundingHistory reply/);
  });
});

const sample = new URL('../../../../shared/hl-samples/hlsdk__info_fundingHistory_BTC.json', import.meta.url).pathname;

// A reply saved from Hyperliquid (../shared/hl-samples); skipped when that file is not present.
describe.skipIf(!existsSync(sample))('the fundingHistory reply of BTC in shared/hl-samples', () => {
  it('gives its 34 records in time order', async () => {
    const data = await openMarketData([sample], { useCache: false });
    const events = await collect(data.events);
    expect(events).toHaveLength(34);
    expect(events[0]).toStrictEqual({ type: 'funding', coin: 'BTC', exchTs: 1683849600048, localTs: 1683849600048, rate: -0.00061334 });
    expect(events.every((event, index) => index === 0 || event.exchTs > events[index - 1]!.exchTs)).toBe(true);
    expect(data.stats.badLines).toBe(0);
  });
});
