import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseDecimalString, readPlainDecimal } from '../../../src/data/readers/decimal-string.js';
import { decimalText, isPlainDecimal } from './decimal-texts.js';

const digits = fc.string({ unit: fc.constantFrom(...'0123456789'), minLength: 1, maxLength: 12 });
const UNTOUCHED = -12345;

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

  it('gives exactly what Number() gives for any decimal-like string', () => {
    fc.assert(
      fc.property(decimalText, (text) => {
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

  it.each([
    '',
    '-1.5',
    '-0',
    '+2',
    '1e5',
    ' 1',
    '1 ',
    '1.2.3',
    '.5',
    '5.',
    '.',
    'abc',
    '0x10',
    'Infinity',
    '000000000000000012.5',
    '1234567890123456',
    '123456789012345.6',
    '12345678901234567890.5',
  ])('falls back to Number() for %j', (text) => {
    expect(Object.is(parseDecimalString(text), Number(text))).toBe(true);
  });
});

describe('readPlainDecimal', () => {
  it('reads a plain decimal of up to 15 digits in place, to the end given, as Number() does', () => {
    fc.assert(
      fc.property(decimalText, fc.string({ maxLength: 3 }), fc.constantFrom('', '"', '9', '.', '5"'), fc.nat(3), (text, before, after, slot) => {
        const into = new Float64Array(4).fill(UNTOUCHED);
        const start = before.length;
        const end = start + text.length;
        const stop = readPlainDecimal(before + text + after, start, end, into, slot);
        if (isPlainDecimal(text)) {
          expect(stop).toBe(end);
          expect(Object.is(into[slot], Number(text))).toBe(true);
        } else if (stop >= 0) {
          // It stopped early, where a character that cannot go on a plain decimal follows one.
          const read = text.slice(0, stop - start);
          expect(isPlainDecimal(read) && stop < end).toBe(true);
          expect(/[0-9]/.test(text[read.length]!) || (text[read.length] === '.' && !read.includes('.'))).toBe(false);
          expect(Object.is(into[slot], Number(read))).toBe(true);
        } else {
          expect(stop).toBe(-1);
          expect(into[slot]).toBe(UNTOUCHED);
        }
      }),
      { numRuns: 5000 },
    );
  });
});
