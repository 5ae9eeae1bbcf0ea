import { describe, expect, it } from 'vitest';
import { dropSmallLevels, enforcePostOnly, guardHalfSpread, minimumSpread, type SpreadGuardParams } from '../../../src/core/quote/guards.js';
import type { LadderLevel } from '../../../src/core/quote/ladder.js';
import { describeQuoteNote, type QuoteNote } from '../../../src/core/quote/notes.js';

const guards: SpreadGuardParams = {
  minSpreadBps: 2,
  maxSpreadBps: 20,
  makerFee: 0.00015,
  minSpreadGuardEnabled: true,
  minSpreadGuardBufferBps: 1,
  dynamicMinSpreadEnabled: false,
  minNotionalUsd: 10,
};
const mid = 100_000; // 1 bp = 10, so a half spread of h price units is a spread of h / 5 bps

function level(side: 'bid' | 'ask', index: number, px: number, sz: number): LadderLevel {
  return { side, level: index, px, sz };
}

describe('minimum spread', () => {
  it('is the fee break-even (2 × maker fee) plus the buffer when that is above min_spread_bps', () => {
    const minimum = minimumSpread(guards);
    expect(minimum.floor).toBe('min_spread_guard');
    expect(minimum.bps).toBeCloseTo(4, 12); // 2 × 1.5 bps + 1
  });

  it('is min_spread_bps when the guard is off, or when min_spread_bps is wider', () => {
    expect(minimumSpread({ ...guards, minSpreadGuardEnabled: false })).toEqual({ bps: 2, floor: 'min_spread_bps' });
    expect(minimumSpread({ ...guards, minSpreadBps: 6 })).toEqual({ bps: 6, floor: 'min_spread_bps' });
  });

  it('counts a maker rebate as lowering the break-even', () => {
    expect(minimumSpread({ ...guards, makerFee: -0.00002, minSpreadBps: 0 }).bps).toBeCloseTo(0.6, 12);
  });

  it('uses the dynamic minimum only when dynamic_min_spread_enabled', () => {
    expect(minimumSpread(guards, 7).floor).toBe('min_spread_guard');
    expect(minimumSpread({ ...guards, dynamicMinSpreadEnabled: true }, 7)).toEqual({ bps: 7, floor: 'dynamic_min_spread' });
    expect(minimumSpread({ ...guards, dynamicMinSpreadEnabled: true }, 3).floor).toBe('min_spread_guard');
  });
});

describe('spread guard', () => {
  it('widens a side below the fee break-even and says so', () => {
    const notes: QuoteNote[] = [];
    expect(guardHalfSpread('bid', 5, mid, guards, undefined, notes)).toBeCloseTo(20, 9); // 4 bps → half 20
    expect(notes).toEqual([{ kind: 'widened', side: 'bid', floor: 'min_spread_guard', spreadBps: expect.closeTo(4, 12) as number }]);
    expect(describeQuoteNote(notes[0]!)).toBe(
      'spread widened to the fee break-even (2 × maker_fee) plus min_spread_guard_buffer_bps: 4.00 bps',
    );
  });

  it('widens to the dynamic minimum when it is the widest', () => {
    const notes: QuoteNote[] = [];
    guardHalfSpread('ask', 5, mid, { ...guards, dynamicMinSpreadEnabled: true }, 9, notes);
    expect(describeQuoteNote(notes[0]!)).toBe('spread widened to the dynamic minimum spread: 9.00 bps');
  });

  it('holds a side wider than max_spread_bps at the cap', () => {
    const notes: QuoteNote[] = [];
    expect(guardHalfSpread('ask', 250, mid, guards, undefined, notes)).toBeCloseTo(100, 9);
    expect(notes.map(describeQuoteNote)).toEqual(['spread held at max_spread_bps: 20.00 bps']);
  });

  it('lets the minimum win over the cap: quoting under the fee break-even loses on every round trip', () => {
    const notes: QuoteNote[] = [];
    const half = guardHalfSpread('bid', 250, mid, { ...guards, maxSpreadBps: 3 }, undefined, notes);
    expect(half).toBeCloseTo(20, 9);
    expect(notes.map((note) => note.kind)).toEqual(['capped', 'widened']);
  });

  it('leaves a spread inside the bounds alone, with no note', () => {
    const notes: QuoteNote[] = [];
    expect(guardHalfSpread('bid', 30, mid, guards, undefined, notes)).toBe(30);
    expect(notes).toEqual([]);
  });
});

describe('post-only guard', () => {
  it('moves a bid at or above the best ask to one tick under it, and deeper bids behind it', () => {
    const bids = [level('bid', 0, 100.5, 1), level('bid', 1, 100.4, 1), level('bid', 2, 100.1, 1)];
    const notes: QuoteNote[] = [];
    enforcePostOnly('bid', bids, { bestBid: 100.2, bestAsk: 100.4 }, 0.1, notes);
    expect(bids.map((q) => q.px)).toEqual([100.3, 100.2, 100.1]);
    expect(notes.map(describeQuoteNote)).toEqual([
      'level 0 moved from 100.5 to 100.3 so it does not cross the book (post-only)',
      'level 1 moved from 100.4 to 100.2 so it does not cross the book (post-only)',
    ]);
  });

  it('moves an ask at or below the best bid to one tick over it', () => {
    const asks = [level('ask', 0, 99.9, 1), level('ask', 1, 100.6, 1)];
    const notes: QuoteNote[] = [];
    enforcePostOnly('ask', asks, { bestBid: 100, bestAsk: 100.4 }, 0.1, notes);
    expect(asks.map((q) => q.px)).toEqual([100.1, 100.6]);
    expect(notes).toEqual([{ kind: 'postOnly', side: 'ask', level: 0, from: 99.9, to: 100.1 }]);
  });

  it('does nothing without the opposite side of the book, or when nothing crosses', () => {
    const bids = [level('bid', 0, 101, 1)];
    const notes: QuoteNote[] = [];
    enforcePostOnly('bid', bids, { bestBid: 99 }, 0.1, notes);
    enforcePostOnly('bid', [level('bid', 0, 100.3, 1)], { bestAsk: 100.4 }, 0.1, notes);
    expect(bids[0]!.px).toBe(101);
    expect(notes).toEqual([]);
  });
});

describe('minimum order value guard', () => {
  it('drops levels under $10 and levels of zero size, each with its reason', () => {
    const notes: QuoteNote[] = [];
    const kept = dropSmallLevels([level('bid', 0, 100, 0.2), level('bid', 1, 99, 0.09), level('bid', 2, 98, 0)], 10, notes);
    expect(kept.map((q) => q.level)).toEqual([0]);
    expect(notes.map(describeQuoteNote)).toEqual([
      'level 1 dropped: $8.91 is below the $10 minimum order value',
      'level 2 dropped: size is zero (inventory_skew_size at the position limit)',
    ]);
  });

  it('keeps a level worth exactly the minimum', () => {
    expect(dropSmallLevels([level('ask', 0, 100, 0.1)], 10, [])).toHaveLength(1);
  });
});
