import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { L2Book } from '../../src/core/book.js';
import type { BookSnapshotEvent, Side } from '../../src/core/types.js';

type Levels = ReadonlyArray<readonly [px: number, sz: number]>;

function snapshot(bids: Levels, asks: Levels, localTs = 1_000): BookSnapshotEvent {
  return {
    type: 'book',
    coin: 'BTC',
    exchTs: localTs - 5,
    localTs,
    bidPx: Float64Array.from(bids, ([px]) => px),
    bidSz: Float64Array.from(bids, ([, sz]) => sz),
    askPx: Float64Array.from(asks, ([px]) => px),
    askSz: Float64Array.from(asks, ([, sz]) => sz),
  };
}

function levels(book: L2Book, side: Side): Array<[number, number]> {
  const out: Array<[number, number]> = [];
  for (let i = 0; i < book.levelCount(side); i++) out.push([book.levelPx(side, i), book.levelSz(side, i)]);
  return out;
}

/** Mid exactly 100, spread 20 bps, 10 bid and 11 ask lots over three levels each. */
function handBuiltBook(): L2Book {
  const book = new L2Book();
  book.applySnapshot(
    snapshot(
      [
        [99.9, 2],
        [99.8, 3],
        [99.0, 5],
      ],
      [
        [100.1, 1],
        [100.2, 4],
        [101.0, 6],
      ],
    ),
  );
  return book;
}

describe('L2Book queries on a hand-built book', () => {
  const book = handBuiltBook();

  it('reads the top of book, mid, microprice and spread', () => {
    expect(book.bestBid).toBe(99.9);
    expect(book.bestAsk).toBe(100.1);
    expect(book.bestBidSize).toBe(2);
    expect(book.bestAskSize).toBe(1);
    expect(book.mid).toBeCloseTo(100, 12);
    // (99.9·1 + 100.1·2) / 3: the ask has less size, so the microprice leans towards it.
    expect(book.microprice).toBeCloseTo(300.1 / 3, 12);
    expect(book.spreadBps).toBeCloseTo(20, 9);
    expect(book.isCrossed()).toBe(false);
  });

  it('sums depth within a distance of the mid, boundary included', () => {
    expect(book.depthWithinBps('bid', 5)).toBe(0);
    expect(book.depthWithinBps('bid', 10)).toBe(2);
    expect(book.depthWithinBps('bid', 20)).toBe(5);
    expect(book.depthWithinBps('bid', 100)).toBe(10);
    expect(book.depthWithinBps('ask', 10)).toBe(1);
    expect(book.depthWithinBps('ask', 20)).toBe(5);
    expect(book.depthWithinBps('ask', 99)).toBe(5);
    expect(book.depthWithinBps('ask', 100)).toBe(11);
  });

  it('measures imbalance over the top N levels', () => {
    expect(book.imbalance(1)).toBeCloseTo(1 / 3, 15);
    expect(book.imbalance(2)).toBe(0);
    expect(book.imbalance(3)).toBeCloseTo(-1 / 21, 15);
    expect(book.imbalance(20)).toBeCloseTo(-1 / 21, 15);
  });

  it('reads levels by index and by price', () => {
    expect(book.levelCount('bid')).toBe(3);
    expect(book.levelCount('ask')).toBe(3);
    expect(book.levelPx('ask', 2)).toBe(101);
    expect(book.levelSz('bid', 1)).toBe(3);
    expect(book.levelPx('bid', 3)).toBeNaN();
    expect(book.levelSz('ask', -1)).toBeNaN();
    expect(book.sizeAt('bid', 99.8)).toBe(3);
    expect(book.sizeAt('bid', 99.85)).toBe(0);
    expect(book.sizeAt('ask', 99.9)).toBe(0);
    expect(book.lastUpdateTs).toBe(1_000);
  });
});

describe('L2Book when sides are empty', () => {
  it('answers NaN for prices and is stale before any update', () => {
    const book = new L2Book();
    expect(book.bestBid).toBeNaN();
    expect(book.bestAskSize).toBeNaN();
    expect(book.mid).toBeNaN();
    expect(book.microprice).toBeNaN();
    expect(book.spreadBps).toBeNaN();
    expect(book.imbalance(5)).toBeNaN();
    expect(book.depthWithinBps('bid', 50)).toBeNaN();
    expect(book.isCrossed()).toBe(false);
    expect(book.lastUpdateTs).toBe(-Infinity);
  });

  it('reports full imbalance towards the only side present', () => {
    const book = new L2Book();
    book.applyDelta('bid', 50, 3, 10);
    expect(book.imbalance(5)).toBe(1);
    expect(book.mid).toBeNaN();
    book.applyDelta('bid', 50, 0, 11);
    book.applyDelta('ask', 51, 3, 12);
    expect(book.imbalance(5)).toBe(-1);
  });
});

describe('L2Book snapshots', () => {
  it('copies the arrays, so the producer may reuse them', () => {
    const event = snapshot([[10, 1]], [[11, 2]]);
    const book = new L2Book();
    book.applySnapshot(event);
    event.bidPx[0] = 5;
    event.askSz[0] = 9;
    expect(book.bestBid).toBe(10);
    expect(book.bestAskSize).toBe(2);
  });

  it('grows past its initial capacity and then replaces with fewer levels', () => {
    const bids: Array<[number, number]> = Array.from({ length: 25 }, (_, i) => [100 - i, i + 1]);
    const asks: Array<[number, number]> = Array.from({ length: 25 }, (_, i) => [101 + i, i + 1]);
    const book = new L2Book(4);
    book.applySnapshot(snapshot(bids, asks, 5_000));
    expect(levels(book, 'bid')).toEqual(bids);
    expect(levels(book, 'ask')).toEqual(asks);

    book.applySnapshot(snapshot([[99, 7]], [[102, 8]], 6_000));
    expect(levels(book, 'bid')).toEqual([[99, 7]]);
    expect(levels(book, 'ask')).toEqual([[102, 8]]);
    expect(book.lastUpdateTs).toBe(6_000);
  });
});

describe('L2Book deltas', () => {
  it('inserts in price order, updates in place and removes at size 0', () => {
    const book = handBuiltBook();
    book.applyDelta('bid', 99.85, 4, 2_000);
    book.applyDelta('ask', 100.05, 2, 2_001);
    book.applyDelta('ask', 100.2, 9, 2_002);
    book.applyDelta('bid', 99.0, 0, 2_003);
    expect(levels(book, 'bid')).toEqual([
      [99.9, 2],
      [99.85, 4],
      [99.8, 3],
    ]);
    expect(levels(book, 'ask')).toEqual([
      [100.05, 2],
      [100.1, 1],
      [100.2, 9],
      [101.0, 6],
    ]);
    expect(book.lastUpdateTs).toBe(2_003);
  });

  it('ignores removal of a level that is not there', () => {
    const book = handBuiltBook();
    book.applyDelta('ask', 100.15, 0, 2_000);
    expect(book.levelCount('ask')).toBe(3);
  });

  it('detects a crossed or locked book', () => {
    const book = handBuiltBook();
    book.applyDelta('bid', 100.1, 1, 2_000);
    expect(book.isCrossed()).toBe(true);
    expect(book.spreadBps).toBe(0);
    book.applyDelta('bid', 100.15, 1, 2_001);
    expect(book.isCrossed()).toBe(true);
    expect(book.spreadBps).toBeLessThan(0);
    book.applyDelta('bid', 100.15, 0, 2_002);
    book.applyDelta('bid', 100.1, 0, 2_003);
    expect(book.isCrossed()).toBe(false);
  });

  it('refuses a negative or non-finite size or price', () => {
    const book = new L2Book();
    expect(() => book.applyDelta('bid', 100, -1, 0)).toThrow(RangeError);
    expect(() => book.applyDelta('bid', Number.NaN, 1, 0)).toThrow(RangeError);
    expect(() => book.applyDelta('ask', 100, Infinity, 0)).toThrow(RangeError);
  });

  it('keeps both sides sorted best-first and free of duplicates under random deltas', () => {
    const delta = fc.record({
      side: fc.constantFrom<Side>('bid', 'ask'),
      // Quarter steps are exact in binary, so equal prices compare equal.
      px: fc.integer({ min: 0, max: 40 }).map((i) => 95 + i * 0.25),
      sz: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 9 })),
    });
    fc.assert(
      fc.property(fc.array(delta, { maxLength: 300 }), (deltas) => {
        const book = new L2Book(2);
        const reference = { bid: new Map<number, number>(), ask: new Map<number, number>() };
        deltas.forEach(({ side, px, sz }, ts) => {
          book.applyDelta(side, px, sz, ts);
          if (sz === 0) reference[side].delete(px);
          else reference[side].set(px, sz);
        });
        const expectedBids = [...reference.bid].sort(([a], [b]) => b - a);
        const expectedAsks = [...reference.ask].sort(([a], [b]) => a - b);
        expect(levels(book, 'bid')).toEqual(expectedBids);
        expect(levels(book, 'ask')).toEqual(expectedAsks);
        for (const [px, sz] of expectedBids) expect(book.sizeAt('bid', px)).toBe(sz);
      }),
    );
  });
});
