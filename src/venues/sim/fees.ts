/**
 * Trading fees as rates of notional (0.00015 = 0.015%); positive = cost, negative = rebate.
 */
export interface FeeSchedule {
  readonly makerRate: number;
  readonly takerRate: number;
}

/** Hyperliquid perp fee tiers by 14-day weighted volume, tier 0 (≤ $5M) to 6 (HL-PROTOCOL §10). */
export const HL_PERP_FEE_TIERS: readonly FeeSchedule[] = [
  { takerRate: 0.00045, makerRate: 0.00015 },
  { takerRate: 0.0004, makerRate: 0.00012 },
  { takerRate: 0.00035, makerRate: 0.00008 },
  { takerRate: 0.0003, makerRate: 0.00004 },
  { takerRate: 0.00028, makerRate: 0 },
  { takerRate: 0.00026, makerRate: 0 },
  { takerRate: 0.00024, makerRate: 0 },
];

/** Base tier: maker 0.015%, taker 0.045%, both a cost. */
export const BASE_PERP_FEES: FeeSchedule = HL_PERP_FEE_TIERS[0]!;

/** Fee for one fill in quote currency: rate × px × sz. */
export function tradeFee(schedule: FeeSchedule, maker: boolean, px: number, sz: number): number {
  return (maker ? schedule.makerRate : schedule.takerRate) * px * sz;
}
