import fc from 'fast-check';

const digitRun = (minLength: number, maxLength: number): fc.Arbitrary<string> =>
  fc.string({ unit: fc.constantFrom(...'0123456789'), minLength, maxLength });

/** What readPlainDecimal reads by itself: digits with at most one inner dot, at most 15 digits. */
export function isPlainDecimal(text: string): boolean {
  return /^\d+(\.\d+)?$/.test(text) && text.replace('.', '').length <= 15;
}

const sign = fc.oneof({ weight: 8, arbitrary: fc.constant('') }, { weight: 1, arbitrary: fc.constantFrom('-', '+') });
const fraction = fc.oneof({ weight: 1, arbitrary: fc.constant('') }, { weight: 3, arbitrary: digitRun(0, 20).map((digits) => `.${digits}`) });
const exponent = fc.oneof(
  { weight: 8, arbitrary: fc.constant('') },
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom('e', 'E'), fc.constantFrom('', '-', '+'), digitRun(0, 3)).map((parts) => parts.join('')) },
);
/** 14 to 17 digits with the dot anywhere (or nowhere): both sides of the 15-digit limit. */
const nearTheLimit = fc
  .tuple(digitRun(14, 17), fc.integer({ min: -1, max: 17 }))
  .map(([digits, dot]) => (dot < 0 || dot > digits.length ? digits : `${digits.slice(0, dot)}.${digits.slice(dot)}`));

/**
 * Decimal strings and their neighbours: leading zeros, mantissas past 15 digits, dots first or
 * last, signs, exponents, and other text that Number() reads (hex, spaces, Infinity) or refuses.
 */
export const decimalText: fc.Arbitrary<string> = fc.oneof(
  { weight: 6, arbitrary: fc.tuple(sign, digitRun(0, 20), fraction, exponent).map((parts) => parts.join('')) },
  { weight: 3, arbitrary: nearTheLimit },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789.'), maxLength: 18 }) },
  { weight: 1, arbitrary: fc.string({ unit: fc.constantFrom(...'0123456789.-+eExXbo IaNnfity'), maxLength: 12 }) },
);
