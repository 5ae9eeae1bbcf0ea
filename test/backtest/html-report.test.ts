import { describe, expect, it } from 'vitest';
import { renderBacktestReport, type ReportRecording } from '../../src/backtest/html-report.js';
import type { BacktestSummary } from '../../src/backtest/run-backtest.js';

function series(t: number[], columns: Record<string, number[]>) {
  return { times: () => Float64Array.from(t), column: (name: string) => Float64Array.from(columns[name]!) };
}

const summary: BacktestSummary = {
  events: 1234,
  durationSec: 5400,
  coins: ['BTC'],
  orders: 40,
  fills: 2,
  makerFills: 1,
  takerFills: 1,
  volumeUsd: 200.5,
  grossPnl: 1.25,
  fees: 0.125,
  funding: -0.5,
  netPnl: 0.625,
  maxDrawdown: 3.5,
  sharpe: 1.5,
  roundTrips: 1,
  finalPosition: { BTC: 0.001 },
  rejects: { postOnlyWouldCross: 3 },
  badLines: 0,
  warnings: ['data has no trades: our fills are inferred from book changes'],
};

const recording: ReportRecording = {
  equity: series([0, 1000, 2000], { equity: [1000, 1000.5, 1000.625] }),
  coinSeries: new Map([
    ['BTC', series([0, 1000, 2000], { mid: [100, 100.5, 101], position: [0, 0.001, 0.001], bidQuote: [99.9, NaN, 100.8], askQuote: [100.1, 100.6, NaN] })],
  ]),
  chartFills: [
    { ts: 1500, coin: 'BTC', side: 'ask', px: 100.6, sz: 0.001, maker: false },
    { ts: 900, coin: 'BTC', side: 'bid', px: 99.9, sz: 0.002, maker: true },
  ],
  riskEvents: [{ ts: 1800, severity: 'warning', kind: 'coin_cap', coin: 'BTC', message: 'bid: cap <script>alert(1)</script> reached' }],
};

function embeddedData(html: string): { equity: { t: number[]; equity: number[] }; coins: { coin: string; bid: (number | null)[]; fills: { t: number[]; buy: number[]; maker: number[] } }[] } {
  const match = /<script type="application\/json" id="backtest-data">([\s\S]*?)<\/script>/.exec(html);
  expect(match, 'the page embeds its data as JSON').not.toBeNull();
  return JSON.parse(match![1]!) as ReturnType<typeof embeddedData>;
}

describe('renderBacktestReport', () => {
  const html = renderBacktestReport({ title: 'run <1>', summary, recorder: recording, settings: { queueModel: 'power2', latencyMs: 100 } });

  it('is one self-contained page: the chart library is inlined, nothing is fetched', () => {
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(html).not.toMatch(/<link[^>]+href=/);
    expect(html).toContain('uPlot');
  });

  it('shows the summary, the PnL decomposition and the warnings', () => {
    expect(html).toContain('0.6250');
    expect(html).toMatch(/gross 1\.2500 − fees 0\.1250 \+ funding -0\.5000/);
    expect(html).toContain('data has no trades: our fills are inferred from book changes');
    expect(html).toContain('postOnlyWouldCross 3');
  });

  it('embeds the series with gaps as null and the fills in time order', () => {
    const data = embeddedData(html);
    expect(data.equity).toEqual({ t: [0, 1000, 2000], equity: [1000, 1000.5, 1000.625] });
    const btc = data.coins[0]!;
    expect(btc.coin).toBe('BTC');
    expect(btc.bid).toEqual([99.9, null, 100.8]);
    expect(btc.fills.t).toEqual([900, 1500]);
    expect(btc.fills.buy).toEqual([1, 0]);
    expect(btc.fills.maker).toEqual([1, 0]);
  });

  it('escapes what came from data and config', () => {
    expect(html).not.toContain('<script>alert(1)</script>');
    expect(html).toContain('run &#60;1&#62;');
  });
});
