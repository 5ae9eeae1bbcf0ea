/** Largest fall of equity from a running peak, in USD (≥ 0). */
export function maxDrawdown(equity: ArrayLike<number>): number {
  let peak = -Infinity;
  let worst = 0;
  for (let i = 0; i < equity.length; i++) {
    const value = equity[i]!;
    if (value > peak) peak = value;
    else if (peak - value > worst) worst = peak - value;
  }
  return worst;
}

const MINUTES_PER_YEAR = 365 * 24 * 60;

/**
 * Annualized Sharpe ratio of per-minute equity changes (relative to `capital`), from equity
 * sampled at times `ts`: the equity at each minute boundary is the last sample at or before it.
 * 0 when there are fewer than two minutes or the changes do not vary.
 */
export function minuteSharpe(ts: ArrayLike<number>, equity: ArrayLike<number>, capital: number): number {
  if (ts.length < 2) return 0;
  const returns: number[] = [];
  let boundary = ts[0]! + 60_000;
  let previous = equity[0]!;
  let last = equity[0]!;
  for (let i = 0; i < ts.length; i++) {
    while (ts[i]! >= boundary) {
      returns.push((last - previous) / capital);
      previous = last;
      boundary += 60_000;
    }
    last = equity[i]!;
  }
  if (returns.length < 2) return 0;
  const mean = returns.reduce((sum, r) => sum + r, 0) / returns.length;
  const variance = returns.reduce((sum, r) => sum + (r - mean) ** 2, 0) / (returns.length - 1);
  if (!(variance > 0)) return 0;
  return (mean / Math.sqrt(variance)) * Math.sqrt(MINUTES_PER_YEAR);
}
