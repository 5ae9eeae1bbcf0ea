import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { NumberHashSet } from '../../../src/data/readers/number-hash-set.js';

describe('NumberHashSet', () => {
  it('holds numbers like a JS Set: NaN once, 0 and -0 as one', () => {
    const set = new NumberHashSet();
    for (const value of [NaN, NaN, 0, -0, 2 ** 53 - 1, 7]) set.add(value);
    expect(set.size).toBe(4);
    expect(set.has(NaN) && set.has(-0) && set.has(0) && set.has(2 ** 53 - 1) && set.has(7)).toBe(true);
    expect(set.has(8)).toBe(false);
  });

  it('answers like a JS Set for any mix of adds, lookups and clears, through growth', () => {
    const value = fc.oneof(fc.integer({ min: 0, max: 3_000 }), fc.maxSafeNat(), fc.double(), fc.constantFrom(0, -0, NaN));
    const operation = fc.oneof(
      { arbitrary: value.map((v) => ({ op: 'add' as const, v })), weight: 8 },
      { arbitrary: value.map((v) => ({ op: 'has' as const, v })), weight: 4 },
      { arbitrary: fc.constant({ op: 'clear' as const, v: 0 }), weight: 1 },
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 3_000 }), (operations) => {
        const set = new NumberHashSet();
        const model = new Set<number>();
        for (const { op, v } of operations) {
          if (op === 'add') {
            set.add(v);
            model.add(v);
          } else if (op === 'clear') {
            set.clear();
            model.clear();
          } else expect(set.has(v)).toBe(model.has(v));
          expect(set.size).toBe(model.size);
        }
        for (const v of model) expect(set.has(v)).toBe(true);
      }),
      { numRuns: 200 },
    );
  });
});
