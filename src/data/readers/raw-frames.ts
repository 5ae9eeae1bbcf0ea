import type { BookSnapshotEvent, MarketEvent, TradeEvent } from '../../core/types.js';
import { HourlyFunding, parseAssetCtxFunding } from './asset-ctx-funding.js';
import { decimal, isEpochMs, isRecord, parseL2BookData } from './l2-book-frame.js';
import type { ReaderContext } from './source.js';
import { L2BookFrameScanner } from './scan-l2-book-frame.js';
import { readLineBatches } from './text-lines.js';
import { TimeOrderBuffer } from './time-order-buffer.js';
import { TradeIdDeduper } from './trade-id-deduper.js';

/**
 * One line of the raw frame format (hftbacktest's, and our recorder's): the local receive time in
 * ns, a space, the WebSocket frame exactly as received, and a newline.
 */
export function formatRawFrameLine(localTsNs: bigint, frameJson: string): string {
  if (localTsNs < 0n) throw new RangeError(`local time ${localTsNs} ns is negative`);
  if (/[\r\n]/.test(frameJson)) throw new RangeError('a raw frame must be on one line (no CR or LF)');
  return `${localTsNs} ${frameJson}\n`;
}

/** Trades held per coin until its first book; past this many the extra ones are dropped. */
const MAX_TRADES_BEFORE_FIRST_BOOK = 10_000;

interface CoinState {
  firstBookTs: number | undefined;
  held: { trade: TradeEvent; line: number }[];
  duplicates: number;
  beforeFirstBook: number;
}

/**
 * Book snapshots and trades from raw Hyperliquid WebSocket frames (`<local_ts_ns> <frame>` per
 * line, gzip or plain). l2Book frames become snapshots, trades frames trades with side "B" as a
 * bid aggressor and "A" as an ask aggressor. The replay of recent trades that comes with every
 * subscription is dropped: trades whose tid was seen, and trades older than the coin's first book
 * (trades that arrive before that book are held until it comes). activeAssetCtx frames give each
 * coin's funding at every whole hour the recording passes (see HourlyFunding). Frames of other
 * channels are skipped, and counted per channel in a warning unless they are connection replies.
 */
export async function* readRawFrames(file: string, context: ReaderContext): AsyncGenerator<MarketEvent[]> {
  const order = new TimeOrderBuffer(context.toleranceMs);
  const deduper = new TradeIdDeduper();
  const coins = new Map<string, CoinState>();
  const stateOf = (coin: string): CoinState => {
    let state = coins.get(coin);
    if (state === undefined) {
      state = { firstBookTs: undefined, held: [], duplicates: 0, beforeFirstBook: 0 };
      coins.set(coin, state);
    }
    return state;
  };
  const place = (event: MarketEvent, line: number): void => {
    if (!order.push(event)) context.recorder.badLine(file, line, order.lateReason(event));
  };

  const scanner = new L2BookFrameScanner();
  const funding = new HourlyFunding();
  const skippedChannels = new Map<string, number>();
  let lineNumber = 0;
  const placeFunding = (event: MarketEvent): void => place(event, lineNumber);
  for await (const lines of readLineBatches(file, context.recorder)) {
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim().length === 0) continue;
      const frame = parseRawLine(line, scanner);
      if (typeof frame === 'string') {
        context.recorder.badLine(file, lineNumber, frame);
        continue;
      }
      funding.advanceTo(frame.localTs, placeFunding);
      if (frame.channel === 'l2Book') {
        const book = frame.book ?? parseL2BookData(frame.data, frame.localTs);
        if (typeof book === 'string') {
          context.recorder.badLine(file, lineNumber, book);
          continue;
        }
        place(book, lineNumber);
        const state = stateOf(book.coin);
        if (state.firstBookTs === undefined) {
          state.firstBookTs = book.exchTs;
          for (const { trade, line: heldLine } of state.held) {
            if (trade.exchTs < book.exchTs) state.beforeFirstBook += 1;
            else place(trade, heldLine);
          }
          state.held = [];
        }
      } else if (frame.channel === 'trades') {
        const trades = parseTrades(frame.data, frame.localTs);
        if (typeof trades === 'string') {
          context.recorder.badLine(file, lineNumber, trades);
          continue;
        }
        for (const trade of trades) {
          const state = stateOf(trade.coin);
          if (deduper.isRepeat(trade.tid!, trade.exchTs)) state.duplicates += 1;
          else if (state.firstBookTs === undefined) {
            if (state.held.length < MAX_TRADES_BEFORE_FIRST_BOOK) state.held.push({ trade, line: lineNumber });
            else state.beforeFirstBook += 1;
          } else if (trade.exchTs < state.firstBookTs) state.beforeFirstBook += 1;
          else place(trade, lineNumber);
        }
      } else if (frame.channel === 'activeAssetCtx') {
        const ctx = parseAssetCtxFunding(frame.data);
        if (typeof ctx === 'string') context.recorder.badLine(file, lineNumber, ctx);
        else funding.observe(ctx);
      } else if (!CONTROL_CHANNELS.has(frame.channel)) {
        const channel = typeof frame.channel === 'string' ? frame.channel : JSON.stringify(frame.channel ?? null);
        skippedChannels.set(channel, (skippedChannels.get(channel) ?? 0) + 1);
      }
    }
    const ready: MarketEvent[] = [];
    order.releaseReady(ready);
    context.recorder.stats.events += ready.length;
    if (ready.length > 0) yield ready;
  }
  const rest: MarketEvent[] = [];
  order.releaseAll(rest);
  context.recorder.stats.events += rest.length;
  if (rest.length > 0) yield rest;
  for (const [coin, state] of coins) {
    const beforeFirstBook = state.beforeFirstBook + state.held.length;
    if (state.duplicates + beforeFirstBook > 0) {
      context.recorder.warn({ kind: 'droppedTrades', file, coin, duplicates: state.duplicates, beforeFirstBook });
    }
  }
  if (skippedChannels.size > 0) context.recorder.warn({ kind: 'skippedFrames', file, channels: Object.fromEntries(skippedChannels) });
}

/** Replies of the connection itself, which carry no market data and need no mention. */
const CONTROL_CHANNELS: ReadonlySet<unknown> = new Set(['subscriptionResponse', 'pong']);

interface RawFrame {
  readonly localTs: number;
  readonly channel: unknown;
  readonly data: unknown;
  /** The l2Book frame read by the scanner, when it came in Hyperliquid's exact form. */
  readonly book?: BookSnapshotEvent | string;
}

function parseRawLine(line: string, scanner: L2BookFrameScanner): RawFrame | string {
  const space = line.indexOf(' ');
  const stamp = space > 0 ? line.slice(0, space) : '';
  if (!/^\d+$/.test(stamp)) return 'line does not start with a local time in ns and a space';
  // ns to ms by dropping the last six digits: exact, where Number(ns) would round past 2^53.
  const localTs = stamp.length > 6 ? Number(stamp.slice(0, -6)) : 0;
  const book = scanner.scan(line, space + 1, line.length, localTs);
  if (book !== undefined) return { localTs, channel: 'l2Book', data: undefined, book };
  let frame: unknown;
  try {
    frame = JSON.parse(line.slice(space + 1));
  } catch {
    return 'frame is not valid JSON';
  }
  if (!isRecord(frame)) return 'frame is not a JSON object';
  return { localTs, channel: frame.channel, data: frame.data };
}

function parseTrades(data: unknown, localTs: number): TradeEvent[] | string {
  if (!Array.isArray(data)) return 'trades frame without a "data" array';
  const trades: TradeEvent[] = [];
  for (const item of data as unknown[]) {
    if (!isRecord(item)) return 'trade is not a JSON object';
    const { coin, time, tid } = item;
    const px = decimal(item.px);
    const sz = decimal(item.sz);
    const side = item.side === 'B' ? 'bid' : item.side === 'A' ? 'ask' : undefined;
    if (typeof coin !== 'string' || coin.length === 0) return 'trade without a coin';
    if (!isEpochMs(time)) return 'trade without a "time" in ms';
    if (typeof tid !== 'number' || !Number.isSafeInteger(tid)) return 'trade without an integer "tid"';
    if (!(px > 0 && sz > 0)) return `trade px ${String(item.px)} and sz ${String(item.sz)} must be positive numbers`;
    if (side === undefined) return `trade side ${JSON.stringify(item.side)} is neither "B" nor "A"`;
    trades.push({ type: 'trade', coin, exchTs: time, localTs, px, sz, side, tid });
  }
  return trades;
}
