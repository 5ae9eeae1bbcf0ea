import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { appendLadderSide, levelSizeSplit, type LadderMarket, type LadderParams } from '../../../src/core/quote/ladder.js';
import { describeQuoteNote, NO_NOTES } from '../../../src/core/quote/notes.js';
import type { DesiredQuote, Side } from '../../../src/core/types.js';
import { UserInputError } from '../../../src/errors.js';

const params: LadderParams = {
  numLevels: 3,
  levelSpacingBps: 1,
  levelSizeSplit: [0.5, 0.3, 0.2],
  orderSizeUsd: 300,
  inventorySkewSize: false,
  maxPositionUsd: 1_500,
};
const flat = { mid: 100_000, tick: 1, position: 0, reservationPrice: 100_000, halfSpread: 20 };

interface SideInputs extends LadderMarket {
  readonly reservationPrice: number;
  readonly halfSpread: number;
}

/** One side of the ladder on its own. */
function buildLadderSide(side: Side, ladder: LadderParams, inputs: SideInputs): DesiredQuote[] {
  const quotes: DesiredQuote[] = [];
  expect(appendLadderSide(side, ladder, inputs, inputs.reservationPrice, inputs.halfSpread, quotes, NO_NOTES)).toBe(NO_NOTES);
  return quotes;
}

describe('ladder', () => {
  it('spaces levels by level_spacing_bps outside the half spread, on both sides of the reservation price', () => {
    const bids = buildLadderSide('bid', params, flat);
    const asks = buildLadderSide('ask', params, flat);
    // spacing: 1 bp of 100000 = 10
    expect(bids.map((q) => q.px)).toEqual([99_980, 99_970, 99_960]);
    expect(asks.map((q) => q.px)).toEqual([100_020, 100_030, 100_040]);
    expect(bids.map((q) => q.level)).toEqual([0, 1, 2]);
    expect(asks.every((q) => q.side === 'ask')).toBe(true);
  });

  it('splits the side\'s USD across levels and converts it to coins at the mid', () => {
    const sizes = buildLadderSide('bid', params, flat).map((q) => q.sz);
    expect(sizes[0]).toBeCloseTo(0.0015, 12); // $150 at 100000
    expect(sizes[1]).toBeCloseTo(0.0009, 12);
    expect(sizes[2]).toBeCloseTo(0.0006, 12);
  });

  it('snaps away from the mid: bids down, asks up', () => {
    const offGrid = { ...flat, reservationPrice: 100_000.5, halfSpread: 20.3 };
    expect(buildLadderSide('bid', params, offGrid)[0]!.px).toBe(99_980); // 99980.2 → down
    expect(buildLadderSide('ask', params, offGrid)[0]!.px).toBe(100_021); // 100020.8 → up
  });

  it('keeps levels at least one tick apart when the spacing is finer than the tick', () => {
    const fine = { ...params, levelSpacingBps: 0.01 }; // 0.1 on a tick of 1
    expect(buildLadderSide('bid', fine, flat).map((q) => q.px)).toEqual([99_980, 99_979, 99_978]);
    expect(buildLadderSide('ask', fine, flat).map((q) => q.px)).toEqual([100_020, 100_021, 100_022]);
  });

  it('shrinks only the side that adds to the position, in proportion to |q| / max position', () => {
    const sized = { ...params, inventorySkewSize: true };
    const longHalf = { ...flat, position: 750 / 100_000 }; // half of $1500
    const bidTotal = buildLadderSide('bid', sized, longHalf).reduce((sum, q) => sum + q.sz, 0);
    const askTotal = buildLadderSide('ask', sized, longHalf).reduce((sum, q) => sum + q.sz, 0);
    expect(bidTotal).toBeCloseTo(0.0015, 12);
    expect(askTotal).toBeCloseTo(0.003, 12);
    const shortFull = { ...flat, position: -2 * (1_500 / 100_000) };
    expect(buildLadderSide('ask', sized, shortFull).every((q) => q.sz === 0)).toBe(true);
    expect(buildLadderSide('bid', sized, shortFull)[0]!.sz).toBeCloseTo(0.0015, 12);
  });

  it('leaves sizes alone when inventory_skew_size is off', () => {
    const long = { ...flat, position: 0.01 };
    expect(buildLadderSide('bid', params, long)[0]!.sz).toBeCloseTo(0.0015, 12);
  });

  it('always quotes bids strictly below asks, on the grid, in order', () => {
    fc.assert(
      fc.property(
        fc.double({ min: 0.01, max: 1_000, noNaN: true }),
        fc.double({ min: 0, max: 5, noNaN: true }),
        fc.double({ min: 0, max: 50, noNaN: true }),
        fc.integer({ min: 1, max: 5 }),
        (mid, halfSpreadBps, spacingBps, numLevels) => {
          const tick = 0.01;
          const ladder = { ...params, numLevels, levelSpacingBps: spacingBps, levelSizeSplit: levelSizeSplit(numLevels) };
          const inputs = { mid, tick, position: 0, reservationPrice: mid, halfSpread: Math.max(tick / 2, (halfSpreadBps * mid) / 1e4) };
          const bids = buildLadderSide('bid', ladder, inputs).map((q) => q.px);
          const asks = buildLadderSide('ask', ladder, inputs).map((q) => q.px);
          expect(bids[0]!).toBeLessThan(asks[0]!);
          for (const px of [...bids, ...asks]) expect(Math.abs(px * 100 - Math.round(px * 100))).toBeLessThan(1e-6);
          for (let i = 1; i < numLevels; i++) {
            expect(bids[i]!).toBeLessThan(bids[i - 1]!);
            expect(asks[i]!).toBeGreaterThan(asks[i - 1]!);
          }
        },
      ),
    );
  });
});

describe('ladder under the post-only guard', () => {
  it('moves a bid at or above the best ask to one tick under it, and deeper bids behind it, noting each move', () => {
    const quotes: DesiredQuote[] = [];
    const ladder = { ...params, levelSpacingBps: 0.1 }; // 1 tick apart at 100000
    const market = { ...flat, bestBid: 99_960, bestAsk: 99_975 };
    const notes = appendLadderSide('bid', ladder, market, 100_000, 20, quotes, NO_NOTES);
    expect(quotes.map((q) => q.px)).toEqual([99_974, 99_973, 99_972]);
    expect(notes.map(describeQuoteNote)).toEqual([
      'level 0 moved from 99980 to 99974 so it does not cross the book (post-only)',
      'level 1 moved from 99979 to 99973 so it does not cross the book (post-only)',
      'level 2 moved from 99978 to 99972 so it does not cross the book (post-only)',
    ]);
  });

  it('moves an ask at or below the best bid to one tick over it and leaves levels clear of it alone', () => {
    const quotes: DesiredQuote[] = [];
    const market = { ...flat, bestBid: 100_025, bestAsk: 100_026 };
    const notes = appendLadderSide('ask', params, market, 100_000, 20, quotes, NO_NOTES);
    expect(quotes.map((q) => q.px)).toEqual([100_026, 100_030, 100_040]);
    expect(notes).toEqual([{ kind: 'postOnly', side: 'ask', level: 0, from: 100_020, to: 100_026 }]);
  });

  it('does nothing without the opposite side of the book, or when nothing crosses', () => {
    for (const market of [{ ...flat, bestBid: 100_100 }, { ...flat, bestBid: 99_990, bestAsk: 100_010 }]) {
      const quotes: DesiredQuote[] = [];
      expect(appendLadderSide('bid', params, market, 100_000, 20, quotes, NO_NOTES)).toBe(NO_NOTES);
      expect(quotes.map((q) => q.px)).toEqual([99_980, 99_970, 99_960]);
    }
  });

  it('appends after the quotes already there and adds its notes to a new array', () => {
    const earlier: DesiredQuote = { side: 'bid', level: 0, px: 99_980, sz: 0.001 };
    const quotes = [earlier];
    const given = [{ kind: 'capped', side: 'ask', spreadBps: 20 }] as const;
    const notes = appendLadderSide('ask', params, { ...flat, bestBid: 100_025 }, 100_000, 20, quotes, given);
    expect(quotes[0]).toBe(earlier);
    expect(quotes.map((q) => q.side)).toEqual(['bid', 'ask', 'ask', 'ask']);
    expect(notes.map((note) => note.kind)).toEqual(['capped', 'postOnly']);
    expect(given).toHaveLength(1);
  });
});

describe('level size split', () => {
  it('is equal when not given', () => {
    expect(levelSizeSplit(4)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });

  it('accepts fractions that sum to 1, one per level', () => {
    expect(levelSizeSplit(3, [0.4, 0.35, 0.25])).toEqual([0.4, 0.35, 0.25]);
  });

  it('refuses a split of the wrong length, a non-positive part, or a sum other than 1, naming the key', () => {
    expect(() => levelSizeSplit(2, [0.5, 0.3, 0.2])).toThrow(new UserInputError('level_size_split: has 3 entries for 2 levels; give one fraction per level'));
    expect(() => levelSizeSplit(2, [1, 0])).toThrow(/level_size_split: every fraction must be above 0/);
    expect(() => levelSizeSplit(2, [0.5, 0.6])).toThrow(/level_size_split: fractions sum to 1.1; they must sum to 1/);
  });
});
