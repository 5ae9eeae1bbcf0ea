import { describe, expect, it } from 'vitest';
import { exchangeErrors } from '../../../src/venues/sim/exchange-errors.js';

describe('exchangeErrors', () => {
  it('prints the bbo like the exchange: integers bare, decimals without exponent or trailing zeros', () => {
    expect(exchangeErrors.postOnlyWouldCross(64143, 64144, 0)).toBe(
      'Post only order would have immediately matched, bbo was 64143@64144. asset=0',
    );
    expect(exchangeErrors.postOnlyWouldCross(1e-7, 0.0001234, 173)).toBe(
      'Post only order would have immediately matched, bbo was 0.0000001@0.0001234. asset=173',
    );
  });

  it('prints an empty side as None', () => {
    expect(exchangeErrors.postOnlyWouldCross(Number.NaN, 100.5, 2)).toContain('bbo was None@100.5.');
  });

  it('matches the production captures for minimum value and missing orders', () => {
    expect(exchangeErrors.minNotional(173)).toBe('Order must have minimum value of $10. asset=173');
    expect(exchangeErrors.missingOrder(173)).toBe('Order was never placed, already canceled, or filled. asset=173');
  });
});
