import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { priceRules, type MarketKind, type PriceRounding } from '../../src/core/price-rules.js';

const MODES: readonly PriceRounding[] = ['down', 'up', 'nearest'];

/** The rule written over decimal text, independent of the float arithmetic under test. */
function isValidDecimalText(text: string, szDecimals: number): boolean {
  const [whole = '', fraction = ''] = text.split('.');
  const decimals = fraction.replace(/0+$/, '');
  if (decimals.length === 0) return true;
  const digits = (whole + decimals).replace(/^0+/, '');
  return decimals.length <= 6 - szDecimals && digits.length <= 5;
}

/** mantissa / 10^decimals written out as decimal text. */
function decimalText(mantissa: number, decimals: number): string {
  const digits = String(mantissa).padStart(decimals + 1, '0');
  if (decimals === 0) return digits;
  return `${digits.slice(0, digits.length - decimals)}.${digits.slice(digits.length - decimals)}`;
}

describe('priceRules: the documented examples (HL-PROTOCOL §6)', () => {
  it('derives the tick from 5 significant figures, the decimals cap, and integers', () => {
    expect(priceRules(5).tickAt(113377)).toBe(1);
    expect(priceRules(4).tickAt(3000)).toBe(0.1);
    expect(priceRules(2).tickAt(150)).toBe(0.01);
    expect(priceRules(0).tickAt(0.2)).toBe(0.00001);
    expect(priceRules(5).tickAt(0.5)).toBe(0.1);
  });

  it('accepts and refuses the example prices', () => {
    const perp0 = priceRules(0);
    expect(perp0.isValidPrice(1234.5)).toBe(true);
    expect(perp0.isValidPrice(1234.56)).toBe(false);
    expect(perp0.isValidPrice(0.001234)).toBe(true);
    expect(perp0.isValidPrice(0.0012345)).toBe(false);
    expect(perp0.isValidPrice(123456)).toBe(true);
    expect(perp0.isValidPrice(12345.6)).toBe(false);
    const perp1 = priceRules(1);
    expect(perp1.isValidPrice(0.01234)).toBe(true);
    expect(perp1.isValidPrice(0.012345)).toBe(false);
    expect(perp0.isValidPrice(0)).toBe(false);
    expect(priceRules(6).isValidPrice(1e-9)).toBe(false);
  });

  it('treats float noise on a valid price as that price', () => {
    const rules = priceRules(0);
    expect(rules.isValidPrice(0.1 + 0.2)).toBe(true);
    expect(rules.roundPrice(0.1 + 0.2, 'down')).toBe(0.3);
    expect(rules.roundPrice(0.1 + 0.2, 'up')).toBe(0.3);
  });

  it('rounds each way to the 5-significant-figure grid', () => {
    const eth = priceRules(4);
    expect(eth.roundPrice(3001.234, 'down')).toBe(3001.2);
    expect(eth.roundPrice(3001.234, 'up')).toBe(3001.3);
    expect(eth.roundPrice(3001.25, 'nearest')).toBe(3001.3);
    expect(eth.roundPrice(999.996, 'up')).toBe(1000);
    expect(eth.roundPrice(999.996, 'down')).toBe(999.99);
    expect(priceRules(5).roundPrice(113377.6, 'nearest')).toBe(113378);
  });

  it('truncates sizes to szDecimals and checks lots and the $10 minimum', () => {
    const sol = priceRules(2);
    expect(sol.lotSize).toBe(0.01);
    expect(sol.roundSize(0.29)).toBe(0.29);
    expect(sol.roundSize(1.239)).toBe(1.23);
    expect(sol.isValidSize(0.29)).toBe(true);
    expect(sol.isValidSize(0.295)).toBe(false);
    expect(sol.isValidSize(0)).toBe(false);
    expect(sol.meetsMinNotional(100, 0.1)).toBe(true);
    expect(sol.meetsMinNotional(0.4, 25)).toBe(true);
    expect(sol.meetsMinNotional(100, 0.09)).toBe(false);
  });

  it('uses 8 − szDecimals price decimals for spot', () => {
    expect(priceRules(0, 'spot').maxPriceDecimals).toBe(8);
    expect(priceRules(0, 'spot').isValidPrice(0.00012345)).toBe(true);
    expect(priceRules(0).isValidPrice(0.00012345)).toBe(false);
  });
});

describe('priceRules: properties', () => {
  const szDecimals = fc.integer({ min: 0, max: 6 });
  const price = fc.double({ min: 1e-7, max: 1e8, noNaN: true });
  const mode = fc.constantFrom(...MODES);

  it('rounding yields a valid price, idempotently', () => {
    fc.assert(
      fc.property(szDecimals, price, mode, mode, (d, px, first, second) => {
        const rules = priceRules(d);
        const rounded = rules.roundPrice(px, first);
        if (rounded === 0) return first === 'down' || first === 'nearest';
        return rules.isValidPrice(rounded) && rules.roundPrice(rounded, second) === rounded;
      }),
    );
  });

  it("'down' ≤ px ≤ 'up', and 'nearest' is one of the two", () => {
    fc.assert(
      fc.property(szDecimals, price, (d, px) => {
        const rules = priceRules(d);
        const down = rules.roundPrice(px, 'down');
        const up = rules.roundPrice(px, 'up');
        const nearest = rules.roundPrice(px, 'nearest');
        // Rounding treats values within float error of a grid price as on it.
        const slack = rules.tickAt(px) * 1e-8 + px * 1e-14;
        return down <= px + slack && px - slack <= up && (nearest === down || nearest === up);
      }),
    );
  });

  it('agrees with the rule applied to the decimal text', () => {
    fc.assert(
      fc.property(
        szDecimals,
        fc.integer({ min: 1, max: 99_999_999 }),
        fc.integer({ min: 0, max: 9 }),
        (d, mantissa, decimals) => {
          const text = decimalText(mantissa, decimals);
          return priceRules(d).isValidPrice(Number(text)) === isValidDecimalText(text, d);
        },
      ),
    );
  });

  it('a truncated size is a valid size no larger than the input', () => {
    fc.assert(
      fc.property(szDecimals, fc.double({ min: 1e-3, max: 1e6, noNaN: true }), (d, sz) => {
        const rules = priceRules(d);
        const truncated = rules.roundSize(sz);
        return truncated <= sz + rules.lotSize * 1e-8 + sz * 1e-14 && (truncated === 0 || rules.isValidSize(truncated));
      }),
    );
  });
});

interface PriceVector {
  readonly price: string;
  readonly szDecimals: number;
  readonly type: MarketKind;
  readonly expected: string;
}
interface SizeVector {
  readonly size: string;
  readonly szDecimals: number;
  readonly expected: string;
}
interface Vectors {
  readonly format_price_vectors: { readonly cases: readonly PriceVector[] };
  readonly format_size_vectors: { readonly cases: readonly SizeVector[] };
}

const vectorsPath = fileURLToPath(new URL('../../../shared/hl-vectors.json', import.meta.url));
/** Both SDK formatters refuse a value that truncates to zero; roundPrice/roundSize return 0. */
const truncatedToZero = (expected: string): number => (expected.startsWith('FormatError') ? 0 : Number(expected));

// The vectors are shared test data outside the project; without them this block is skipped.
describe.skipIf(!existsSync(vectorsPath))('priceRules: SDK formatter vectors in ../shared/hl-vectors.json', () => {
  const vectors = existsSync(vectorsPath) ? (JSON.parse(readFileSync(vectorsPath, 'utf8')) as Vectors) : undefined;

  it("truncates prices like nktkas formatPrice ('down')", () => {
    // Book prices are positive; the formatter's handling of a minus sign is not a price rule.
    const cases = vectors!.format_price_vectors.cases.filter((c) => Number(c.price) > 0);
    expect(cases.length).toBeGreaterThan(10);
    for (const c of cases) {
      const rules = priceRules(c.szDecimals, c.type);
      expect(rules.roundPrice(Number(c.price), 'down'), `${c.type} ${c.price} szDecimals=${c.szDecimals}`).toBe(
        truncatedToZero(c.expected),
      );
    }
  });

  it('truncates sizes like nktkas formatSize', () => {
    const cases = vectors!.format_size_vectors.cases;
    expect(cases.length).toBeGreaterThan(5);
    for (const c of cases) {
      expect(priceRules(c.szDecimals).roundSize(Number(c.size)), `${c.size} szDecimals=${c.szDecimals}`).toBe(
        truncatedToZero(c.expected),
      );
    }
  });
});

const samplesDir = fileURLToPath(new URL('../../../shared/hl-samples/', import.meta.url));

interface RecordedLevel {
  readonly px: string;
  readonly sz: string;
}

// Real l2Book captures are shared test data outside the project; without them this block is skipped.
describe.skipIf(!existsSync(samplesDir))('priceRules: real l2Book captures in ../shared/hl-samples', () => {
  const captures = [
    { file: 'hftbt__ws_l2Book_BTC.json', szDecimals: 5 },
    { file: 'nautilus__http_l2_book_btc.json', szDecimals: 5 },
    { file: 'hlsdk__info_l2Book_DYDX.json', szDecimals: 1 },
  ] as const;

  it.each(captures)('every price and size in $file is valid (szDecimals $szDecimals)', ({ file, szDecimals }) => {
    const raw = JSON.parse(readFileSync(`${samplesDir}${file}`, 'utf8')) as {
      readonly levels?: readonly (readonly RecordedLevel[])[];
      readonly data?: { readonly levels: readonly (readonly RecordedLevel[])[] };
    };
    const levels = (raw.levels ?? raw.data?.levels ?? []).flat();
    expect(levels.length).toBeGreaterThanOrEqual(10);
    const rules = priceRules(szDecimals);
    for (const level of levels) {
      expect(rules.isValidPrice(Number(level.px)), level.px).toBe(true);
      expect(rules.isValidSize(Number(level.sz)), level.sz).toBe(true);
    }
  });
});
