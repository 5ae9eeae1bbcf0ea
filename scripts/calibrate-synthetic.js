#!/usr/bin/env node
// Measures the synthetic-market calibration statistics on the recorded Hyperliquid data in
// ../shared/data and on the synthetic markets, and prints them side by side.
//
//   npm run build && node scripts/calibrate-synthetic.js            # real vs synthetic table
//   npm run build && node scripts/calibrate-synthetic.js --json     # every statistic, as JSON
//   npm run build && node scripts/calibrate-synthetic.js --fit      # re-derive the parameter sets (minutes)
//
// The parsing below is deliberately minimal (this script only measures); the project's readers
// live in src/data.
import { existsSync, readFileSync } from 'node:fs';
import { URL } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { measureMarket, PUSH_INTERVAL_PROBABILITIES } from '../dist/data/synthetic/measure-market.js';
import { syntheticL2Market } from '../dist/data/synthetic/l2-market.js';
import { SYNTHETIC_CALIBRATIONS } from '../dist/data/synthetic/calibration.js';

const DATA = new URL('../../shared/data/hyperliquid/', import.meta.url);
const HOUR_MS = 3_600_000;
const SYNTHETIC_START_MS = Date.UTC(2025, 8, 3, 13, 0, 0);

function* lines(text) {
  let start = 0;
  while (start < text.length) {
    let end = text.indexOf('\n', start);
    if (end < 0) end = text.length;
    if (end > start) yield text.slice(start, end);
    start = end + 1;
  }
}

/** Collector CSVs: books and de-duplicated trades merged by exchange time (trades first on ties). */
function* collectorEvents(coin) {
  const dir = new URL('ws_collector_20250903/', DATA);
  const books = [];
  let header = true;
  for (const line of lines(readFileSync(new URL(`orderbooks_${coin}.csv`, dir), 'utf8'))) {
    if (header) {
      header = false;
      continue;
    }
    const f = line.split(',').map(Number);
    const ts = f[2];
    const bidPx = new Float64Array(20), bidSz = new Float64Array(20), askPx = new Float64Array(20), askSz = new Float64Array(20);
    for (let i = 0; i < 20; i++) {
      bidPx[i] = f[3 + 4 * i];
      bidSz[i] = f[4 + 4 * i];
      askPx[i] = f[5 + 4 * i];
      askSz[i] = f[6 + 4 * i];
    }
    books.push({ type: 'book', coin, exchTs: ts, localTs: ts, bidPx, bidSz, askPx, askSz });
  }
  const seen = new Set();
  const trades = [];
  header = true;
  for (const line of lines(readFileSync(new URL(`trades_${coin}.csv`, dir), 'utf8'))) {
    if (header) {
      header = false;
      continue;
    }
    const [, price, size, side, tradeId, exchangeTs] = line.split(',');
    if (seen.has(tradeId)) continue;
    seen.add(tradeId);
    const ts = Number(exchangeTs);
    trades.push({ type: 'trade', coin, exchTs: ts, localTs: ts, px: Number(price), sz: Number(size), side: side === 'buy' ? 'bid' : 'ask', tid: Number(tradeId) });
  }
  trades.sort((a, b) => a.exchTs - b.exchTs);
  books.sort((a, b) => a.exchTs - b.exchTs);
  let t = 0;
  for (const book of books) {
    while (t < trades.length && trades[t].exchTs <= book.exchTs) yield trades[t++];
    yield book;
  }
}

/** Hyperliquid S3 archive l2Book lines (books only), exchange time from raw.data.time. */
function* s3Events() {
  const text = gunzipSync(readFileSync(new URL('s3_archive_l2book/BTC_20240101_h12.jsonl.gz', DATA))).toString('utf8');
  for (const line of lines(text)) {
    const data = JSON.parse(line).raw.data;
    const [bids, asks] = data.levels;
    yield {
      type: 'book',
      coin: data.coin,
      exchTs: data.time,
      localTs: data.time,
      bidPx: Float64Array.from(bids, (l) => Number(l.px)),
      bidSz: Float64Array.from(bids, (l) => Number(l.sz)),
      askPx: Float64Array.from(asks, (l) => Number(l.px)),
      askSz: Float64Array.from(asks, (l) => Number(l.sz)),
    };
  }
}

function firstMid(events) {
  for (const event of events) if (event.type === 'book') return (event.bidPx[0] + event.askPx[0]) / 2;
  return Number.NaN;
}

function synthetic(coin, params, seed, hours) {
  const calibration = SYNTHETIC_CALIBRATIONS[coin];
  const events = syntheticL2Market({ seed, coin, startMs: SYNTHETIC_START_MS, durationMs: hours * HOUR_MS, params: params ?? calibration.params });
  return measureMarket(events, { tick: 10 ** -calibration.params.tickDecimals });
}

/** Grid search of the fair-price model (volatility, re-centre threshold and fraction) on 3 synthetic hours. */
function fitFairPrice(coin, real, base) {
  const target = [real.volatility.zeroReturnFraction, real.volatility.pushBpsPerSqrtS, real.volatility.horizonBpsPerSqrtS];
  let best;
  for (const volScale of [1, 1.05, 1.1, 1.15, 1.2, 1.25]) {
    for (const threshold of [0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9, 1.0, 1.2]) {
      for (const fraction of [0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 1]) {
        const params = { ...base, volatilityBpsPerSqrtS: real.volatility.horizonBpsPerSqrtS * volScale, requoteThresholdBps: threshold, requoteFraction: fraction };
        const s = synthetic(coin, params, 7, 3);
        const got = [s.volatility.zeroReturnFraction, s.volatility.pushBpsPerSqrtS, s.volatility.horizonBpsPerSqrtS];
        const loss = got.reduce((sum, g, i) => sum + ((g - target[i]) / target[i]) ** 2, 0);
        if (!best || loss < best.loss) best = { loss, volatilityBpsPerSqrtS: params.volatilityBpsPerSqrtS, requoteThresholdBps: threshold, requoteFraction: fraction, got };
      }
    }
  }
  return { target, ...best };
}

function round(x, digits = 4) {
  return Number(x.toPrecision(digits));
}

/**
 * Prints: the median, log-sd and prints per multi-print order that make the generated prints
 * (capped, and split where they walk a level) have the real median, mean and count per order;
 * a few fixed-point steps on 3 synthetic hours.
 */
function fitPrints(coin, real, params) {
  let { printSizeMedian: median, printSizeLogSd: sd, printsPerMultiPrintOrderMean: multi } = params;
  let got;
  for (let step = 0; step < 8; step++) {
    got = synthetic(coin, { ...params, printSizeMedian: median, printSizeLogSd: sd, printsPerMultiPrintOrderMean: multi }, 11, 3).trades;
    const medianShift = Math.log(real.trades.sizeMedian / got.sizeMedian);
    median *= Math.exp(medianShift);
    sd = Math.sqrt(Math.max(0, sd * sd + 2 * (Math.log(real.trades.sizeMean / got.sizeMean) - medianShift)));
    multi = Math.max(2, multi + (real.trades.printsPerOrderMean - got.printsPerOrderMean) / (1 - params.singlePrintOrderFraction));
  }
  return {
    printSizeMedian: round(median),
    printSizeLogSd: round(sd, 3),
    printsPerMultiPrintOrderMean: round(multi, 3),
    got: { median: got.sizeMedian, mean: got.sizeMean, printsPerOrder: got.printsPerOrderMean, ratePerS: got.ratePerS },
  };
}

/** The measured numbers in the shape of L2MarketParams (fair-price fields come from --fit). */
function paramsFromStatistics(s, startPx) {
  const single = s.trades.singlePrintOrderFraction;
  return {
    startPx: round(startPx, 6),
    pushIntervalQuantilesMs: s.pushIntervalMs.quantiles.map((ms, i) => [PUSH_INTERVAL_PROBABILITIES[i], ms]),
    spreadTicksPmf: s.spreadTicks.pmf.map((p) => round(p, 3)),
    levelGapMeanTicks: s.depth.meanGapTicks.map((g) => round(g, 3)),
    levelSizeMean: s.depth.meanSize.map((x) => round(x)),
    levelSizeMedian: s.depth.medianSize.map((x) => round(x)),
    levelRefreshProbability: round(1 - s.levelSizeUnchangedFraction, 3),
    takerOrderRatePerS: round(s.trades.takerOrderRatePerS),
    singlePrintOrderFraction: round(single, 3),
    printsPerMultiPrintOrderMean: round((s.trades.printsPerOrderMean - single) / (1 - single), 3),
    printSizeMedian: round(s.trades.sizeMedian),
    printSizeLogSd: round(Math.sqrt(2 * Math.log(s.trades.sizeMean / s.trades.sizeMedian)), 3),
    printSizeMax: s.trades.sizeMax,
  };
}

/** Trade statistics of a stream without trades (the S3 archive) are shown as —. */
const tradeStat = (pick) => (s) => (s.trades.count > 0 ? pick(s.trades) : undefined);

const ROWS = [
  ['push interval median, ms', (s) => s.pushIntervalMs.quantiles[5], 0],
  ['push interval mean, ms', (s) => s.pushIntervalMs.mean, 0],
  ['spread median, ticks', (s) => s.spreadTicks.median, 0],
  ['spread mean, ticks', (s) => s.spreadTicks.mean, 2],
  ['spread = 1 tick, share', (s) => s.spreadTicks.pmf[0], 3],
  ['spread mean, bps', (s) => s.spreadBps.mean, 3],
  ['spread median, bps', (s) => s.spreadBps.median, 3],
  ['size at level 0 (mean)', (s) => s.depth.meanSize[0], 3],
  ['size at level 1 (mean)', (s) => s.depth.meanSize[1], 3],
  ['size at level 5 (mean)', (s) => s.depth.meanSize[5], 3],
  ['size at level 19 (mean)', (s) => s.depth.meanSize[19], 3],
  ['size at level 0 (median)', (s) => s.depth.medianSize[0], 3],
  ['size at level 10 (median)', (s) => s.depth.medianSize[10], 3],
  ['depth, 20 levels a side (mean sum)', (s) => s.depth.meanSize.reduce((a, b) => a + b, 0), 2],
  ['gap level 0→1, ticks', (s) => s.depth.meanGapTicks[0], 2],
  ['gap level 18→19, ticks', (s) => s.depth.meanGapTicks[18], 2],
  ['level size unchanged between pushes', (s) => s.levelSizeUnchangedFraction, 3],
  ['volatility at push cadence, bps/√s', (s) => s.volatility.pushBpsPerSqrtS, 3],
  ['volatility over 10 s, bps/√s', (s) => s.volatility.horizonBpsPerSqrtS, 3],
  ['pushes with unchanged mid, share', (s) => s.volatility.zeroReturnFraction, 3],
  ['trades (prints) per s', tradeStat((t) => t.ratePerS), 2],
  ['taker orders per s', tradeStat((t) => t.takerOrderRatePerS), 2],
  ['prints per taker order', tradeStat((t) => t.printsPerOrderMean), 2],
  ['single-print orders, share', tradeStat((t) => t.singlePrintOrderFraction), 3],
  ['orders walking a level, share', tradeStat((t) => t.multiPriceOrderFraction), 3],
  ['print size mean', tradeStat((t) => t.sizeMean), 4],
  ['print size median', tradeStat((t) => t.sizeMedian), 4],
  ['ln(print size) mean', tradeStat((t) => t.logSizeMean), 2],
  ['ln(print size) sd', tradeStat((t) => t.logSizeSd), 2],
  ['buy share of prints', tradeStat((t) => t.buyFraction), 3],
  ['notional traded per s, USD', tradeStat((t) => t.notionalPerS), 0],
];

function cell(value, digits) {
  return value === undefined || !Number.isFinite(value) ? '—' : value.toFixed(digits);
}

function table(columns) {
  const head = `| statistic | ${columns.map((c) => c.name).join(' | ')} |`;
  const rule = `| --- |${columns.map(() => ' ---: |').join('')}`;
  const body = ROWS.map(([label, pick, digits]) => `| ${label} | ${columns.map((c) => cell(pick(c.stats), digits)).join(' | ')} |`);
  return [head, rule, ...body].join('\n');
}

const args = new Set(process.argv.slice(2));
if (!existsSync(DATA)) {
  console.error(`no recorded data at ${DATA.pathname}; nothing to calibrate against`);
  process.exit(2);
}
const real = {
  BTC: measureMarket(collectorEvents('BTC'), { tick: 1 }),
  ETH: measureMarket(collectorEvents('ETH'), { tick: 0.1 }),
  BTC_S3_2024: measureMarket(s3Events(), { tick: 1 }),
};
const syntheticDay = () => ({ BTC: synthetic('BTC', undefined, 1, 24), ETH: synthetic('ETH', undefined, 1, 24) });

if (args.has('--fit')) {
  for (const coin of ['BTC', 'ETH']) {
    const fromData = paramsFromStatistics(real[coin], firstMid(collectorEvents(coin)));
    const measured = { ...SYNTHETIC_CALIBRATIONS[coin].params, ...fromData };
    const fair = fitFairPrice(coin, real[coin], measured);
    const { volatilityBpsPerSqrtS, requoteThresholdBps, requoteFraction } = fair;
    const prints = fitPrints(coin, real[coin], { ...measured, volatilityBpsPerSqrtS, requoteThresholdBps, requoteFraction });
    console.log(coin, 'measured', JSON.stringify(fromData));
    console.log(coin, 'fair-price fit', JSON.stringify(fair));
    console.log(coin, 'print fit', JSON.stringify(prints));
  }
} else if (args.has('--json')) {
  console.log(JSON.stringify({ real, synthetic: syntheticDay() }, null, 2));
} else {
  const synth = syntheticDay();
  console.log(
    table([
      { name: 'BTC real', stats: real.BTC },
      { name: 'BTC synthetic', stats: synth.BTC },
      { name: 'ETH real', stats: real.ETH },
      { name: 'ETH synthetic', stats: synth.ETH },
      { name: 'BTC real, S3 2024-01-01 12h (books only)', stats: real.BTC_S3_2024 },
    ]),
  );
}
