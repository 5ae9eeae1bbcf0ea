import { describe, expect, it } from 'vitest';
import type { FundingEvent } from '../../../src/core/types.js';
import { HourlyFunding, parseAssetCtxFunding } from '../../../src/data/readers/asset-ctx-funding.js';

const H13 = Date.UTC(2025, 0, 26, 13);
const HOUR = 3_600_000;

function advance(funding: HourlyFunding, ts: number): string[] {
  const events: FundingEvent[] = [];
  funding.advanceTo(ts, (event) => events.push(event));
  return events.map((event) => `${event.coin} ${new Date(event.exchTs).toISOString().slice(11, 16)} ${event.rate} @${event.oraclePx}`);
}

describe('parseAssetCtxFunding', () => {
  it('takes the coin, the hourly rate and the oracle price of an activeAssetCtx frame', () => {
    const data = { coin: 'BTC', ctx: { funding: '-0.0000125', oraclePx: '104990.0', markPx: '105000.0', openInterest: '1.0' } };
    expect(parseAssetCtxFunding(data)).toEqual({ coin: 'BTC', rate: -0.0000125, oraclePx: 104990 });
  });

  it.each([
    [{ coin: 'BTC' }, 'activeAssetCtx frame without a "data.ctx" object'],
    [{ ctx: { funding: '0.0001', oraclePx: '1' } }, 'activeAssetCtx frame without a coin'],
    [{ coin: 'BTC', ctx: { funding: 'x', oraclePx: '1' } }, 'activeAssetCtx funding "x" is not a number'],
    [{ coin: 'BTC', ctx: { funding: '0.0001' } }, 'activeAssetCtx oraclePx undefined must be a positive number'],
  ])('says why %j cannot be used', (data, reason) => {
    expect(parseAssetCtxFunding(data)).toBe(reason);
  });
});

describe('HourlyFunding', () => {
  it('pays each coin with a context once at every whole hour the time passes, at the last rate before it', () => {
    const funding = new HourlyFunding();
    expect(advance(funding, H13 - 120_000)).toEqual([]);
    funding.observe({ coin: 'BTC', rate: 0.0001, oraclePx: 100 });
    expect(advance(funding, H13 - 1)).toEqual([]);
    funding.observe({ coin: 'BTC', rate: 0.0002, oraclePx: 101 });
    expect(advance(funding, H13)).toEqual(['BTC 13:00 0.0002 @101']);
    funding.observe({ coin: 'ETH', rate: -0.0003, oraclePx: 3000 });
    expect(advance(funding, H13 + HOUR - 1)).toEqual([]);
    expect(advance(funding, H13 + HOUR + 5)).toEqual(['BTC 14:00 0.0002 @101', 'ETH 14:00 -0.0003 @3000']);
  });

  it('stamps the payment at the hour itself, as exchange and local time', () => {
    const funding = new HourlyFunding();
    advance(funding, H13 - 10);
    funding.observe({ coin: 'BTC', rate: 0.0001, oraclePx: 100 });
    const events: FundingEvent[] = [];
    funding.advanceTo(H13 + 750, (event) => events.push(event));
    expect(events).toEqual([{ type: 'funding', coin: 'BTC', exchTs: H13, localTs: H13, rate: 0.0001, oraclePx: 100 }]);
  });

  it('pays every hour a gap in the recording skips, and nothing when the time goes back', () => {
    const funding = new HourlyFunding();
    advance(funding, H13 - 10);
    funding.observe({ coin: 'BTC', rate: 0.0001, oraclePx: 100 });
    expect(advance(funding, H13 + 2 * HOUR + 1)).toEqual(['BTC 13:00 0.0001 @100', 'BTC 14:00 0.0001 @100', 'BTC 15:00 0.0001 @100']);
    expect(advance(funding, H13)).toEqual([]);
  });

  it('does not pay the hour the recording starts at or before', () => {
    const funding = new HourlyFunding();
    funding.advanceTo(H13, () => undefined);
    funding.observe({ coin: 'BTC', rate: 0.0001, oraclePx: 100 });
    expect(advance(funding, H13 + 1000)).toEqual([]);
  });
});
