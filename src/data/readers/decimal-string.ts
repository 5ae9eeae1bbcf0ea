/** Up to this many digits the mantissa is an exact integer in a double (10^15 < 2^53). */
export const MAX_EXACT_DIGITS = 15;
/** Built by multiplying, each step exact, so no pow() rounding can creep in. */
const POWERS_OF_TEN: readonly number[] = powersOfTen();
const ZERO = 48;
const NINE = 57;
const DOT = 46;

/** Where parseDecimalString has readPlainDecimal store its value. */
const parsed = new Float64Array(1);

/**
 * `Number(text)`, bit for bit, computed in JavaScript for plain decimals such as "42123.5":
 * Number() of a string that is not an integer leaves optimised code for the runtime, which costs
 * more than the parse. Anything else (signs, exponents, spaces, long or empty strings) goes to
 * Number().
 */
export function parseDecimalString(text: string): number {
  const length = text.length;
  if (length > MAX_EXACT_DIGITS + 1) return Number(text);
  return readPlainDecimal(text, 0, length, parsed, 0) === length ? parsed[0]! : Number(text);
}

/**
 * Reads the plain decimal at `start` in `text` (digits and at most one dot, such as "42123.5") in
 * place, up to `end` or the first character that is neither a digit nor the first dot. Writes what
 * `Number()` gives for it to `into[slot]` (a store rather than a return keeps the double unboxed)
 * and returns where it stopped; returns -1 and writes nothing when the characters read are not a
 * decimal this reads exactly: empty, a dot first or last ("5." and ".5" are rare enough to leave to
 * Number()), or more than 15 digits. With at most 15 digits the mantissa and 10^fraction are exact
 * doubles, so their quotient is the correctly rounded value of the decimal, which is what Number()
 * returns.
 */
export function readPlainDecimal(text: string, start: number, end: number, into: Float64Array, slot: number): number {
  let mantissa = 0;
  let dot = -1;
  let index = start;
  for (; index < end; index += 1) {
    const code = text.charCodeAt(index);
    if (code >= ZERO && code <= NINE) {
      mantissa = mantissa * 10 + (code - ZERO);
    } else if (code === DOT && dot < 0) {
      dot = index;
    } else {
      break;
    }
  }
  const digits = dot < 0 ? index - start : index - start - 1;
  if (digits === 0 || digits > MAX_EXACT_DIGITS || dot === start || dot === index - 1) return -1;
  into[slot] = dot < 0 ? mantissa : mantissa / POWERS_OF_TEN[index - 1 - dot]!;
  return index;
}

function powersOfTen(): number[] {
  const powers = [1];
  for (let power = 1; power <= MAX_EXACT_DIGITS; power += 1) powers.push(powers[power - 1]! * 10);
  return powers;
}
