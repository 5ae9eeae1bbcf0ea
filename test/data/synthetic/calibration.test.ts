import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { BookSnapshotEvent, MarketEvent, TradeEvent } from '../../../src/core/types.js';
import { BTC_CALIBRATION, calibratedL2Params, ETH_CALIBRATION } from '../../../src/data/synthetic/calibration.js';
import { measureMarket, PUSH_INTERVAL_PROBABILITIES } from '../../../src/data/synthetic/measure-market.js';
import { UserInputError } from '../../../src/errors.js';

const COLLECTOR = new URL('../../../../shared/data/hyperliquid/ws_collector_20250903/', import.meta.url);

function csvRows(name: string): string[][] {
  const [, ...rows] = readFileSync(new URL(name, COLLECTOR), 'utf8').trim().split('\n');
  return rows.map((row) => row.split(','));
}

/** The collector's books and trades (de-duplicated by tid) in exchange-time order, trades first on ties. */
function collectorEvents(coin: string): MarketEvent[] {
  const level = (row: string[], column: (i: number) => number): Float64Array => Float64Array.from({ length: 20 }, (_, i) => Number(row[column(i)]));
  const books: BookSnapshotEvent[] = csvRows(`orderbooks_${coin}.csv`).map((row) => {
    const ts = Number(row[2]);
    return {
      type: 'book',
      coin,
      exchTs: ts,
      localTs: ts,
      bidPx: level(row, (i) => 3 + 4 * i),
      bidSz: level(row, (i) => 4 + 4 * i),
      askPx: level(row, (i) => 5 + 4 * i),
      askSz: level(row, (i) => 6 + 4 * i),
    };
  });
  const seen = new Set<string>();
  const trades: TradeEvent[] = [];
  for (const [, px, sz, side, tid, ts] of csvRows(`trades_${coin}.csv`)) {
    if (tid === undefined || seen.has(tid)) continue;
    seen.add(tid);
    trades.push({ type: 'trade', coin, exchTs: Number(ts), localTs: Number(ts), px: Number(px), sz: Number(sz), side: side === 'buy' ? 'bid' : 'ask' });
  }
  const order = (event: MarketEvent): number => event.exchTs + (event.type === 'book' ? 0.5 : 0);
  return [...books, ...trades].sort((a, b) => order(a) - order(b));
}

describe('calibratedL2Params', () => {
  it('has parameter sets for BTC and ETH and refuses other coins', () => {
    expect(calibratedL2Params('BTC')).toBe(BTC_CALIBRATION.params);
    expect(calibratedL2Params('ETH')).toBe(ETH_CALIBRATION.params);
    expect(() => calibratedL2Params('SOL')).toThrow(UserInputError);
  });
});

// The recorded data lives outside the project (../shared/data); without it there is nothing to re-measure.
describe.skipIf(!existsSync(COLLECTOR))('the calibration numbers re-measure from the recorded collector data', () => {
  it.each([
    { calibration: BTC_CALIBRATION, tick: 1 },
    { calibration: ETH_CALIBRATION, tick: 0.1 },
  ])('$calibration.coin', ({ calibration, tick }) => {
    const stats = measureMarket(collectorEvents(calibration.coin), { tick });
    const { target, params } = calibration;
    const close = (got: number, want: number): void => expect(Math.abs(got / want - 1)).toBeLessThan(2e-3);
    close(stats.pushIntervalMs.quantiles[5] ?? 0, target.pushIntervalMedianMs);
    expect(stats.spreadTicks.median).toBe(target.spreadTicksMedian);
    close(stats.spreadBps.mean, target.spreadBpsMean);
    close(stats.volatility.pushBpsPerSqrtS, target.volatilityPushBpsPerSqrtS);
    close(stats.volatility.horizonBpsPerSqrtS, target.volatility10sBpsPerSqrtS);
    close(stats.volatility.zeroReturnFraction, target.zeroReturnFraction);
    close(stats.trades.ratePerS, target.tradeRatePerS);
    close(stats.trades.sizeMedian, target.tradeSizeMedian);
    close(stats.trades.sizeMean, target.tradeSizeMean);
    expect(params.pushIntervalQuantilesMs).toEqual(PUSH_INTERVAL_PROBABILITIES.map((p, i) => [p, stats.pushIntervalMs.quantiles[i]]));
    close(params.spreadTicksPmf[0] ?? 0, stats.spreadTicks.pmf[0] ?? 0);
    params.levelSizeMean.forEach((mean, i) => close(mean, stats.depth.meanSize[i] ?? 0));
    close(params.levelRefreshProbability, 1 - stats.levelSizeUnchangedFraction);
    close(params.takerOrderRatePerS, stats.trades.takerOrderRatePerS);
    close(params.singlePrintOrderFraction, stats.trades.singlePrintOrderFraction);
    expect(params.printSizeMax).toBe(stats.trades.sizeMax);
  });
});
