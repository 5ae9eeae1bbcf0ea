import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseL2BookData } from '../../../src/data/readers/l2-book-frame.js';
import { L2BookFrameScanner } from '../../../src/data/readers/scan-l2-book-frame.js';
import { decimalText, isPlainDecimal } from './decimal-texts.js';

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

const positiveDecimalText = decimalText.filter((text) => Number(text) > 0 && Number.isFinite(Number(text)));
/**
 * A valid book of such decimals (prices distinct, bids below asks, each side best first), half
 * the time of plain decimals only, which the scanner must read itself.
 */
const decimalBook = fc
  .boolean()
  .chain((plainOnly) => {
    const text = plainOnly ? positiveDecimalText.filter(isPlainDecimal) : positiveDecimalText;
    return fc.tuple(fc.uniqueArray(text, { minLength: 2, maxLength: 30, selector: Number }), fc.array(text, { minLength: 30, maxLength: 30 }));
  })
  .map(([prices, sizes]) => {
    const ascending = [...prices].sort((a, b) => Number(a) - Number(b));
    const bidCount = ascending.length >> 1;
    const level = (px: string, index: number) => ({ px, sz: sizes[index]!, n: 1 });
    return {
      coin: 'BTC',
      time: 1_700_000_000_000,
      bids: ascending.slice(0, bidCount).reverse().map(level),
      asks: ascending.slice(bidCount).map((px, index) => level(px, bidCount + index)),
    };
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

  it('reads frames with any decimal strings into what JSON.parse gives, or declines them', () => {
    const scanner = new L2BookFrameScanner();
    const anyLevel = fc.record({ px: decimalText, sz: decimalText, n: fc.constant(1) });
    const anyFrame = fc.record({ coin: fc.constant('BTC'), time: fc.constant(1_700_000_000_000), bids: fc.array(anyLevel, { maxLength: 4 }), asks: fc.array(anyLevel, { maxLength: 4 }) });
    fc.assert(
      fc.property(anyFrame, (f) => {
        const text = hyperliquidText(f);
        const scanned = scanner.scan(text, 0, text.length, 7);
        const allPlain = [...f.bids, ...f.asks].every((level) => isPlainDecimal(level.px) && isPlainDecimal(level.sz));
        if (allPlain || scanned !== undefined) expect(scanned).toEqual(viaJsonParse(text, 7));
      }),
      { numRuns: 2000 },
    );
  });

  it('reads every decimal as Number() does, and reads all plain ones itself', () => {
    const scanner = new L2BookFrameScanner();
    const numbers = (levels: { px: string; sz: string }[], key: 'px' | 'sz') => Float64Array.from(levels, (level) => Number(level[key]));
    fc.assert(
      fc.property(decimalBook, (book) => {
        const text = hyperliquidText(book);
        const expected = {
          type: 'book',
          coin: book.coin,
          exchTs: book.time,
          localTs: 7,
          bidPx: numbers(book.bids, 'px'),
          bidSz: numbers(book.bids, 'sz'),
          askPx: numbers(book.asks, 'px'),
          askSz: numbers(book.asks, 'sz'),
        };
        expect(viaJsonParse(text, 7)).toEqual(expected);
        const scanned = scanner.scan(text, 0, text.length, 7);
        const allPlain = [...book.bids, ...book.asks].every((level) => isPlainDecimal(level.px) && isPlainDecimal(level.sz));
        if (allPlain || scanned !== undefined) expect(scanned).toEqual(expected);
      }),
      { numRuns: 2000 },
    );
  });
});
