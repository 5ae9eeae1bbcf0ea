/**
 * Hyperliquid's own per-order error texts (HL-PROTOCOL §4.4), in the production form with the
 * ` asset=<id>` suffix where the exchange adds it, so simulated rejects read like real ones.
 */

/** A price as the exchange prints it: plain decimal, no exponent, no trailing zeros. */
function formatPrice(px: number): string {
  if (Number.isNaN(px)) return 'None';
  if (Number.isInteger(px)) return String(px);
  return px.toFixed(8).replace(/0+$/, '').replace(/\.$/, '');
}

export const exchangeErrors = {
  tick: (assetId: number): string => `Price must be divisible by tick size. asset=${assetId}`,
  invalidSize: (): string => 'Order has invalid size.',
  minNotional: (assetId: number): string => `Order must have minimum value of $10. asset=${assetId}`,
  reduceOnly: (assetId: number): string => `Reduce only order would increase position. asset=${assetId}`,
  /** `bestBid`/`bestAsk` are NaN for an empty side (printed as None, a guess: not seen in captures). */
  postOnlyWouldCross: (bestBid: number, bestAsk: number, assetId: number): string =>
    `Post only order would have immediately matched, bbo was ${formatPrice(bestBid)}@${formatPrice(bestAsk)}. asset=${assetId}`,
  iocNoMatch: (assetId: number): string =>
    `Order could not immediately match against any resting orders. asset=${assetId}`,
  missingOrder: (assetId: number): string =>
    `Order was never placed, already canceled, or filled. asset=${assetId}`,
  modifyMissing: (): string => 'Cannot modify canceled or filled order',
  /** The simulator's own wording: no exchange capture shows these two cases. */
  duplicateCloid: (cloid: string): string => `Order cloid ${cloid} is already resting.`,
  unknownCoin: (coin: string): string => `Unknown coin ${coin}: it has no asset metadata in this venue.`,
} as const;
