import { describe, expect, it } from 'vitest';
import {
  dropSmallLevels,
  guardedHalfSpread,
  postOnlyLimit,
  postOnlyPrice,
  spreadGuardNotes,
  type SpreadGuardParams,
} from '../../../src/core/quote/guards.js';
import { describeQuoteNote, NO_NOTES, type QuoteNote } from '../../../src/core/quote/notes.js';
import type { DesiredQuote } from '../../../src/core/types.js';

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

/** The minimum spread, as the note a zero half spread earns. */
function minimumSpread(params: SpreadGuardParams, dynamicMinSpreadBps?: number): QuoteNote | undefined {
  return spreadGuardNotes('bid', 0, mid, params, dynamicMinSpreadBps)[0];
}

function quote(side: 'bid' | 'ask', level: number, px: number, sz: number): DesiredQuote {
  return { side, level, px, sz };
}

describe('minimum spread', () => {
  it('is the fee break-even (2 × maker fee) plus the buffer when that is above min_spread_bps', () => {
    expect(minimumSpread(guards)).toEqual({ kind: 'widened', side: 'bid', floor: 'min_spread_guard', spreadBps: expect.closeTo(4, 12) as number });
  });

  it('is min_spread_bps when the guard is off, or when min_spread_bps is wider', () => {
    expect(minimumSpread({ ...guards, minSpreadGuardEnabled: false })).toMatchObject({ spreadBps: 2, floor: 'min_spread_bps' });
    expect(minimumSpread({ ...guards, minSpreadBps: 6 })).toMatchObject({ spreadBps: 6, floor: 'min_spread_bps' });
  });

  it('counts a maker rebate as lowering the break-even', () => {
    expect(minimumSpread({ ...guards, makerFee: -0.00002, minSpreadBps: 0 })).toMatchObject({ spreadBps: expect.closeTo(0.6, 12) as number });
  });

  it('uses the dynamic minimum only when dynamic_min_spread_enabled', () => {
    expect(minimumSpread(guards, 7)).toMatchObject({ floor: 'min_spread_guard' });
    expect(minimumSpread({ ...guards, dynamicMinSpreadEnabled: true }, 7)).toMatchObject({ spreadBps: 7, floor: 'dynamic_min_spread' });
    expect(minimumSpread({ ...guards, dynamicMinSpreadEnabled: true }, 3)).toMatchObject({ floor: 'min_spread_guard' });
  });
});

describe('spread guard', () => {
  it('widens a side below the fee break-even and says so', () => {
    const notes = spreadGuardNotes('bid', 5, mid, guards, undefined);
    expect(guardedHalfSpread(5, mid, notes)).toBeCloseTo(20, 9); // 4 bps → half 20
    expect(notes).toEqual([{ kind: 'widened', side: 'bid', floor: 'min_spread_guard', spreadBps: expect.closeTo(4, 12) as number }]);
    expect(describeQuoteNote(notes[0]!)).toBe('spread widened to the fee break-even (2 × maker_fee) plus min_spread_guard_buffer_bps: 4.00 bps');
  });

  it('widens to the dynamic minimum when it is the widest', () => {
    const notes = spreadGuardNotes('ask', 5, mid, { ...guards, dynamicMinSpreadEnabled: true }, 9);
    expect(guardedHalfSpread(5, mid, notes)).toBeCloseTo(45, 9);
    expect(describeQuoteNote(notes[0]!)).toBe('spread widened to the dynamic minimum spread: 9.00 bps');
  });

  it('holds a side wider than max_spread_bps at the cap', () => {
    const notes = spreadGuardNotes('ask', 250, mid, guards, undefined);
    expect(guardedHalfSpread(250, mid, notes)).toBeCloseTo(100, 9);
    expect(notes.map(describeQuoteNote)).toEqual(['spread held at max_spread_bps: 20.00 bps']);
  });

  it('lets the minimum win over the cap: quoting under the fee break-even loses on every round trip', () => {
    const notes = spreadGuardNotes('bid', 250, mid, { ...guards, maxSpreadBps: 3 }, undefined);
    expect(guardedHalfSpread(250, mid, notes)).toBeCloseTo(20, 9);
    expect(notes.map((note) => note.kind)).toEqual(['capped', 'widened']);
  });

  it('leaves a spread inside the bounds alone, with no note', () => {
    const notes = spreadGuardNotes('bid', 30, mid, guards, undefined);
    expect(notes).toBe(NO_NOTES);
    expect(guardedHalfSpread(30, mid, notes)).toBe(30);
  });

  it('hands out the same frozen notes while the bounds repeat, and new ones when they change', () => {
    const first = spreadGuardNotes('bid', 5, mid, guards, undefined);
    expect(spreadGuardNotes('bid', 6, mid + 1, guards, undefined)).toBe(first);
    expect(Object.isFrozen(first) && Object.isFrozen(first[0])).toBe(true);
    const otherSide = spreadGuardNotes('ask', 5, mid, guards, undefined);
    expect(otherSide[0]).toMatchObject({ side: 'ask' });
    const wider = spreadGuardNotes('bid', 5, mid, { ...guards, minSpreadBps: 6 }, undefined);
    expect(wider[0]).toMatchObject({ side: 'bid', floor: 'min_spread_bps', spreadBps: 6 });
    expect(first[0]).toMatchObject({ side: 'bid', floor: 'min_spread_guard' });
    const capped = spreadGuardNotes('ask', 250, mid, guards, undefined);
    expect(spreadGuardNotes('ask', 300, mid, guards, undefined)).toBe(capped);
    expect(spreadGuardNotes('ask', 300, mid, { ...guards, maxSpreadBps: 30 }, undefined)).toEqual([{ kind: 'capped', side: 'ask', spreadBps: 30 }]);
    expect(capped).toEqual([{ kind: 'capped', side: 'ask', spreadBps: 20 }]);
  });
});

describe('post-only guard', () => {
  it('limits a bid to one tick under the best ask and an ask to one tick over the best bid', () => {
    expect(postOnlyLimit('bid', { bestBid: 100.2, bestAsk: 100.4 }, 0.1)).toBe(100.3);
    expect(postOnlyLimit('ask', { bestBid: 100, bestAsk: 100.4 }, 0.1)).toBe(100.1);
  });

  it('has no limit without the opposite side of the book', () => {
    expect(postOnlyLimit('bid', { bestBid: 99 }, 0.1)).toBeUndefined();
    expect(postOnlyLimit('ask', { bestAsk: 101 }, 0.1)).toBeUndefined();
  });

  it('moves a level beyond the limit to it, and deeper levels a tick behind the level before', () => {
    expect(postOnlyPrice('bid', 0, 100.5, 100.3, NaN, 0.1)).toBe(100.3);
    expect(postOnlyPrice('bid', 1, 100.4, 100.3, 100.3, 0.1)).toBe(100.2);
    expect(postOnlyPrice('bid', 2, 100.1, 100.3, 100.2, 0.1)).toBe(100.1);
    expect(postOnlyPrice('ask', 0, 99.9, 100.1, NaN, 0.1)).toBe(100.1);
    expect(postOnlyPrice('ask', 1, 100.1, 100.1, 100.1, 0.1)).toBe(100.2);
    expect(postOnlyPrice('ask', 1, 100.6, 100.1, 100.1, 0.1)).toBe(100.6);
  });
});

describe('minimum order value guard', () => {
  it('drops levels under $10 and levels of zero size, each with its reason, from the given index on', () => {
    const otherSide = quote('ask', 0, 101, 0.01);
    const quotes = [otherSide, quote('bid', 0, 100, 0.2), quote('bid', 1, 99, 0.09), quote('bid', 2, 98, 0), quote('bid', 3, 97, 0.2)];
    const notes = dropSmallLevels(quotes, 1, 10, NO_NOTES);
    expect(quotes.map((q) => [q.side, q.level])).toEqual([['ask', 0], ['bid', 0], ['bid', 3]]);
    expect(quotes[0]).toBe(otherSide);
    expect(notes.map(describeQuoteNote)).toEqual([
      'level 1 dropped: $8.91 is below the $10 minimum order value',
      'level 2 dropped: size is zero (inventory_skew_size at the position limit)',
    ]);
  });

  it('keeps a level worth exactly the minimum, and returns the notes it was given when it drops nothing', () => {
    const quotes = [quote('ask', 0, 100, 0.1)];
    expect(dropSmallLevels(quotes, 0, 10, NO_NOTES)).toBe(NO_NOTES);
    expect(quotes).toHaveLength(1);
  });

  it('adds its notes to a new array, leaving the one it was given as it was', () => {
    const given = spreadGuardNotes('bid', 5, mid, guards, undefined);
    const notes = dropSmallLevels([quote('bid', 0, 100, 0.01)], 0, 10, given);
    expect(notes.map((note) => note.kind)).toEqual(['widened', 'belowMinNotional']);
    expect(given.map((note) => note.kind)).toEqual(['widened']);
  });
});
