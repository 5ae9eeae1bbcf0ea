import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import type { TradeEvent } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';
import { openMarketData } from '../../../src/data/readers/open-market-data.js';
import { formatRawFrameLine, readRawFrames } from '../../../src/data/readers/raw-frames.js';
import { StatsRecorder } from '../../../src/data/readers/read-stats.js';
import { bookData, collect, collectBatches, sharedData, tempDir, tradeData } from './fixtures.js';

const dir = tempDir('raw');
const T0 = Date.UTC(2025, 0, 26, 19, 14, 0);

/** A recorder line for `frame` received at `localMs` (plus some ns, which are cut). */
function line(localMs: number, frame: unknown): string {
  return formatRawFrameLine(BigInt(localMs) * 1_000_000n + 123_456n, JSON.stringify(frame));
}

const book = (time: number, mid = 100) => ({ channel: 'l2Book', data: bookData('BTC', time, mid) });
const trades = (...data: Record<string, unknown>[]) => ({ channel: 'trades', data });

function writeRaw(name: string, lines: readonly string[]): string {
  const file = join(dir, name);
  const text = lines.join('');
  writeFileSync(file, name.endsWith('.gz') ? gzipSync(text) : text);
  return file;
}

async function read(file: string, strict = false) {
  const recorder = new StatsRecorder(strict);
  const events = await collectBatches(readRawFrames(file, { recorder, toleranceMs: 2000 }));
  return { events, stats: recorder.stats };
}

describe('formatRawFrameLine', () => {
  it('writes the local time in ns, a space, the frame and a newline', () => {
    expect(formatRawFrameLine(1737918843893903000n, '{"channel":"pong"}')).toBe('1737918843893903000 {"channel":"pong"}\n');
  });

  it('refuses a frame that spans lines, which would break the format', () => {
    expect(() => formatRawFrameLine(1n, '{\n}')).toThrow(RangeError);
  });
});

describe('raw WebSocket frame reader', () => {
  // The subscription replays older trades (tid 1, 2); tid 2 comes again after a reconnect.
  const session = [
    line(T0 + 300, trades(tradeData('BTC', T0 - 50_000, 1, 'B'), tradeData('BTC', T0 - 40_000, 2, 'A'))),
    line(T0 + 400, book(T0)),
    line(T0 + 900, trades(tradeData('BTC', T0 + 700, 3, 'B', 101, 0.25))),
    line(T0 + 1000, book(T0 + 800, 101)),
    line(T0 + 1100, { channel: 'subscriptionResponse', data: { method: 'subscribe' } }),
    line(T0 + 1200, trades(tradeData('BTC', T0 - 40_000, 2, 'A'), tradeData('BTC', T0 + 700, 3, 'B', 101, 0.25), tradeData('BTC', T0 + 1100, 4, 'A', 100, 2))),
  ];

  it.each(['session.txt', 'session.gz'])('turns l2Book into snapshots and trades into trades, from %s', async (name) => {
    const { events, stats } = await read(writeRaw(name, session));
    expect(events.map((event) => `${event.type}@${event.exchTs - T0}`)).toEqual(['book@0', 'trade@700', 'book@800', 'trade@1100']);
    expect(events[0]).toMatchObject({ coin: 'BTC', localTs: T0 + 400 });
    const [buy, sell] = events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(buy).toEqual({ type: 'trade', coin: 'BTC', exchTs: T0 + 700, localTs: T0 + 900, px: 101, sz: 0.25, side: 'bid', tid: 3 });
    expect(sell).toMatchObject({ side: 'ask', sz: 2, tid: 4 });
    expect(stats.badLines).toBe(0);
    expect(stats.events).toBe(4);
    expect(stats.warnings).toEqual([{ kind: 'droppedTrades', file: join(dir, name), coin: 'BTC', duplicates: 2, beforeFirstBook: 2 }]);
  });

  it('counts the frames of channels it does not replay, leaving out the connection replies', async () => {
    const bbo = { channel: 'bbo', data: { coin: 'BTC', time: T0, bbo: [{ px: '99', sz: '1', n: 1 }, { px: '101', sz: '1', n: 1 }] } };
    const file = writeRaw('other-channels.txt', [line(T0 + 100, book(T0)), line(T0 + 200, bbo), line(T0 + 300, { channel: 'pong' }), line(T0 + 400, bbo), line(T0 + 500, { data: 1 })]);
    const { events, stats } = await read(file);
    expect(events).toHaveLength(1);
    expect(stats.warnings).toEqual([{ kind: 'skippedFrames', file, channels: { bbo: 2, null: 1 } }]);
  });

  it('keeps trades that arrive before the first book when they are not older than it', async () => {
    const file = writeRaw('early-trade.txt', [line(T0 + 100, trades(tradeData('BTC', T0 + 50, 9, 'B'))), line(T0 + 200, book(T0))]);
    const { events } = await read(file);
    expect(events.map((event) => event.type)).toEqual(['book', 'trade']);
  });

  it('counts and reports bad lines and goes on', async () => {
    const file = writeRaw('bad.txt', [
      line(T0 + 400, book(T0)),
      'garbage without a time\n',
      '1737918843893903000 {"channel":\n',
      line(T0 + 500, trades({ coin: 'BTC', side: 'X', px: '1', sz: '1', time: T0 + 450, tid: 7 })),
      line(T0 + 600, { channel: 'l2Book', data: { coin: 'BTC', time: T0 + 550, levels: [[], []] } }),
      line(T0 + 9000, book(T0 + 8000)),
      line(T0 + 9100, trades(tradeData('BTC', T0 + 3000, 8, 'B'))),
    ]);
    const { events, stats } = await read(file);
    expect(events.map((event) => event.exchTs - T0)).toEqual([0, 8000]);
    expect(stats.badLines).toBe(5);
    expect(stats.firstBadLines.map(({ file: where, line: at }) => `${where}:${at}`)).toEqual([2, 3, 4, 5, 7].map((at) => `${file}:${at}`));
    expect(stats.firstBadLines[3]!.reason).toContain('empty book');
    expect(stats.firstBadLines[4]!.reason).toContain('goes back 5000 ms');
  });

  it('in strict mode throws a UserInputError at the first bad line', async () => {
    const file = writeRaw('strict.txt', [line(T0 + 400, book(T0)), 'garbage\n']);
    await expect(read(file, true)).rejects.toThrow(UserInputError);
    await expect(read(file, true)).rejects.toThrow(`${file}:2: line does not start with a local time`);
  });
});

describe('activeAssetCtx frames in a raw recording', () => {
  const H20 = Date.UTC(2025, 0, 26, 20);
  const HOUR = 3_600_000;
  const ctx = (coin: string, funding: string, oraclePx: string) => ({
    channel: 'activeAssetCtx',
    data: { coin, ctx: { funding, oraclePx, markPx: oraclePx, openInterest: '10.0', premium: '0.0' } },
  });
  // Books are received 150 ms after the exchange sent them; the hours pass in receive time.
  const bookAt = (local: number, coin = 'BTC') => line(local, { channel: 'l2Book', data: bookData(coin, local - 150) });

  it('become one funding event per coin at each whole hour passed, with the rate and oracle price last received before it', async () => {
    const file = writeRaw('ctx.txt', [
      bookAt(H20 - 60_000),
      line(H20 - 50_000, ctx('BTC', '0.0000125', '105000.5')),
      line(H20 - 40_000, ctx('BTC', '0.00002', '105010.0')),
      bookAt(H20 - 1_000),
      bookAt(H20 + 100),
      line(H20 + 200, ctx('ETH', '-0.00001', '3300.0')),
      line(H20 + 300, ctx('BTC', '0.00003', '105020.0')),
      bookAt(H20 + HOUR - 100),
      bookAt(H20 + HOUR + 100),
    ]);
    const { events, stats } = await read(file);
    expect(events.filter((event) => event.type === 'funding')).toEqual([
      { type: 'funding', coin: 'BTC', exchTs: H20, localTs: H20, rate: 0.00002, oraclePx: 105010 },
      { type: 'funding', coin: 'BTC', exchTs: H20 + HOUR, localTs: H20 + HOUR, rate: 0.00003, oraclePx: 105020 },
      { type: 'funding', coin: 'ETH', exchTs: H20 + HOUR, localTs: H20 + HOUR, rate: -0.00001, oraclePx: 3300 },
    ]);
    expect(events.map((event) => event.exchTs)).toEqual([...events.map((event) => event.exchTs)].sort((a, b) => a - b));
    expect(stats).toMatchObject({ badLines: 0, events: 8 });
  });

  it('pay nothing for a recording that passes no whole hour', async () => {
    const file = writeRaw('ctx-short.txt', [bookAt(H20 - 60_000), line(H20 - 50_000, ctx('BTC', '0.0001', '100.0')), bookAt(H20 - 1)]);
    const { events } = await read(file);
    expect(events.map((event) => event.type)).toEqual(['book', 'book']);
  });

  it('report a context without a usable funding rate as a bad line', async () => {
    const file = writeRaw('ctx-bad.txt', [bookAt(H20 - 60_000), line(H20 - 50_000, ctx('BTC', 'NaN%', '100.0')), bookAt(H20 + 1000)]);
    const { events, stats } = await read(file);
    expect(events.some((event) => event.type === 'funding')).toBe(false);
    expect(stats.firstBadLines).toEqual([{ file, line: 2, reason: 'activeAssetCtx funding "NaN%" is not a number' }]);
  });

  it('are cached with the books and replayed the same', async () => {
    const file = writeRaw('ctx-cached.txt', [bookAt(H20 - 60_000), line(H20 - 50_000, ctx('BTC', '0.0001', '100.5')), bookAt(H20 + 1000)]);
    const cacheDir = join(dir, 'ctx-cache');
    const parsed = await collect((await openMarketData([file], { useCache: false })).events);
    await collect((await openMarketData([file], { cacheDir })).events);
    const cached = await collect((await openMarketData([file], { cacheDir })).events);
    expect(parsed.map((event) => event.type)).toEqual(['book', 'funding', 'book']);
    expect(cached).toStrictEqual(parsed);
  });
});

const rawFile = join(sharedData, 'hyperliquid/hftbacktest_raw/btcusd_20250126.gz');

// Real recorded data from ../shared/data; skipped when that file is not present.
describe.skipIf(!existsSync(rawFile))('hftbacktest raw frames of BTC in shared/data', () => {
  it('yields 46 books and the 34 trades that are not the subscription replay', async () => {
    const data = await openMarketData([rawFile], { useCache: false });
    const events = await collect(data.events);
    expect(events.filter((event) => event.type === 'book')).toHaveLength(46);
    const tradeEvents = events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(tradeEvents).toHaveLength(34);
    expect(new Set(tradeEvents.map((trade) => trade.tid)).size).toBe(34);
    expect(tradeEvents[0]).toMatchObject({ exchTs: 1737918847000, px: 105056, sz: 0.02222, side: 'bid', tid: 917211710228416 });
    expect(events.every((event, index) => index === 0 || event.exchTs >= events[index - 1]!.exchTs)).toBe(true);
    expect(data.stats.warnings).toEqual([{ kind: 'droppedTrades', file: rawFile, coin: 'BTC', duplicates: 0, beforeFirstBook: 30 }]);
    expect(data.stats.badLines).toBe(0);
  });
});
