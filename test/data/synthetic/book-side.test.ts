import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random.js';
import { BookSide, type BookShape } from '../../../src/data/synthetic/book-side.js';

/** Five levels, one tick apart, 10 lots each (no size noise), never refreshed. */
const SHAPE: BookShape = {
  levels: 5,
  gapMeanTicks: [1, 1, 1, 1],
  sizeLogMedianLots: [Math.log(10), Math.log(10), Math.log(10), Math.log(10), Math.log(10)],
  sizeLogSd: [0, 0, 0, 0, 0],
  refreshProbability: 0,
};

function ladder(side: BookSide): { px: number[]; sz: number[] } {
  const { px, sz } = side.snapshot(1, 1);
  return { px: [...px], sz: [...sz] };
}

describe('BookSide', () => {
  it('posts a full ladder behind the touch (asks rise, bids fall)', () => {
    const rng = new Rng(1);
    const asks = new BookSide(1, SHAPE);
    const bids = new BookSide(-1, SHAPE);
    asks.repost(101, rng);
    bids.repost(100, rng);
    expect(ladder(asks)).toEqual({ px: [101, 102, 103, 104, 105], sz: [10, 10, 10, 10, 10] });
    expect(ladder(bids).px).toEqual([100, 99, 98, 97, 96]);
  });

  it('takes from the touch, walks to the next level when one runs out, and keeps what is left', () => {
    const rng = new Rng(1);
    const asks = new BookSide(1, SHAPE);
    asks.repost(101, rng);
    expect(asks.takeFromTouch(4)).toBe(4);
    expect(asks.takeFromTouch(20)).toBe(6);
    expect(asks.touchTick).toBe(102);
    expect(asks.levels).toBe(4);
    asks.repost(102, rng);
    expect(ladder(asks)).toEqual({ px: [102, 103, 104, 105, 106], sz: [10, 10, 10, 10, 10] });
  });

  it('on a re-post, levels that would cross are gone and resting levels keep their reduced size', () => {
    const rng = new Rng(1);
    const bids = new BookSide(-1, SHAPE);
    bids.repost(100, rng);
    bids.takeFromTouch(3);
    bids.repost(99, rng);
    expect(ladder(bids).px).toEqual([99, 98, 97, 96, 95]);
    bids.repost(101, rng);
    expect(ladder(bids).px).toEqual([101, 100, 99, 98, 97]);
  });

  it('a re-post refreshes sizes when told to, and replenishes a touch that was taken out', () => {
    const rng = new Rng(1);
    const asks = new BookSide(1, { ...SHAPE, refreshProbability: 1 });
    asks.repost(101, rng);
    asks.takeFromTouch(7);
    expect(asks.touchLots).toBe(3);
    asks.repost(101, rng);
    expect(asks.touchLots).toBe(10);
  });
});
