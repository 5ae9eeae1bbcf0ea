import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import type { BookDeltaEvent, BookSnapshotEvent, Side, TradeEvent } from '../../src/core/types.js';
import { CoinMarket } from '../../src/strategy/coin-market.js';

function ethMarket(settings: Record<string, unknown> = {}): CoinMarket {
  return new CoinMarket(parseConfig('test-market.json', { coins: ['ETH'], ...settings }, 'test-market').coins.ETH!);
}

/** A one-level ETH book; an empty side when its price is NaN. */
function book(ts: number, bid: number, ask: number): BookSnapshotEvent {
  const side = (px: number) => (Number.isNaN(px) ? new Float64Array(0) : Float64Array.of(px));
  const size = (px: number) => (Number.isNaN(px) ? new Float64Array(0) : Float64Array.of(2));
  return { type: 'book', coin: 'ETH', exchTs: ts, localTs: ts, bidPx: side(bid), bidSz: size(bid), askPx: side(ask), askSz: size(ask) };
}

function delta(ts: number, side: Side, px: number, sz: number): BookDeltaEvent {
  return { type: 'bookDelta', coin: 'ETH', exchTs: ts, localTs: ts, side, px, sz };
}

function trade(ts: number, px: number, sz: number, aggressor: Side): TradeEvent {
  return { type: 'trade', coin: 'ETH', exchTs: ts, localTs: ts, px, sz, side: aggressor };
}

describe('CoinMarket', () => {
  it('is ready once the book is two-sided and 20 mid returns have warmed up the volatility', () => {
    const market = ethMarket();
    expect(market.ready).toBe(false);
    for (let i = 0; i < 20; i++) market.onMarketEvent(book(i * 100, 3000 + (i % 2) * 0.1, 3000.2 + (i % 2) * 0.1));
    expect(market.volatility.samples).toBe(19);
    expect(market.ready).toBe(false);

    market.onMarketEvent(book(2_000, 3000, 3000.2));
    expect(market.volatility.samples).toBe(20);
    expect(market.ready).toBe(true);
    expect(market.volatility.sigma).toBeGreaterThan(0);

    market.onMarketEvent(book(2_100, 3000, NaN));
    expect(market.ready).toBe(false);
  });

  it('follows book deltas: the mid moves and each delta is a volatility sample', () => {
    const market = ethMarket();
    market.onMarketEvent(book(0, 3000, 3000.2));
    market.onMarketEvent(delta(100, 'ask', 3000.1, 1));
    expect(market.book.bestAsk).toBe(3000.1);
    expect(market.book.mid).toBeCloseTo(3000.05, 9);
    market.onMarketEvent(delta(200, 'ask', 3000.1, 0));
    expect(market.book.bestAsk).toBe(3000.2);
    expect(market.volatility.samples).toBe(2);
    expect(market.book.lastUpdateTs).toBe(200);
  });

  it('counts aggressor flow from trades for the single-sided selector', () => {
    const market = ethMarket({ ss_ma_half_life_sec: 30 });
    expect(market.flow.bias).toBe(1);
    market.onMarketEvent(trade(0, 3000, 2, 'bid'));
    market.onMarketEvent(trade(0, 3000, 1, 'ask'));
    expect(market.flow.bias).toBeCloseTo(2, 12);
  });

  it('fits the fill intensity from trades at their distance from the mid, once there are enough', () => {
    const market = ethMarket();
    // No mid yet: a trade cannot be placed at a distance and is not counted.
    market.onMarketEvent(trade(0, 3000, 1, 'bid'));
    expect(market.fittedIntensity(1_000)).toBeUndefined();

    market.onMarketEvent(book(0, 2999.9, 3000.1));
    // Buckets are 0.2% of the mid / 50 = 0.12 USD wide; fewer trades the farther from the mid.
    let ts = 1;
    for (const [distance, count] of [[0.1, 40], [0.3, 20], [0.5, 10], [0.7, 5]] as const) {
      for (let i = 0; i < count; i++) market.onMarketEvent(trade(ts++, 3000 + distance, 0.1, 'bid'));
    }
    const fit = market.fittedIntensity(60_000);
    expect(fit).toBeDefined();
    expect(fit!.k).toBeGreaterThan(0);
    expect(fit!.a).toBeGreaterThan(0);
  });

  it('keeps the spread history of each loop for the dynamic minimum spread', () => {
    const market = ethMarket({
      dynamic_min_spread_percentile: 0.5,
      dynamic_min_spread_lookback_loops: 3,
      dynamic_min_spread_update_every_loops: 3,
    });
    market.onLoop();
    expect(market.spreads.value).toBeNaN();
    for (const spread of [0.2, 0.4, 0.6]) {
      market.onMarketEvent(book(0, 3000, 3000 + spread));
      market.onLoop();
    }
    // The median of 0.2, 0.4 and 0.6 USD spreads near 3000: about 1.33 bps.
    expect(market.spreads.value).toBeCloseTo((0.4 / 3000.2) * 1e4, 6);
  });

  it('ignores funding', () => {
    const market = ethMarket();
    market.onMarketEvent({ type: 'funding', coin: 'ETH', exchTs: 0, localTs: 0, rate: 0.0001 });
    expect(market.book.lastUpdateTs).toBe(-Infinity);
    expect(market.volatility.samples).toBe(0);
  });
});
