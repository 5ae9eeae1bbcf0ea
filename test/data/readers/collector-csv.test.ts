import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { BookSnapshotEvent, MarketEvent, TradeEvent } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';
import { readCollectorCoin } from '../../../src/data/readers/collector-csv.js';
import { openMarketData } from '../../../src/data/readers/open-market-data.js';
import { StatsRecorder } from '../../../src/data/readers/read-stats.js';
import { collect, collectBatches, sharedData, tempDir } from './fixtures.js';

const T0 = Date.UTC(2025, 8, 3, 12, 55, 12);
const BOOK_HEADER = 'timestamp,sequence,exchange_timestamp,bid_price_0,bid_size_0,ask_price_0,ask_size_0,bid_price_1,bid_size_1,ask_price_1,ask_size_1';

/** A book row received 300.5 ms after its exchange time; `second` false leaves level 1 blank. */
function bookRow(exchTs: number, bid = 100, ask = 101, second = true): string {
  const local = ((exchTs + 300.5) / 1000).toFixed(4);
  const level1 = second ? `${bid - 1},2.0,${ask + 1},3.0` : ',,,';
  return `${local},${exchTs},${exchTs},${bid}.0,1.5,${ask}.0,0.5,${level1}`;
}

function tradeRow(exchTs: number, tid: number, side: string, price = 100.5, size = 0.01): string {
  return `${((exchTs + 200) / 1000).toFixed(4)},${price},${size},${side},${tid},${exchTs}`;
}

function writeCollector(dir: string, coin: string, books: readonly string[], trades?: readonly string[]): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `orderbooks_${coin}.csv`), [BOOK_HEADER, ...books].join('\n') + '\n');
  if (trades !== undefined) {
    writeFileSync(join(dir, `trades_${coin}.csv`), ['timestamp,price,size,side,trade_id,exchange_timestamp', ...trades].join('\n') + '\n');
  }
  writeFileSync(join(dir, `prices_${coin}.csv`), 'timestamp,price,size,side,exchange_timestamp\n1,2,3,bid,4\n');
}

const root = tempDir('collector');
const recording = join(root, 'ws_collector_fixture');
writeCollector(
  recording,
  'BTC',
  [bookRow(T0), bookRow(T0 + 500, 100, 102, false), bookRow(T0 + 1000), bookRow(T0 + 9000), bookRow(T0 + 9500)],
  [
    tradeRow(T0 - 5000, 1, 'buy'), // re-sent from before the recording
    tradeRow(T0 + 200, 2, 'sell'),
    tradeRow(T0 + 600, 3, 'buy'),
    tradeRow(T0 + 200, 2, 'sell'), // re-sent after a reconnect
    tradeRow(T0 + 600, 3, 'buy'),
    tradeRow(T0 + 9200, 4, 'sell', 100.25, 1),
  ],
);
writeCollector(recording, 'ETH', [bookRow(T0 + 250, 2000, 2001), bookRow(T0 + 750, 2000, 2001)]);

function summary(events: readonly MarketEvent[]): string[] {
  return events.map((event) => `${event.coin} ${event.type}@${event.exchTs - T0}`);
}

describe('ws_collector CSV reader', () => {
  it('merges books and trades of a coin by exchange time, de-duplicates trades and drops those before the first book', async () => {
    const recorder = new StatsRecorder(false);
    const files = { coin: 'BTC', books: join(recording, 'orderbooks_BTC.csv'), trades: join(recording, 'trades_BTC.csv') };
    const events = await collectBatches(readCollectorCoin(files, { recorder, toleranceMs: 2000 }));
    expect(summary(events)).toEqual([
      'BTC book@0',
      'BTC trade@200',
      'BTC book@500',
      'BTC trade@600',
      'BTC book@1000',
      'BTC book@9000',
      'BTC trade@9200',
      'BTC book@9500',
    ]);
    const book = events[0] as BookSnapshotEvent;
    expect(book.localTs).toBe(T0 + 300);
    expect(book.bidPx).toEqual(new Float64Array([100, 99]));
    expect(book.askSz).toEqual(new Float64Array([0.5, 3]));
    expect((events[2] as BookSnapshotEvent).askPx).toEqual(new Float64Array([102]));
    expect(events[1]).toEqual({ type: 'trade', coin: 'BTC', exchTs: T0 + 200, localTs: T0 + 400, px: 100.5, sz: 0.01, side: 'ask', tid: 2 });
    expect((events[3] as TradeEvent).side).toBe('bid');
    expect(recorder.stats.warnings).toEqual([{ kind: 'droppedTrades', file: files.trades, coin: 'BTC', duplicates: 2, beforeFirstBook: 1 }]);
  });

  it('reads a directory as every coin, merged, ignores prices_ files and reports book gaps', async () => {
    const data = await openMarketData([recording], { useCache: false });
    const events = await collect(data.events);
    expect(summary(events).slice(0, 4)).toEqual(['BTC book@0', 'BTC trade@200', 'ETH book@250', 'BTC book@500']);
    expect(events).toHaveLength(10);
    expect(data.stats.warnings).toContainEqual({ kind: 'gap', coin: 'BTC', fromTs: T0 + 1000, toTs: T0 + 9000, seconds: 8 });
    expect(data.stats.warnings.filter((warning) => warning.kind === 'gap')).toHaveLength(1);
  });

  it('counts bad rows with file and line and goes on', async () => {
    const dir = join(root, 'bad');
    writeCollector(dir, 'SOL', [bookRow(T0), bookRow(T0 + 500, 102, 101), '1,2,3', bookRow(T0 + 1000, 100, 100, false), bookRow(T0 + 1500)], [
      tradeRow(T0 + 100, 1, 'hold'),
      tradeRow(T0 + 200, 2, 'buy', -1),
    ]);
    const data = await openMarketData([dir], { useCache: false });
    expect(summary(await collect(data.events))).toEqual(['SOL book@0', 'SOL book@1500']);
    const books = join(dir, 'orderbooks_SOL.csv');
    const trades = join(dir, 'trades_SOL.csv');
    expect(data.stats.badLines).toBe(5);
    expect(data.stats.firstBadLines.map(({ file, line }) => `${file}:${line}`)).toEqual([`${books}:3`, `${books}:4`, `${books}:5`, `${trades}:2`, `${trades}:3`]);
    expect(data.stats.firstBadLines[1]!.reason).toBe('3 fields where the header has 11');
  });

  it('refuses a CSV whose header is not the collector layout', async () => {
    const dir = join(root, 'not-collector');
    mkdirSync(dir);
    writeFileSync(join(dir, 'orderbooks_BTC.csv'), 'time,bid,ask\n1,2,3\n');
    const data = await openMarketData([dir], { useCache: false });
    await expect(collect(data.events)).rejects.toThrow(UserInputError);
  });

  it('reads the directories of one coin one after another in the time order of their books, skipping time a directory repeats', async () => {
    const days = join(root, 'days');
    // The later day comes first by name; the earlier one runs 60 s into the later one.
    writeCollector(join(days, 'a-later'), 'BTC', [bookRow(T0 + 100_000), bookRow(T0 + 130_000), bookRow(T0 + 170_000)]);
    writeCollector(join(days, 'b-earlier'), 'BTC', [bookRow(T0), bookRow(T0 + 100_000), bookRow(T0 + 160_000)]);
    const data = await openMarketData([days], { useCache: false, gapThresholdMs: 120_000 });
    expect(summary(await collect(data.events))).toEqual(['BTC book@0', 'BTC book@100000', 'BTC book@160000', 'BTC book@170000']);
    expect(data.stats.warnings).toEqual([
      { kind: 'overlap', file: `${join(days, 'a-later')}#BTC`, previousFile: `${join(days, 'b-earlier')}#BTC`, skipped: 2, untilTs: T0 + 160_000 },
    ]);
  });
});

const collectorDir = join(sharedData, 'hyperliquid/ws_collector_20250903');

// Real recorded data from ../shared/data; skipped when that directory is not present.
describe.skipIf(!existsSync(collectorDir))('ws_collector recording of 2025-09-03 in shared/data', () => {
  it('yields 446 BTC books, de-duplicated trades after the first book, and the two reconnect gaps', async () => {
    const data = await openMarketData([collectorDir], { coins: ['BTC'], useCache: false });
    const events = await collect(data.events);
    const trades = events.filter((event): event is TradeEvent => event.type === 'trade');
    expect(events.filter((event) => event.type === 'book')).toHaveLength(446);
    // 1,497 rows less 30 repeated trade ids and 30 trades from before the first book.
    expect(trades).toHaveLength(1437);
    expect(new Set(trades.map((trade) => trade.tid)).size).toBe(1437);
    expect(trades[0]!.exchTs).toBeGreaterThanOrEqual(events[0]!.exchTs);
    expect(events.every((event, index) => index === 0 || event.exchTs >= events[index - 1]!.exchTs)).toBe(true);
    const gaps = data.stats.warnings.filter((warning) => warning.kind === 'gap');
    expect(gaps.map((gap) => [new Date(gap.fromTs).toISOString(), new Date(gap.toTs).toISOString()])).toEqual([
      ['2025-09-03T12:57:26.680Z', '2025-09-03T13:01:36.328Z'],
      ['2025-09-03T13:01:40.717Z', '2025-09-03T13:02:31.426Z'],
    ]);
    expect(data.stats.badLines).toBe(0);
  });

  it('merges all four coins in time order', async () => {
    const data = await openMarketData([collectorDir], { useCache: false });
    const events = await collect(data.events);
    expect(new Set(events.map((event) => event.coin))).toEqual(new Set(['BTC', 'ETH', 'SOL', 'WLFI']));
    expect(events.filter((event) => event.type === 'book')).toHaveLength(4 * 446);
    expect(events.every((event, index) => index === 0 || event.exchTs >= events[index - 1]!.exchTs)).toBe(true);
  });
});
