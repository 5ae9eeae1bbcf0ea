/** Up to this many digits the mantissa is an exact integer in a double (10^15 < 2^53). */
export const MAX_EXACT_DIGITS = 15;
/** Built by multiplying, each step exact, so no pow() rounding can creep in. */
export const POWERS_OF_TEN: readonly number[] = powersOfTen();
const ZERO = 48;
const NINE = 57;
const DOT = 46;

/**
 * `Number(text)`, bit for bit, computed in JavaScript for plain decimals such as "42123.5":
 * Number() of a string that is not an integer leaves optimised code for the runtime, which costs
 * more than the parse. With at most 15 digits the mantissa and 10^fraction are exact doubles, so
 * their quotient is the correctly rounded value of the decimal, which is what Number() returns.
 * Anything else (signs, exponents, spaces, long or empty strings) goes to Number().
 */
export function parseDecimalString(text: string): number {
  const length = text.length;
  if (length === 0 || length > MAX_EXACT_DIGITS + 1) return Number(text);
  let mantissa = 0;
  let digits = 0;
  let dot = -1;
  for (let index = 0; index < length; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= ZERO && code <= NINE) {
      mantissa = mantissa * 10 + (code - ZERO);
      digits += 1;
    } else if (code === DOT && dot < 0) {
      dot = index;
    } else {
      return Number(text);
    }
  }
  // "5." and ".5" are numbers too, but rare enough to leave to Number().
  if (digits > MAX_EXACT_DIGITS || dot === 0 || dot === length - 1) return Number(text);
  return dot < 0 ? mantissa : mantissa / POWERS_OF_TEN[length - 1 - dot]!;
}

function powersOfTen(): number[] {
  const powers = [1];
  for (let power = 1; power <= MAX_EXACT_DIGITS; power += 1) powers.push(powers[power - 1]! * 10);
  return powers;
}
