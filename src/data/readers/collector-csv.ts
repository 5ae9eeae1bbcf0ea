import type { BookSnapshotEvent, MarketEvent, TradeEvent } from '../../core/types.js';
import { UserInputError } from '../../errors.js';
import { bookProblem } from './book-sanity.js';
import { parseDecimalString } from './decimal-string.js';
import { isEpochMs } from './l2-book-frame.js';
import { mergeByTime } from './merge-by-time.js';
import type { EventBatches, ReaderContext } from './source.js';
import { readLineBatches } from './text-lines.js';
import { TimeOrderBuffer } from './time-order-buffer.js';
import { TradeIdDeduper } from './trade-id-deduper.js';

/** The files of one coin in a ws_collector directory. */
export interface CollectorFiles {
  readonly coin: string;
  readonly books: string;
  /** Absent when the collector recorded no trades file for the coin. */
  readonly trades: string | undefined;
}

/**
 * Book snapshots and trades of one coin of the ws_collector CSV layout, merged by exchange time.
 * Trades are de-duplicated by trade_id (each reconnect re-sends recent trades) and those older
 * than the first book are dropped (re-sent from before the recording). prices_<COIN>.csv (bbo)
 * is not read: the books and trades drive the simulation (the README says what that leaves out).
 */
export async function* readCollectorCoin(files: CollectorFiles, context: ReaderContext): AsyncGenerator<MarketEvent[]> {
  const books = readBooks(files.books, files.coin, context)[Symbol.asyncIterator]();
  let first = await books.next();
  while (first.done !== true && first.value.length === 0) first = await books.next();
  const firstBatch = first.done === true ? [] : first.value;
  const firstBookTs = firstBatch[0]?.exchTs ?? Number.POSITIVE_INFINITY;
  const dropped = { duplicates: 0, beforeFirstBook: 0 };
  const sources: EventBatches[] = [prepend(firstBatch, books)];
  if (files.trades !== undefined) sources.push(readTrades(files.trades, files.coin, firstBookTs, dropped, context));
  for await (const batch of mergeByTime(sources)) {
    context.recorder.stats.events += batch.length;
    yield batch;
  }
  if (dropped.duplicates + dropped.beforeFirstBook > 0) {
    context.recorder.warn({ kind: 'droppedTrades', file: files.trades ?? files.books, coin: files.coin, ...dropped });
  }
}

/** The batch already taken from `rest` (to learn the first book's time), then the rest. */
async function* prepend(batch: MarketEvent[], rest: AsyncIterator<MarketEvent[]>): AsyncGenerator<MarketEvent[]> {
  try {
    yield batch;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
  } finally {
    await rest.return?.();
  }
}

function readBooks(file: string, coin: string, context: ReaderContext): EventBatches {
  return readCsv(file, context, ['timestamp', 'exchange_timestamp', 'bid_price_0', 'ask_price_0'], (columns) => {
    const local = columns.get('timestamp')!;
    const exchange = columns.get('exchange_timestamp')!;
    const bidColumns = levelColumns(columns, 'bid');
    const askColumns = levelColumns(columns, 'ask');
    return (fields): BookSnapshotEvent | string => {
      const bids = levelArrays(fields, bidColumns);
      const asks = levelArrays(fields, askColumns);
      const problem = bookProblem(bids.px, bids.sz, asks.px, asks.sz);
      if (problem !== undefined) return problem;
      const times = rowTimes(fields, local, exchange);
      if (typeof times === 'string') return times;
      return { type: 'book', coin, ...times, bidPx: bids.px, bidSz: bids.sz, askPx: asks.px, askSz: asks.sz };
    };
  });
}

function readTrades(
  file: string,
  coin: string,
  firstBookTs: number,
  dropped: { duplicates: number; beforeFirstBook: number },
  context: ReaderContext,
): EventBatches {
  const deduper = new TradeIdDeduper();
  const required = ['timestamp', 'price', 'size', 'side', 'trade_id', 'exchange_timestamp'];
  return readCsv(file, context, required, (columns) => {
    const [local, price, size, side, tradeId, exchange] = required.map((name) => columns.get(name)!);
    return (fields): TradeEvent | string | undefined => {
      const times = rowTimes(fields, local!, exchange!);
      if (typeof times === 'string') return times;
      const px = decimalField(fields[price!]);
      const sz = decimalField(fields[size!]);
      if (!(px > 0 && sz > 0)) return `trade price ${fields[price!]} and size ${fields[size!]} must be positive numbers`;
      const aggressor = fields[side!] === 'buy' ? 'bid' : fields[side!] === 'sell' ? 'ask' : undefined;
      if (aggressor === undefined) return `trade side ${JSON.stringify(fields[side!])} is neither "buy" nor "sell"`;
      const tid = decimalField(fields[tradeId!]);
      if (!Number.isSafeInteger(tid)) return `trade_id ${JSON.stringify(fields[tradeId!])} is not an integer`;
      if (deduper.isRepeat(tid, times.exchTs)) {
        dropped.duplicates += 1;
        return undefined;
      }
      if (times.exchTs < firstBookTs) {
        dropped.beforeFirstBook += 1;
        return undefined;
      }
      return { type: 'trade', coin, ...times, px, sz, side: aggressor, tid };
    };
  });
}

/** Parses a row into an event, a bad-line reason, or undefined for a row left out on purpose. */
type RowParser = (fields: string[]) => MarketEvent | string | undefined;

async function* readCsv(
  file: string,
  context: ReaderContext,
  required: readonly string[],
  parserFor: (columns: Map<string, number>) => RowParser,
): AsyncGenerator<MarketEvent[]> {
  const order = new TimeOrderBuffer(context.toleranceMs);
  let parse: RowParser | undefined;
  let width = 0;
  let lineNumber = 0;
  for await (const lines of readLineBatches(file, context.recorder)) {
    for (const line of lines) {
      lineNumber += 1;
      if (parse === undefined) {
        const names = line.split(',').map((name) => name.trim());
        const missing = required.filter((name) => !names.includes(name));
        if (missing.length > 0) {
          throw new UserInputError(`${file}:1: header lacks ${missing.join(', ')}; this is not a ws_collector CSV`);
        }
        width = names.length;
        parse = parserFor(new Map(names.map((name, index) => [name, index])));
        continue;
      }
      if (line.trim().length === 0) continue;
      const fields = line.split(',');
      const event = fields.length === width ? parse(fields) : `${fields.length} fields where the header has ${width}`;
      if (typeof event === 'string') context.recorder.badLine(file, lineNumber, event);
      else if (event !== undefined && !order.push(event)) context.recorder.badLine(file, lineNumber, order.lateReason(event));
    }
    const ready: MarketEvent[] = [];
    order.releaseReady(ready);
    if (ready.length > 0) yield ready;
  }
  if (parse === undefined) throw new UserInputError(`${file}: the file is empty; expected a ws_collector CSV with a header line`);
  const rest: MarketEvent[] = [];
  order.releaseAll(rest);
  if (rest.length > 0) yield rest;
}

/** `timestamp` is the local receive time in float seconds, `exchange_timestamp` integer ms. */
function rowTimes(fields: string[], local: number, exchange: number): { exchTs: number; localTs: number } | string {
  const exchTs = decimalField(fields[exchange]);
  const localTs = Math.floor(decimalField(fields[local]) * 1000);
  if (!isEpochMs(exchTs) || !isEpochMs(localTs)) {
    return `timestamp ${JSON.stringify(fields[local])} or exchange_timestamp ${JSON.stringify(fields[exchange])} is not a time`;
  }
  return { exchTs, localTs };
}

function decimalField(field: string | undefined): number {
  return field === undefined || field.trim().length === 0 ? Number.NaN : parseDecimalString(field);
}

interface LevelColumns {
  readonly px: number[];
  readonly sz: number[];
}

function levelColumns(columns: Map<string, number>, side: 'bid' | 'ask'): LevelColumns {
  const px: number[] = [];
  const sz: number[] = [];
  for (let level = 0; columns.has(`${side}_price_${level}`); level += 1) {
    px.push(columns.get(`${side}_price_${level}`)!);
    sz.push(columns.get(`${side}_size_${level}`) ?? -1);
  }
  return { px, sz };
}

/** Levels are read best-first until the first empty price (a thin book leaves the rest blank). */
function levelArrays(fields: string[], columns: LevelColumns): { px: Float64Array; sz: Float64Array } {
  let depth = 0;
  while (depth < columns.px.length && (fields[columns.px[depth]!] ?? '').trim().length > 0) depth += 1;
  const px = new Float64Array(depth);
  const sz = new Float64Array(depth);
  for (let level = 0; level < depth; level += 1) {
    px[level] = decimalField(fields[columns.px[level]!]);
    sz[level] = decimalField(fields[columns.sz[level]!]);
  }
  return { px, sz };
}
