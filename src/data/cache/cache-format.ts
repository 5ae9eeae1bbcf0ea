import type { MarketEvent } from '../../core/types.js';

/**
 * Layout of a cache file. A 16-byte head (magic, version, byte-order mark), then blocks of up to
 * BLOCK_EVENTS events stored column by column, then the trailer: JSON metadata (source identity,
 * event count, depth, coin table, block index with CRC-32s, recorded stats), its length and CRC,
 * and an end magic. The metadata sits at the end because the counts are known only then; a file
 * cut short loses its end magic and is seen as damaged.
 */
export const CACHE_VERSION = 1;
export const HEAD_BYTES = 16;
export const TAIL_BYTES = 16;
export const BLOCK_EVENTS = 8192;

const HEAD_MAGIC = 'HMMCACHE';
const TAIL_MAGIC = 'HMMCEND.';
const BYTE_ORDER_MARK = 0x01020304;
const BLOCK_HEADER_BYTES = 16;
const BOOK = 0;
const TRADE = 1;
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
  readonly depth: number;
  readonly exchTs: number;
  readonly localTs: number;
  readonly levels: readonly [number, number, number, number];
  readonly tradePx: number;
  readonly tradeSz: number;
  readonly tradeTid: number;
  readonly coin: number;
  readonly levelCounts: readonly [number, number];
  readonly type: number;
  readonly tradeSide: number;
  readonly bytes: number;
}

/** Byte offsets of each column: 8-byte columns first, then 2-byte, then 1-byte, so all align. */
function blockLayout(events: number, books: number, trades: number, depth: number): BlockLayout {
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
  const coin = take(events * 2);
  const levelCounts = [take(books * 2), take(books * 2)] as const;
  const type = take(events);
  const tradeSide = take(trades);
  const bytes = Math.ceil(offset / 8) * 8;
  return { events, books, trades, depth, exchTs, localTs, levels, tradePx, tradeSz, tradeTid, coin, levelCounts, type, tradeSide, bytes };
}

/** One block's bytes; `coinIndex` numbers the coins in the file's coin table. */
export function encodeBlock(events: readonly MarketEvent[], coinIndex: (coin: string) => number): Uint8Array {
  let books = 0;
  let depth = 0;
  for (const event of events) {
    if (event.type === 'book') {
      books += 1;
      depth = Math.max(depth, event.bidPx.length, event.askPx.length);
    } else if (event.type !== 'trade') {
      throw new Error(`the market data cache stores book and trade events, not ${event.type}`);
    }
  }
  const layout = blockLayout(events.length, books, events.length - books, depth);
  const buffer = new ArrayBuffer(layout.bytes);
  new Uint32Array(buffer, 0, 4).set([layout.events, layout.books, layout.trades, layout.depth]);
  const columns = blockColumns(buffer, layout);
  let book = 0;
  let trade = 0;
  events.forEach((event, index) => {
    columns.exchTs[index] = event.exchTs;
    columns.localTs[index] = event.localTs;
    columns.coin[index] = coinIndex(event.coin);
    if (event.type === 'book') {
      columns.type[index] = BOOK;
      const base = book * depth;
      columns.levels[0].set(event.bidPx, base);
      columns.levels[1].set(event.bidSz, base);
      columns.levels[2].set(event.askPx, base);
      columns.levels[3].set(event.askSz, base);
      columns.levelCounts[BID][book] = event.bidPx.length;
      columns.levelCounts[ASK][book] = event.askPx.length;
      book += 1;
    } else if (event.type === 'trade') {
      columns.type[index] = TRADE;
      columns.tradePx[trade] = event.px;
      columns.tradeSz[trade] = event.sz;
      columns.tradeTid[trade] = event.tid ?? Number.NaN;
      columns.tradeSide[trade] = event.side === 'bid' ? BID : ASK;
      trade += 1;
    }
  });
  return new Uint8Array(buffer);
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
    coin: new Uint16Array(buffer, layout.coin, layout.events),
    levelCounts: layout.levelCounts.map((offset) => new Uint16Array(buffer, offset, layout.books)) as [Uint16Array, Uint16Array],
    type: new Uint8Array(buffer, layout.type, layout.events),
    tradeSide: new Uint8Array(buffer, layout.tradeSide, layout.trades),
  };
}

/**
 * Events read back from one block, in order. Book levels are subarray views of the block's
 * columns, so a block costs one buffer and the events only their small objects.
 */
export class BlockReader {
  readonly length: number;
  private readonly columns: ReturnType<typeof blockColumns>;
  private readonly depth: number;
  private index = 0;
  private book = 0;
  private trade = 0;

  /** Throws a RangeError when the buffer is not a whole block. */
  constructor(
    buffer: ArrayBuffer,
    private readonly coins: readonly string[],
  ) {
    if (buffer.byteLength < BLOCK_HEADER_BYTES) throw new RangeError('block shorter than its header');
    const [events = 0, books = 0, trades = 0, depth = 0] = new Uint32Array(buffer, 0, 4);
    const layout = blockLayout(events, books, trades, depth);
    if (books + trades !== events || layout.bytes !== buffer.byteLength) throw new RangeError('block size does not match its counts');
    this.length = events;
    this.depth = depth;
    this.columns = blockColumns(buffer, layout);
  }

  get remaining(): number {
    return this.length - this.index;
  }

  /** Appends the next `count` events (or as many as are left) to `out`. */
  readInto(out: MarketEvent[], count: number): void {
    const { exchTs, localTs, coin, type, levels, levelCounts, tradePx, tradeSz, tradeTid, tradeSide } = this.columns;
    const [bidPx, bidSz, askPx, askSz] = levels;
    const [bidCount, askCount] = levelCounts;
    const depth = this.depth;
    const end = Math.min(this.length, this.index + count);
    for (let index = this.index; index < end; index += 1) {
      const coinName = this.coins[coin[index]!];
      if (coinName === undefined) throw new RangeError(`coin index ${coin[index]} is not in the coin table`);
      if (type[index] === BOOK) {
        const base = this.book * depth;
        const bids = base + bidCount[this.book]!;
        const asks = base + askCount[this.book]!;
        out.push({
          type: 'book',
          coin: coinName,
          exchTs: exchTs[index]!,
          localTs: localTs[index]!,
          bidPx: bidPx.subarray(base, bids),
          bidSz: bidSz.subarray(base, bids),
          askPx: askPx.subarray(base, asks),
          askSz: askSz.subarray(base, asks),
        });
        this.book += 1;
      } else {
        const at = this.trade;
        const side = tradeSide[at] === BID ? 'bid' : 'ask';
        const tid = tradeTid[at]!;
        out.push(
          Number.isNaN(tid)
            ? { type: 'trade', coin: coinName, exchTs: exchTs[index]!, localTs: localTs[index]!, px: tradePx[at]!, sz: tradeSz[at]!, side }
            : { type: 'trade', coin: coinName, exchTs: exchTs[index]!, localTs: localTs[index]!, px: tradePx[at]!, sz: tradeSz[at]!, side, tid },
        );
        this.trade += 1;
      }
    }
    this.index = end;
  }
}
