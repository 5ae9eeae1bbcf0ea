/**
 * Why a best-first book cannot be replayed (an empty side, a bad level, levels out of order, a
 * crossed top), or undefined when it can.
 */
export function bookProblem(
  bidPx: Float64Array,
  bidSz: Float64Array,
  askPx: Float64Array,
  askSz: Float64Array,
): string | undefined {
  if (bidPx.length === 0 || askPx.length === 0) {
    return `empty book (${bidPx.length} bid and ${askPx.length} ask levels)`;
  }
  const sideProblem = levelsProblem('bid', bidPx, bidSz, -1) ?? levelsProblem('ask', askPx, askSz, 1);
  if (sideProblem !== undefined) return sideProblem;
  const bestBid = bidPx[0]!;
  const bestAsk = askPx[0]!;
  return bestBid >= bestAsk ? `crossed book: best bid ${bestBid} >= best ask ${bestAsk}` : undefined;
}

/** `direction` is -1 when prices must fall level by level (bids), +1 when they must rise (asks). */
function levelsProblem(side: string, px: Float64Array, sz: Float64Array, direction: number): string | undefined {
  for (let level = 0; level < px.length; level += 1) {
    const price = px[level]!;
    const size = sz[level]!;
    if (!(price > 0 && Number.isFinite(price) && size > 0 && Number.isFinite(size))) {
      return `${side} level ${level} has price ${price} and size ${size}; both must be positive numbers`;
    }
    if (level > 0 && (price - px[level - 1]!) * direction <= 0) {
      return `${side} levels are not best-first at level ${level} (${px[level - 1]} then ${price})`;
    }
  }
  return undefined;
}
