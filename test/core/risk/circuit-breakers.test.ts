import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ApiErrorWindow, MidHistory } from '../../../src/core/risk/circuit-breakers.js';


/** Brute force: the largest move beyond `fraction` from any mid recorded in the window (1 s buckets). */
function largestMove(seen: readonly { ts: number; mid: number }[], mid: number, ts: number, windowMs: number, fraction: number): number {
  let largest = 0;
  for (const earlier of seen) {
    if (Math.floor(earlier.ts / 1000) * 1000 + 1000 <= ts - windowMs) continue;
    const move = Math.abs(mid - earlier.mid);
    if (move > fraction * earlier.mid) largest = Math.max(largest, move / earlier.mid);
  }
  return largest;
}

describe('MidHistory', () => {
  it('reports a rise or a drop beyond the threshold as a fraction of the earlier mid', () => {
    const mids = new MidHistory(60_000);
    mids.record(0, 100);
    mids.record(10_000, 99.5);
    expect(mids.moveBeyond(101, 20_000, { windowMs: 60_000, fraction: 0.01 })).toBeCloseTo(1.5 / 99.5, 12);
    expect(mids.moveBeyond(98.4, 20_000, { windowMs: 60_000, fraction: 0.01 })).toBeCloseTo(1.6 / 100, 12);
    expect(mids.moveBeyond(99.6, 20_000, { windowMs: 60_000, fraction: 0.01 })).toBe(0);
  });

  it('does not count a move of exactly the threshold', () => {
    const mids = new MidHistory(60_000);
    mids.record(0, 100);
    expect(mids.moveBeyond(101, 1000, { windowMs: 60_000, fraction: 0.01 })).toBe(0);
    expect(mids.moveBeyond(99, 1000, { windowMs: 60_000, fraction: 0.01 })).toBe(0);
  });

  it('forgets mids older than its horizon after the ring wraps around', () => {
    const mids = new MidHistory(5000);
    mids.record(0, 50);
    for (let ts = 1000; ts <= 20_000; ts += 1000) mids.record(ts, 100);
    expect(mids.moveBeyond(100, 20_000, { windowMs: 5000, fraction: 0.01 })).toBe(0);
  });

  it('agrees with a brute-force scan when two windows are queried at later times between records', () => {
    const op = fc.record({
      dt: fc.integer({ min: 0, max: 3000 }),
      mid: fc.double({ min: 90, max: 110, noNaN: true }),
      recordIt: fc.boolean(),
      windowMs: fc.constantFrom(5000, 20_000),
    });
    fc.assert(
      fc.property(fc.array(op, { minLength: 1, maxLength: 300 }), (ops) => {
        const mids = new MidHistory(30_000);
        const seen: { ts: number; mid: number }[] = [];
        let ts = 0;
        for (const { dt, mid, recordIt, windowMs } of ops) {
          ts += dt;
          if (recordIt) {
            mids.record(ts, mid);
            seen.push({ ts, mid });
          }
          expect(mids.moveBeyond(mid, ts, { windowMs, fraction: 0.01 })).toBeCloseTo(largestMove(seen, mid, ts, windowMs, 0.01), 12);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('agrees with a brute-force scan of every mid recorded within the window (1 s resolution)', () => {
    const step = fc.record({ dt: fc.integer({ min: 0, max: 4000 }), mid: fc.double({ min: 90, max: 110, noNaN: true }) });
    fc.assert(
      fc.property(fc.array(step, { minLength: 1, maxLength: 200 }), fc.integer({ min: 1000, max: 30_000 }), (steps, windowMs) => {
        const mids = new MidHistory(30_000);
        const seen: { ts: number; mid: number }[] = [];
        let ts = 0;
        for (const { dt, mid } of steps) {
          ts += dt;
          mids.record(ts, mid);
          seen.push({ ts, mid });
          expect(mids.moveBeyond(mid, ts, { windowMs, fraction: 0.02 })).toBeCloseTo(largestMove(seen, mid, ts, windowMs, 0.02), 12);
        }
      }),
      { numRuns: 200 },
    );
  });
});

describe('ApiErrorWindow', () => {
  it('counts the errors younger than the window, up to one more than the limit', () => {
    const errors = new ApiErrorWindow(5);
    errors.record(0, 3);
    errors.record(30_000, 2);
    expect(errors.recent(59_999, 60_000)).toBe(5);
    expect(errors.recent(60_000, 60_000)).toBe(2);
    errors.record(40_000, 10);
    expect(errors.recent(40_000, 60_000)).toBe(6);
  });
});
