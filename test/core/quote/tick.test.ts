import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { snapDown, snapUp, tickAbove, tickBelow } from '../../../src/core/quote/tick.js';

describe('price grid', () => {
  it('snaps bids down and asks up, landing on the exact decimal', () => {
    expect(snapDown(100.37, 0.1)).toBe(100.3);
    expect(snapUp(100.31, 0.1)).toBe(100.4);
    expect(snapDown(0.123456, 0.00001)).toBe(0.12345);
    expect(snapUp(0.123451, 0.00001)).toBe(0.12346);
    expect(snapDown(113377.9, 1)).toBe(113377);
    expect(snapUp(12.1, 5)).toBe(15);
  });

  it('leaves a price already on the grid where it is, despite float noise', () => {
    expect(100.3 / 0.1).not.toBe(1003);
    expect(snapDown(100.3, 0.1)).toBe(100.3);
    expect(snapUp(100.3, 0.1)).toBe(100.3);
  });

  it('steps one tick from a grid price', () => {
    expect(tickBelow(100.3, 0.1)).toBe(100.2);
    expect(tickAbove(100.3, 0.1)).toBe(100.4);
    expect(tickBelow(3000, 0.1)).toBe(2999.9);
  });

  it('snaps right when the tick changes from one call to the next', () => {
    for (let round = 0; round < 2; round++) {
      expect(snapDown(100.37, 0.1)).toBe(100.3);
      expect(snapDown(100.37, 0.01)).toBe(100.37);
      expect(snapUp(12.1, 5)).toBe(15);
      expect(snapDown(100.37, 0.25)).toBe(100.25);
      expect(snapUp(100.31, 0.1)).toBe(100.4);
    }
  });

  it('never moves a price by a tick or more, and never towards the other side', () => {
    const tick = fc.constantFrom(1, 0.1, 0.01, 0.001, 0.00001, 0.5, 5);
    fc.assert(
      fc.property(fc.double({ min: 0.001, max: 200_000, noNaN: true }), tick, (price, step) => {
        const down = snapDown(price, step);
        const up = snapUp(price, step);
        expect(down).toBeLessThanOrEqual(price + step * 1e-6);
        expect(price - down).toBeLessThan(step);
        expect(up).toBeGreaterThanOrEqual(price - step * 1e-6);
        expect(up - price).toBeLessThan(step);
      }),
    );
  });
});
