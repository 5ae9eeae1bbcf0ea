import type { MarketEvent } from '../../core/types.js';
import { float64View } from '../readers/l2-book-frame.js';

/**
 * Layout of a cache file. A 16-byte head (magic, version, byte-order mark), then blocks of up to
 * BLOCK_EVENTS events stored column by column, then the trailer: JSON metadata (source identity,
 * event count, depth, coin table, block index with CRC-32s, recorded stats), its length and CRC,
 * and an end magic. The metadata sits at the end because the counts are known only then; a file
 * cut short loses its end magic and is seen as damaged.
 */
export const CACHE_VERSION = 3;
export const HEAD_BYTES = 16;
export const TAIL_BYTES = 16;
export const BLOCK_EVENTS = 8192;

const HEAD_MAGIC = 'HMMCACHE';
const TAIL_MAGIC = 'HMMCEND.';
const BYTE_ORDER_MARK = 0x01020304;
/** Event, book, trade and funding counts, depth, and 4 bytes of padding so the columns align to 8. */
const BLOCK_HEADER_BYTES = 24;
const BOOK = 0;
const TRADE = 1;
const FUNDING = 2;
const BID = 0;
const ASK = 1;

export function encodeHead(): Uint8Array {
  const bytes = new Uint8Array(HEAD_BYTES);
  bytes.set(Buffer.from(HEAD_MAGIC, 'latin1'), 0);
  const words = new Uint32Array(bytes.buffer, 8, 2);
  words[0] = CACHE_VERSION;
  words[1] = BYTE_ORDER_MARK;
  return bytes;
}

/** 'ok', 'otherVersion' (a cache to rebuild quietly) or 'damaged'. */
export function checkHead(bytes: Uint8Array): 'ok' | 'otherVersion' | 'damaged' {
  if (bytes.length < HEAD_BYTES || Buffer.from(bytes.subarray(0, 8)).toString('latin1') !== HEAD_MAGIC) return 'damaged';
  const words = new Uint32Array(bytes.slice(8, 16).buffer);
  if (words[1] !== BYTE_ORDER_MARK) return 'otherVersion';
  return words[0] === CACHE_VERSION ? 'ok' : 'otherVersion';
}

export function encodeTail(trailerBytes: number, trailerCrc: number): Uint8Array {
  const bytes = new Uint8Array(TAIL_BYTES);
  const words = new Uint32Array(bytes.buffer, 0, 2);
  words[0] = trailerBytes;
  words[1] = trailerCrc;
  bytes.set(Buffer.from(TAIL_MAGIC, 'latin1'), 8);
  return bytes;
}

export function decodeTail(bytes: Uint8Array): { trailerBytes: number; trailerCrc: number } | undefined {
  if (bytes.length < TAIL_BYTES || Buffer.from(bytes.subarray(8, 16)).toString('latin1') !== TAIL_MAGIC) return undefined;
  const words = new Uint32Array(bytes.slice(0, 8).buffer);
  return { trailerBytes: words[0]!, trailerCrc: words[1]! };
}

interface BlockLayout {
  readonly events: number;
  readonly books: number;
  readonly trades: number;
  readonly fundings: number;
  readonly depth: number;
  readonly exchTs: number;
  readonly localTs: number;
  readonly levels: readonly [number, number, number, number];
  readonly tradePx: number;
  readonly tradeSz: number;
  readonly tradeTid: number;
  readonly fundingRate: number;
  /** NaN for a funding event without an oracle price. */
  readonly fundingOraclePx: number;
  readonly coin: number;
  readonly levelCounts: readonly [number, number];
  readonly type: number;
  readonly tradeSide: number;
  readonly bytes: number;
}

/** Byte offsets of each column: 8-byte columns first, then 2-byte, then 1-byte, so all align. */
function blockLayout(events: number, books: number, trades: number, fundings: number, depth: number): BlockLayout {
  let offset = BLOCK_HEADER_BYTES;
  const take = (bytes: number): number => {
    const at = offset;
    offset += bytes;
    return at;
  };
  const exchTs = take(events * 8);
  const localTs = take(events * 8);
  const levels = [take(books * depth * 8), take(books * depth * 8), take(books * depth * 8), take(books * depth * 8)] as const;
  const tradePx = take(trades * 8);
  const tradeSz = take(trades * 8);
  const tradeTid = take(trades * 8);
  const fundingRate = take(fundings * 8);
  const fundingOraclePx = take(fundings * 8);
  const coin = take(events * 2);
  const levelCounts = [take(books * 2), take(books * 2)] as const;
  const type = take(events);
  const tradeSide = take(trades);
  const bytes = Math.ceil(offset / 8) * 8;
  return {
    events,
    books,
    trades,
    fundings,
    depth,
    exchTs,
    localTs,
    levels,
    tradePx,
    tradeSz,
    tradeTid,
    fundingRate,
    fundingOraclePx,
    coin,
    levelCounts,
    type,
    tradeSide,
    bytes,
  };
}

/** One block's bytes; `coinIndex` numbers the coins in the file's coin table. */
export function encodeBlock(events: readonly MarketEvent[], coinIndex: (coin: string) => number): Uint8Array {
  for (const event of events) storable(event);
  const builder = new BlockBuilder(coinIndex);
  for (const event of events) builder.add(event);
  return builder.finish();
}

function storable(event: MarketEvent): void {
  if (event.type === 'bookDelta') throw new Error(`the market data cache stores book, trade and funding events, not ${event.type}`);
}

/** A Float64Array that doubles when full; `values` is valid up to `length`. */
class NumberColumn {
  values = new Float64Array(256);
  length = 0;

  push(value: number): void {
    if (this.length === this.values.length) this.reserve(this.length + 1);
    this.values[this.length++] = value;
  }

  pushAll(source: Float64Array): void {
    this.reserve(this.length + source.length);
    this.values.set(source, this.length);
    this.length += source.length;
  }

  private reserve(capacity: number): void {
    if (capacity <= this.values.length) return;
    const grown = new Float64Array(Math.max(capacity, this.values.length * 2));
    grown.set(this.values.subarray(0, this.length));
    this.values = grown;
  }
}

/**
 * Builds one block from events added one at a time. It copies their numbers into columns it
 * reuses from block to block and keeps no reference to the events, so a writer that fills a
 * block of thousands of events does not hold them (and their level arrays) in memory. The
 * finished block is written into one output buffer, also reused: a block is megabytes, and a new
 * buffer each time would be freed only once V8 collects the array object that holds it.
 */
export class BlockBuilder {
  private readonly exchTs = new NumberColumn();
  private readonly localTs = new NumberColumn();
  /** Per event: coin index, and BOOK or TRADE. */
  private readonly coin = new NumberColumn();
  private readonly type = new NumberColumn();
  /** Per book: level counts; the levels of all books back to back. */
  private readonly bidCount = new NumberColumn();
  private readonly askCount = new NumberColumn();
  private readonly levels = [new NumberColumn(), new NumberColumn(), new NumberColumn(), new NumberColumn()] as const;
  private readonly tradePx = new NumberColumn();
  private readonly tradeSz = new NumberColumn();
  private readonly tradeTid = new NumberColumn();
  private readonly tradeSide = new NumberColumn();
  private readonly fundingRate = new NumberColumn();
  private readonly fundingOraclePx = new NumberColumn();
  private maxLevels = 0;
  private output = new ArrayBuffer(0);

  constructor(private readonly coinIndex: (coin: string) => number) {}

  /** Events added since the last finish(). */
  get length(): number {
    return this.exchTs.length;
  }

  /** Most levels on a side in any book added since the last finish(). */
  get depth(): number {
    return this.maxLevels;
  }

  add(event: MarketEvent): void {
    storable(event);
    this.exchTs.push(event.exchTs);
    this.localTs.push(event.localTs);
    this.coin.push(this.coinIndex(event.coin));
    if (event.type === 'book') {
      this.type.push(BOOK);
      this.bidCount.push(event.bidPx.length);
      this.askCount.push(event.askPx.length);
      this.levels[0].pushAll(event.bidPx);
      this.levels[1].pushAll(event.bidSz);
      this.levels[2].pushAll(event.askPx);
      this.levels[3].pushAll(event.askSz);
      this.maxLevels = Math.max(this.maxLevels, event.bidPx.length, event.askPx.length);
    } else if (event.type === 'trade') {
      this.type.push(TRADE);
      this.tradePx.push(event.px);
      this.tradeSz.push(event.sz);
      this.tradeTid.push(event.tid ?? Number.NaN);
      this.tradeSide.push(event.side === 'bid' ? BID : ASK);
    } else if (event.type === 'funding') {
      this.type.push(FUNDING);
      this.fundingRate.push(event.rate);
      this.fundingOraclePx.push(event.oraclePx ?? Number.NaN);
    }
  }

  /**
   * The block of the events added so far, which are then forgotten. The bytes are valid until
   * the next finish(), which writes over them.
   */
  finish(): Uint8Array {
    const events = this.length;
    const books = this.bidCount.length;
    const trades = this.tradePx.length;
    const fundings = this.fundingRate.length;
    const depth = this.maxLevels;
    const layout = blockLayout(events, books, trades, fundings, depth);
    if (this.output.byteLength < layout.bytes) this.output = new ArrayBuffer(layout.bytes);
    const buffer = this.output;
    const block = new Uint8Array(buffer, 0, layout.bytes);
    block.fill(0);
    new Uint32Array(buffer, 0, 5).set([events, books, trades, fundings, depth]);
    const columns = blockColumns(buffer, layout);
    columns.exchTs.set(this.exchTs.values.subarray(0, events));
    columns.localTs.set(this.localTs.values.subarray(0, events));
    columns.coin.set(this.coin.values.subarray(0, events));
    columns.type.set(this.type.values.subarray(0, events));
    columns.levelCounts[BID].set(this.bidCount.values.subarray(0, books));
    columns.levelCounts[ASK].set(this.askCount.values.subarray(0, books));
    // Each book's levels start at book * depth; the slots past its own count stay zero.
    let bidAt = 0;
    let askAt = 0;
    for (let book = 0; book < books; book += 1) {
      const base = book * depth;
      const bids = this.bidCount.values[book]!;
      const asks = this.askCount.values[book]!;
      columns.levels[0].set(this.levels[0].values.subarray(bidAt, bidAt + bids), base);
      columns.levels[1].set(this.levels[1].values.subarray(bidAt, bidAt + bids), base);
      columns.levels[2].set(this.levels[2].values.subarray(askAt, askAt + asks), base);
      columns.levels[3].set(this.levels[3].values.subarray(askAt, askAt + asks), base);
      bidAt += bids;
      askAt += asks;
    }
    columns.tradePx.set(this.tradePx.values.subarray(0, trades));
    columns.tradeSz.set(this.tradeSz.values.subarray(0, trades));
    columns.tradeTid.set(this.tradeTid.values.subarray(0, trades));
    columns.tradeSide.set(this.tradeSide.values.subarray(0, trades));
    columns.fundingRate.set(this.fundingRate.values.subarray(0, fundings));
    columns.fundingOraclePx.set(this.fundingOraclePx.values.subarray(0, fundings));
    this.clear();
    return block;
  }

  private clear(): void {
    const columns = [this.exchTs, this.localTs, this.coin, this.type, this.bidCount, this.askCount, ...this.levels];
    const eventColumns = [this.tradePx, this.tradeSz, this.tradeTid, this.tradeSide, this.fundingRate, this.fundingOraclePx];
    for (const column of [...columns, ...eventColumns]) column.length = 0;
    this.maxLevels = 0;
  }
}

function blockColumns(buffer: ArrayBuffer, layout: BlockLayout) {
  const f64 = (offset: number, count: number): Float64Array => new Float64Array(buffer, offset, count);
  const levelCount = layout.books * layout.depth;
  return {
    exchTs: f64(layout.exchTs, layout.events),
    localTs: f64(layout.localTs, layout.events),
    levels: layout.levels.map((offset) => f64(offset, levelCount)) as [Float64Array, Float64Array, Float64Array, Float64Array],
    tradePx: f64(layout.tradePx, layout.trades),
    tradeSz: f64(layout.tradeSz, layout.trades),
    tradeTid: f64(layout.tradeTid, layout.trades),
    fundingRate: f64(layout.fundingRate, layout.fundings),
    fundingOraclePx: f64(layout.fundingOraclePx, layout.fundings),
    coin: new Uint16Array(buffer, layout.coin, layout.events),
    levelCounts: layout.levelCounts.map((offset) => new Uint16Array(buffer, offset, layout.books)) as [Uint16Array, Uint16Array],
    type: new Uint8Array(buffer, layout.type, layout.events),
    tradeSide: new Uint8Array(buffer, layout.tradeSide, layout.trades),
  };
}

/**
 * Events read back from one block, in order. The book levels handed out by one readInto share
 * one new buffer, a copy of that stretch of the block's level columns: the events do not keep
 * the block alive, and the block's buffer may be reused once every event has been read.
 */
export class BlockReader {
  readonly length: number;
  private readonly columns: ReturnType<typeof blockColumns>;
  private readonly depth: number;
  private index = 0;
  private book = 0;
  private trade = 0;
  private funding = 0;

  /**
   * Reads the block in the first `bytes` bytes of `buffer` (all of it by default). Throws a
   * RangeError when they are not a whole block.
   */
  constructor(
    buffer: ArrayBuffer,
    private readonly coins: readonly string[],
    bytes = buffer.byteLength,
  ) {
    if (bytes > buffer.byteLength) throw new RangeError('block longer than its buffer');
    if (bytes < BLOCK_HEADER_BYTES) throw new RangeError('block shorter than its header');
    const [events = 0, books = 0, trades = 0, fundings = 0, depth = 0] = new Uint32Array(buffer, 0, 5);
    const layout = blockLayout(events, books, trades, fundings, depth);
    if (books + trades + fundings !== events || layout.bytes !== bytes) throw new RangeError('block size does not match its counts');
    this.length = events;
    this.depth = depth;
    this.columns = blockColumns(buffer, layout);
    for (const counts of this.columns.levelCounts) {
      if (counts.some((count) => count > depth)) throw new RangeError('a book has more levels than the block depth');
    }
  }

  get remaining(): number {
    return this.length - this.index;
  }

  /** The next `count` events, or as many as are left. */
  read(count: number): MarketEvent[] {
    const { exchTs, localTs, coin, type, tradePx, tradeSz, tradeTid, tradeSide, fundingRate, fundingOraclePx } = this.columns;
    const [bidCount, askCount] = this.columns.levelCounts;
    const depth = this.depth;
    const end = Math.min(this.length, this.index + count);
    const out = new Array<MarketEvent>(end - this.index);
    let books = 0;
    for (let index = this.index; index < end; index += 1) if (type[index] === BOOK) books += 1;
    const levels = this.copyLevels(this.book, books);
    const size = books * depth;
    let copied = 0;
    for (let index = this.index; index < end; index += 1) {
      const coinName = this.coins[coin[index]!];
      if (coinName === undefined) throw new RangeError(`coin index ${coin[index]} is not in the coin table`);
      if (type[index] === BOOK) {
        const base = copied * depth;
        const bids = bidCount[this.book]!;
        const asks = askCount[this.book]!;
        out[index - this.index] = {
          type: 'book',
          coin: coinName,
          exchTs: exchTs[index]!,
          localTs: localTs[index]!,
          bidPx: float64View(levels, base, bids),
          bidSz: float64View(levels, size + base, bids),
          askPx: float64View(levels, 2 * size + base, asks),
          askSz: float64View(levels, 3 * size + base, asks),
        };
        this.book += 1;
        copied += 1;
      } else if (type[index] === FUNDING) {
        const at = this.funding;
        const oraclePx = fundingOraclePx[at]!;
        const funding = { type: 'funding', coin: coinName, exchTs: exchTs[index]!, localTs: localTs[index]!, rate: fundingRate[at]! } as const;
        out[index - this.index] = Number.isNaN(oraclePx) ? funding : { ...funding, oraclePx };
        this.funding += 1;
      } else {
        const at = this.trade;
        const side = tradeSide[at] === BID ? 'bid' : 'ask';
        const tid = tradeTid[at]!;
        out[index - this.index] = Number.isNaN(tid)
          ? { type: 'trade', coin: coinName, exchTs: exchTs[index]!, localTs: localTs[index]!, px: tradePx[at]!, sz: tradeSz[at]!, side }
          : { type: 'trade', coin: coinName, exchTs: exchTs[index]!, localTs: localTs[index]!, px: tradePx[at]!, sz: tradeSz[at]!, side, tid };
        this.trade += 1;
      }
    }
    this.index = end;
    return out;
  }

  /**
   * The level columns of `books` books from `firstBook` on, copied into one new buffer: bid
   * prices, bid sizes, ask prices, ask sizes, `books * depth` numbers each.
   */
  private copyLevels(firstBook: number, books: number): ArrayBuffer {
    const size = books * this.depth;
    const from = firstBook * this.depth;
    const store = new Float64Array(4 * size);
    for (let slot = 0; slot < 4; slot += 1) store.set(this.columns.levels[slot]!.subarray(from, from + size), slot * size);
    return store.buffer;
  }
}
