import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { BlockBuilder, BlockReader, encodeBlock } from '../../../src/data/cache/cache-format.js';

const COINS = ['BTC', 'ETH', 'kPEPE'];

const levels = fc.array(fc.double({ min: 1e-8, max: 1e7, noNaN: true }), { minLength: 1, maxLength: 25 });
const time = fc.integer({ min: 0, max: 2 ** 45 });
const book = fc.record({ coin: fc.constantFrom(...COINS), exchTs: time, localTs: time, bids: levels, asks: levels, sizes: levels }).map(
  ({ coin, exchTs, localTs, bids, asks, sizes }): MarketEvent => ({
    type: 'book',
    coin,
    exchTs,
    localTs,
    bidPx: Float64Array.from(bids),
    bidSz: Float64Array.from(bids, (_, index) => sizes[index % sizes.length]!),
    askPx: Float64Array.from(asks),
    askSz: Float64Array.from(asks, (_, index) => sizes[(index + 1) % sizes.length]!),
  }),
);
const trade = fc
  .record({
    coin: fc.constantFrom(...COINS),
    exchTs: time,
    localTs: time,
    px: fc.double({ min: 1e-8, max: 1e7, noNaN: true }),
    sz: fc.double({ min: 1e-8, max: 1e7, noNaN: true }),
    side: fc.constantFrom('bid' as const, 'ask' as const),
    tid: fc.option(fc.integer({ min: 0, max: Number.MAX_SAFE_INTEGER }), { nil: undefined }),
  })
  .map(({ tid, ...rest }): MarketEvent => (tid === undefined ? { type: 'trade', ...rest } : { type: 'trade', ...rest, tid }));

const funding = fc
  .record({
    coin: fc.constantFrom(...COINS),
    exchTs: time,
    localTs: time,
    rate: fc.double({ min: -0.04, max: 0.04, noNaN: true }),
    oraclePx: fc.option(fc.double({ min: 1e-8, max: 1e7, noNaN: true }), { nil: undefined }),
  })
  .map(({ oraclePx, ...rest }): MarketEvent => (oraclePx === undefined ? { type: 'funding', ...rest } : { type: 'funding', ...rest, oraclePx }));

function roundTrip(events: readonly MarketEvent[]): MarketEvent[] {
  const bytes = encodeBlock(events, (coin) => COINS.indexOf(coin));
  const reader = new BlockReader(bytes.buffer as ArrayBuffer, COINS);
  const out: MarketEvent[] = [];
  while (reader.remaining > 0) out.push(...reader.read(7));
  return out;
}

describe('cache block format', () => {
  it('gives back exactly the books, trades and funding rates it was given, in order', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(book, trade, funding), { maxLength: 60 }), (events) => {
        expect(roundTrip(events)).toStrictEqual(events);
      }),
      { numRuns: 200 },
    );
  });

  it('writes each block over the last one in the same bytes, leaving nothing of it behind', () => {
    const events = fc.array(fc.oneof(book, trade, funding), { minLength: 1, maxLength: 30 });
    fc.assert(
      fc.property(events, events, (first, second) => {
        const builder = new BlockBuilder((coin) => COINS.indexOf(coin));
        for (const event of first) builder.add(event);
        const firstBlock = builder.finish();
        for (const event of second) builder.add(event);
        const secondBlock = builder.finish();
        if (secondBlock.length <= firstBlock.buffer.byteLength) expect(secondBlock.buffer).toBe(firstBlock.buffer);
        expect(secondBlock).toStrictEqual(encodeBlock(second, (coin) => COINS.indexOf(coin)));
      }),
      { numRuns: 200 },
    );
  });

  it('keeps a trade without a trade id without one', () => {
    const [read] = roundTrip([{ type: 'trade', coin: 'BTC', exchTs: 1, localTs: 2, px: 3, sz: 4, side: 'ask' }]);
    expect(read).not.toHaveProperty('tid');
  });

  it('refuses a buffer that is not a whole block', () => {
    const bytes = encodeBlock([{ type: 'trade', coin: 'BTC', exchTs: 1, localTs: 2, px: 3, sz: 4, side: 'ask', tid: 5 }], () => 0);
    expect(() => new BlockReader(bytes.buffer.slice(0, bytes.length - 8) as ArrayBuffer, COINS)).toThrow(RangeError);
  });

  it('keeps a funding rate without an oracle price without one, and one with it', () => {
    const [without, withPrice] = roundTrip([
      { type: 'funding', coin: 'ETH', exchTs: 3_600_000, localTs: 3_600_000, rate: -0.0000125 },
      { type: 'funding', coin: 'BTC', exchTs: 7_200_000, localTs: 7_200_001, rate: 0.00004, oraclePx: 105_000.5 },
    ]);
    expect(without).toStrictEqual({ type: 'funding', coin: 'ETH', exchTs: 3_600_000, localTs: 3_600_000, rate: -0.0000125 });
    expect(withPrice).toStrictEqual({ type: 'funding', coin: 'BTC', exchTs: 7_200_000, localTs: 7_200_001, rate: 0.00004, oraclePx: 105_000.5 });
  });

  it('stores book, trade and funding events, not book deltas', () => {
    expect(() => encodeBlock([{ type: 'bookDelta', coin: 'BTC', exchTs: 1, localTs: 1, side: 'bid', px: 1, sz: 1 }], () => 0)).toThrow(
      /book, trade and funding events, not bookDelta/,
    );
  });
});
