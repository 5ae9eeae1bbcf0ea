/**
 * Hyperliquid's price and size rules (HL-PROTOCOL §6), from an asset's szDecimals:
 * a price has at most 5 significant figures and at most (6 − szDecimals) decimals for perps
 * (8 − szDecimals for spot), any integer price is valid, a size has at most szDecimals decimals,
 * and an order is worth at least $10.
 */

export type MarketKind = 'perp' | 'spot';
export type PriceRounding = 'down' | 'up' | 'nearest';

/** Smallest order value, in quote currency (USDC for perps). */
export const MIN_ORDER_NOTIONAL = 10;

const MAX_PRICE_DECIMALS: Readonly<Record<MarketKind, number>> = { perp: 6, spot: 8 };
const SIGNIFICANT_FIGURES = 5;
/** Relative float error tolerated on a notional compared with the $10 minimum. */
const NOTIONAL_SLACK = 1e-9;

const POW10_MIN_EXPONENT = -40;
const POW10_MAX_EXPONENT = 40;
/** Powers of ten parsed from text: each is the double nearest the exact power. */
const POW10: readonly number[] = Array.from(
  { length: POW10_MAX_EXPONENT - POW10_MIN_EXPONENT + 1 },
  (_, i) => Number(`1e${i + POW10_MIN_EXPONENT}`),
);

function pow10(exponent: number): number {
  return POW10[exponent - POW10_MIN_EXPONENT] ?? 10 ** exponent;
}

/**
 * Slack, in grid steps, below which a scaled value counts as on the grid: absorbs float noise
 * such as 0.29 × 100 = 28.999999999999996 and nothing a human would write.
 */
function gridSlack(steps: number): number {
  return 1e-9 + Math.abs(steps) * 1e-15;
}

/** floor(log10(px)) for px > 0, exact at powers of ten. */
function decimalExponent(px: number): number {
  let exponent = Math.floor(Math.log10(px));
  if (pow10(exponent) > px) exponent -= 1;
  else if (pow10(exponent + 1) <= px) exponent += 1;
  return exponent;
}

export interface PriceRules {
  readonly szDecimals: number;
  /** Most decimals any price of this asset may have. */
  readonly maxPriceDecimals: number;
  /** Size step: 10^−szDecimals. */
  readonly lotSize: number;
  /** Price step at `px` (px > 0): 5 significant figures, capped by the decimals rule, at most 1. */
  tickAt(px: number): number;
  isValidPrice(px: number): boolean;
  /**
   * The valid price nearest `px` (px > 0) in the given direction. 'down' returns 0 when no
   * positive valid price is at or below `px`; values within float error (1e-9 of a step, or
   * a few ulps) of a grid price count as on it.
   */
  roundPrice(px: number, mode: PriceRounding): number;
  /** Truncates towards zero to szDecimals decimals (the exchange never rounds a size up). */
  roundSize(sz: number): number;
  /** Positive and a whole number of lots. */
  isValidSize(sz: number): boolean;
  /** px × sz is at least the $10 minimum. */
  meetsMinNotional(px: number, sz: number): boolean;
}

export function priceRules(szDecimals: number, market: MarketKind = 'perp'): PriceRules {
  if (!Number.isInteger(szDecimals) || szDecimals < 0) {
    throw new RangeError(`szDecimals must be an integer >= 0, got ${szDecimals}`);
  }
  const maxPriceDecimals = Math.max(MAX_PRICE_DECIMALS[market] - szDecimals, 0);
  const lotsPerUnit = pow10(szDecimals);

  // Quotes stay in one decade for long stretches: remember the last decade [low, high) and its
  // step decimals so most calls skip Math.log10. Invalid prices never reach here.
  let decadeLow = Infinity;
  let decadeHigh = -Infinity;
  let decadeDecimals = 0;

  /** Decimals of the price step at px. */
  const tickDecimals = (px: number): number => {
    if (px >= decadeLow && px < decadeHigh) return decadeDecimals;
    const exponent = decimalExponent(px);
    decadeLow = pow10(exponent);
    decadeHigh = pow10(exponent + 1);
    decadeDecimals = Math.min(Math.max(SIGNIFICANT_FIGURES - 1 - exponent, 0), maxPriceDecimals);
    return decadeDecimals;
  };

  const requirePositive = (px: number): void => {
    if (!(px > 0) || !Number.isFinite(px)) throw new RangeError(`price must be finite and > 0, got ${px}`);
  };

  return {
    szDecimals,
    maxPriceDecimals,
    lotSize: 1 / lotsPerUnit,
    tickAt(px) {
      requirePositive(px);
      return pow10(-tickDecimals(px));
    },
    isValidPrice(px) {
      if (!(px > 0) || !Number.isFinite(px)) return false;
      const steps = px * pow10(tickDecimals(px));
      const whole = Math.round(steps);
      return whole >= 1 && Math.abs(steps - whole) <= gridSlack(steps);
    },
    roundPrice(px, mode) {
      requirePositive(px);
      const scale = pow10(tickDecimals(px));
      const steps = px * scale;
      const slack = gridSlack(steps);
      const whole =
        mode === 'down'
          ? Math.floor(steps + slack)
          : mode === 'up'
            ? Math.ceil(steps - slack)
            : Math.round(steps);
      // Dividing a whole number by an exact power of ten gives the double nearest the decimal;
      // a result that crosses into the next power of ten lands on that power, which is valid.
      return whole / scale;
    },
    roundSize(sz) {
      const lots = Math.abs(sz) * lotsPerUnit;
      const truncated = Math.floor(lots + gridSlack(lots)) / lotsPerUnit;
      return sz < 0 ? -truncated : truncated;
    },
    isValidSize(sz) {
      if (!(sz > 0) || !Number.isFinite(sz)) return false;
      const lots = sz * lotsPerUnit;
      const whole = Math.round(lots);
      return whole >= 1 && Math.abs(lots - whole) <= gridSlack(lots);
    },
    meetsMinNotional(px, sz) {
      return px * sz >= MIN_ORDER_NOTIONAL * (1 - NOTIONAL_SLACK);
    },
  };
}
