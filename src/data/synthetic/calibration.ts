/**
 * Calibrated parameter sets of the synthetic L2 market, and the statistics of the real data they
 * were calibrated on. Where each number comes from, and how it was measured, is in
 * docs/synthetic-market-calibration.md (reproduce with `node scripts/calibrate-synthetic.js`).
 */
import { UserInputError } from '../../errors.js';
import type { L2MarketParams } from './l2-market.js';

/** Statistics of the real data that a generated market should reproduce (same definitions as measureMarket). */
export interface CalibrationTarget {
  readonly pushIntervalMedianMs: number;
  readonly spreadTicksMedian: number;
  readonly spreadBpsMean: number;
  readonly volatilityPushBpsPerSqrtS: number;
  readonly volatility10sBpsPerSqrtS: number;
  readonly zeroReturnFraction: number;
  readonly tradeRatePerS: number;
  readonly tradeSizeMedian: number;
  readonly tradeSizeMean: number;
}

export interface SyntheticCalibration {
  readonly coin: string;
  /** The recording the numbers were measured on. */
  readonly source: string;
  readonly params: L2MarketParams;
  readonly target: CalibrationTarget;
}

const COLLECTOR = 'Hyperliquid WS collector, 2025-09-03 12:55–13:04 UTC (shared/data/hyperliquid/ws_collector_20250903)';

/** The BTC and ETH collector files have identical push times (one l2Book push per coin per block). */
const COLLECTOR_PUSH_INTERVAL_QUANTILES_MS: readonly (readonly [number, number])[] = [
  [0, 0],
  [0.01, 214],
  [0.05, 408],
  [0.1, 472],
  [0.25, 508],
  [0.5, 543],
  [0.75, 584],
  [0.9, 617],
  [0.95, 665],
  [0.99, 797],
  [1, 1233],
];

export const BTC_CALIBRATION: SyntheticCalibration = {
  coin: 'BTC',
  source: COLLECTOR,
  params: {
    startPx: 111039,
    tickDecimals: 0,
    szDecimals: 5,
    pushIntervalQuantilesMs: COLLECTOR_PUSH_INTERVAL_QUANTILES_MS,
    spreadTicksPmf: [
      0.933, 0.0202, 0.00673, 0.00448, 0.00448, 0.00897, 0, 0.00224, 0.00448, 0, 0.00448, 0.00448, 0, 0, 0.00224, 0, 0,
      0.00224, 0, 0, 0, 0, 0.00224,
    ],
    levelGapMeanTicks: [1.2, 1.11, 1.09, 1.05, 1.04, 1.02, 1.02, 1.02, 1.01, 1.03, 1.02, 1.02, 1.03, 1.02, 1.02, 1.01, 1.01, 1, 1.01],
    levelSizeMean: [
      9.007, 2.906, 1.875, 1.582, 1.321, 1.667, 1.601, 1.557, 2.028, 1.97, 1.818, 1.723, 1.771, 2.093, 1.886, 1.778, 2.591, 2.407,
      2.284, 2.157,
    ],
    levelSizeMedian: [
      5.401, 0.3217, 0.4145, 0.3487, 0.3737, 0.5401, 0.6645, 0.7039, 0.9605, 0.7898, 0.9605, 1.053, 0.9173, 1.006, 1.053, 0.9716,
      1.237, 1.357, 1.421, 1.209,
    ],
    levelRefreshProbability: 0.574,
    volatilityBpsPerSqrtS: 0.6275,
    requoteThresholdBps: 0.8,
    requoteFraction: 0.6,
    takerOrderRatePerS: 1.217,
    singlePrintOrderFraction: 0.605,
    printsPerMultiPrintOrderMean: 8.74,
    printSizeMedian: 0.007371,
    printSizeLogSd: 2.98,
    printSizeMax: 4.29084,
  },
  target: {
    pushIntervalMedianMs: 543,
    spreadTicksMedian: 1,
    spreadBpsMean: 0.1237,
    volatilityPushBpsPerSqrtS: 0.4236,
    volatility10sBpsPerSqrtS: 0.5976,
    zeroReturnFraction: 0.7743,
    tradeRatePerS: 5.31,
    tradeSizeMedian: 0.008964,
    tradeSizeMean: 0.1894,
  },
};

export const ETH_CALIBRATION: SyntheticCalibration = {
  coin: 'ETH',
  source: COLLECTOR,
  params: {
    startPx: 4344.1,
    tickDecimals: 1,
    szDecimals: 4,
    pushIntervalQuantilesMs: COLLECTOR_PUSH_INTERVAL_QUANTILES_MS,
    spreadTicksPmf: [0.953, 0.0135, 0.0112, 0.00224, 0.00673, 0.00224, 0.00448, 0.00224, 0.00224, 0.00224],
    levelGapMeanTicks: [1.46, 1.13, 1.06, 1.03, 1.02, 1, 1.01, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1],
    levelSizeMean: [
      152.2, 68.51, 63.24, 63.91, 83.1, 90.78, 105.8, 120.1, 137.2, 152, 135.2, 157.1, 160.6, 157, 167.9, 164.5, 161.1, 154.5, 162.4,
      159.6,
    ],
    levelSizeMedian: [
      58.55, 19.84, 17.28, 28.02, 51.58, 68, 92.79, 89.64, 109, 126.6, 107.8, 132.6, 140.4, 143.7, 137.2, 131.1, 122.3, 116.8, 131.1,
      138.8,
    ],
    levelRefreshProbability: 0.721,
    volatilityBpsPerSqrtS: 0.8729,
    requoteThresholdBps: 1,
    requoteFraction: 0.6,
    takerOrderRatePerS: 1.308,
    singlePrintOrderFraction: 0.753,
    printsPerMultiPrintOrderMean: 5.42,
    printSizeMedian: 0.1341,
    printSizeLogSd: 2.64,
    printSizeMax: 96.2786,
  },
  target: {
    pushIntervalMedianMs: 543,
    spreadTicksMedian: 1,
    spreadBpsMean: 0.267,
    volatilityPushBpsPerSqrtS: 0.5775,
    volatility10sBpsPerSqrtS: 0.8729,
    zeroReturnFraction: 0.7856,
    tradeRatePerS: 2.86,
    tradeSizeMedian: 0.1505,
    tradeSizeMean: 2.492,
  },
};

export const SYNTHETIC_CALIBRATIONS: Readonly<Record<string, SyntheticCalibration>> = {
  BTC: BTC_CALIBRATION,
  ETH: ETH_CALIBRATION,
};

/** The calibrated synthetic-market parameters of a coin; a UserInputError for any other coin. */
export function calibratedL2Params(coin: string): L2MarketParams {
  const calibration = SYNTHETIC_CALIBRATIONS[coin];
  if (calibration === undefined) {
    throw new UserInputError(
      `synthetic market: no calibrated parameters for coin "${coin}"; use one of ${Object.keys(SYNTHETIC_CALIBRATIONS).join(', ')}`,
    );
  }
  return calibration.params;
}
