import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { InPlaceMap } from '../../src/core/in-place-map.js';

describe('InPlaceMap', () => {
  it('finds orders by cloid as they are placed, replaced and canceled', () => {
    const orders = new InPlaceMap<{ px: number }>();
    orders.set('0xa1', { px: 100 });
    orders.set('0xa2', { px: 101 });
    orders.set('0xa1', { px: 99 });
    expect(orders.get('0xa1')).toEqual({ px: 99 });
    expect(orders.delete('0xa2')).toBe(true);
    expect(orders.delete('0xa2')).toBe(false);
    expect(orders.has('0xa2')).toBe(false);
    expect(orders.get('0xa3')).toBeUndefined();
    expect(orders.size).toBe(1);
  });

  it('keeps every key reachable through a long churn of unique keys', () => {
    const orders = new InPlaceMap<number>();
    for (let n = 0; n < 50_000; n += 1) {
      orders.set(`0x${n.toString(16).padStart(32, '0')}`, n);
      if (n >= 8) orders.delete(`0x${(n - 8).toString(16).padStart(32, '0')}`);
    }
    expect(orders.size).toBe(8);
    for (let n = 49_992; n < 50_000; n += 1) expect(orders.get(`0x${n.toString(16).padStart(32, '0')}`)).toBe(n);
  });

  it('tells apart keys that differ only before the characters it hashes', () => {
    const tail = '0123456789abcdef';
    const orders = new InPlaceMap<number>();
    for (let n = 0; n < 40; n += 1) orders.set(`${n}:${tail}`, n);
    for (let n = 0; n < 40; n += 2) orders.delete(`${n}:${tail}`);
    for (let n = 0; n < 40; n += 1) expect(orders.get(`${n}:${tail}`)).toBe(n % 2 === 1 ? n : undefined);
  });

  it('answers like a JS Map for any mix of sets, deletes and lookups, through growth', () => {
    // Few distinct keys, so probe runs collide, wrap around and are cut by deletes.
    const key = fc.integer({ min: 0, max: 120 }).map((n) => `k${n}`);
    const operation = fc.oneof(
      { arbitrary: fc.tuple(fc.constant('set' as const), key, fc.integer()), weight: 5 },
      { arbitrary: fc.tuple(fc.constant('delete' as const), key, fc.constant(0)), weight: 4 },
      { arbitrary: fc.tuple(fc.constant('get' as const), key, fc.constant(0)), weight: 3 },
    );
    fc.assert(
      fc.property(fc.array(operation, { maxLength: 2_000 }), (operations) => {
        const map = new InPlaceMap<number>();
        const model = new Map<string, number>();
        for (const [op, k, v] of operations) {
          if (op === 'set') {
            map.set(k, v);
            model.set(k, v);
          } else if (op === 'delete') expect(map.delete(k)).toBe(model.delete(k));
          else expect([map.has(k), map.get(k)]).toEqual([model.has(k), model.get(k)]);
          expect(map.size).toBe(model.size);
        }
        for (const [k, v] of model) expect(map.get(k)).toBe(v);
      }),
      { numRuns: 200 },
    );
  });
});
