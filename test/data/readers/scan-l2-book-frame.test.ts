import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseL2BookData } from '../../../src/data/readers/l2-book-frame.js';
import { L2BookFrameScanner } from '../../../src/data/readers/scan-l2-book-frame.js';

const decimal = fc
  .tuple(fc.integer({ min: 0, max: 200_000 }), fc.integer({ min: 0, max: 6 }), fc.integer({ min: 0, max: 999_999 }))
  .map(([whole, places, fraction]) => (places === 0 ? String(whole) : `${whole}.${String(fraction).padStart(6, '0').slice(0, places)}`));
const level = fc.record({ px: decimal, sz: decimal, n: fc.integer({ min: 0, max: 50 }) });
const frame = fc.record({
  coin: fc.constantFrom('BTC', 'ETH', 'kPEPE', '@107', 'xyz:TSLA'),
  time: fc.integer({ min: 1_600_000_000_000, max: 1_900_000_000_000 }),
  bids: fc.array(level, { maxLength: 22 }),
  asks: fc.array(level, { maxLength: 22 }),
});

/** The frame exactly as Hyperliquid serialises it: fixed key order, no spaces. */
function hyperliquidText(f: { coin: string; time: number; bids: unknown[]; asks: unknown[] }): string {
  return JSON.stringify({ channel: 'l2Book', data: { coin: f.coin, time: f.time, levels: [f.bids, f.asks] } });
}

function viaJsonParse(text: string, localTs: number): unknown {
  const parsed = JSON.parse(text) as { data: unknown };
  return parseL2BookData(parsed.data, localTs);
}

describe('L2BookFrameScanner', () => {
  it('reads Hyperliquid l2Book frames into the same event (or the same reason) as JSON.parse', () => {
    const scanner = new L2BookFrameScanner();
    fc.assert(
      fc.property(frame, fc.integer({ min: 0, max: 2e12 }), (f, localTs) => {
        const text = hyperliquidText(f);
        const prefix = 'xx';
        expect(scanner.scan(prefix + text, prefix.length, prefix.length + text.length, localTs)).toEqual(viaJsonParse(text, localTs));
      }),
      { numRuns: 2000 },
    );
  });

  it('declines any other form (spaces, another key order, escapes), leaving it to JSON.parse', () => {
    const scanner = new L2BookFrameScanner();
    fc.assert(
      fc.property(frame, fc.integer({ min: 0, max: 3 }), (f, variant) => {
        let text = hyperliquidText(f);
        if (variant === 0) text = text.replace('"data":', '"data": ');
        if (variant === 1) text = JSON.stringify({ data: { coin: f.coin, time: f.time, levels: [f.bids, f.asks] }, channel: 'l2Book' });
        if (variant === 2) text = text.replace(`"coin":"${f.coin}"`, `"coin":"${f.coin}\\u0041"`);
        if (variant === 3) text = `${text} `;
        expect(scanner.scan(text, 0, text.length, 0)).toBeUndefined();
      }),
      { numRuns: 1000 },
    );
  });
});
