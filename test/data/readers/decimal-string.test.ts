import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalString } from '../../../src/data/readers/decimal-string.js';

const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 });

describe('parseDecimalString', () => {
  it('gives exactly what Number() gives for plain decimals', () => {
    fc.assert(
      fc.property(digits, fc.option(fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 10 })), (whole, fraction) => {
        const text = fraction === null ? whole : `${whole}.${fraction}`;
        expect(Object.is(parseDecimalString(text), Number(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it('round-trips the shortest string of any positive double with up to 15 significant digits', () => {
    fc.assert(
      fc.property(fc.double({ min: 1e-8, max: 1e9, noNaN: true }), fc.integer({ min: 1, max: 15 }), (value, precision) => {
        const text = String(Number(value.toPrecision(precision)));
        if (/e/i.test(text)) return;
        expect(Object.is(parseDecimalString(text), Number(text))).toBe(true);
      }),
      { numRuns: 5000 },
    );
  });

  it.each(['', '-1.5', '+2', '1e5', ' 1', '1 ', '1.2.3', '.5', '5.', '.', 'abc', '12345678901234567890.5'])(
    'falls back to Number() for %j',
    (text) => {
      expect(Object.is(parseDecimalString(text), Number(text))).toBe(true);
    },
  );
});
