import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { QUEUE_MODEL_NAMES, queueModel } from '../../../src/venues/sim/queue-models.js';

describe('queue models', () => {
  it('risk-averse: a cancellation moves the order forward only when there is not that much behind', () => {
    expect(queueModel('risk-averse').aheadAfterCancel(5, 3, 2)).toBe(5);
    expect(queueModel('risk-averse').aheadAfterCancel(5, 3, 4)).toBe(4);
  });

  it('power2: a cancel is as likely ahead as behind when the two are equal', () => {
    expect(queueModel('power2').aheadAfterCancel(5, 5, 2)).toBeCloseTo(4, 12);
  });

  it('log: f(x) = ln(1 + x) weights ahead against behind', () => {
    const shareAhead = Math.log(3) / (Math.log(3) + Math.log(9));
    expect(queueModel('log').aheadAfterCancel(2, 8, 3)).toBeCloseTo(2 - 3 * shareAhead, 12);
  });

  it('what the size behind cannot absorb comes from ahead', () => {
    // log, 10 ahead, 1 behind, 5 cancelled: the share behind (≈1.12) exceeds the 1 behind.
    expect(queueModel('log').aheadAfterCancel(10, 1, 5)).toBeCloseTo(6, 12);
  });

  it('at the front nothing can be cancelled ahead; with nothing behind, all of it was ahead', () => {
    for (const name of QUEUE_MODEL_NAMES) expect(queueModel(name).aheadAfterCancel(0, 7, 3)).toBe(0);
    expect(queueModel('power3').aheadAfterCancel(6, 0, 2)).toBeCloseTo(4, 12);
  });

  it('every model keeps the queue ahead between what is left and what was there', () => {
    const size = fc.double({ min: 0, max: 1e4, noNaN: true });
    fc.assert(
      fc.property(fc.constantFrom(...QUEUE_MODEL_NAMES), size, size, fc.double({ min: 0, max: 1, noNaN: true }), (name, ahead, behind, fraction) => {
        const cancelled = (ahead + behind) * fraction;
        const after = queueModel(name).aheadAfterCancel(ahead, behind, cancelled);
        const slack = 1e-9 * (1 + ahead + behind);
        return after >= 0 && after <= ahead + slack && after <= ahead + behind - cancelled + slack;
      }),
    );
  });
});
