import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { runInNewContext, Script } from 'node:vm';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { RecordedFill } from '../../src/backtest/backtest-recorder.js';
import { renderBacktestReport, type BacktestReportInput, type ReportRecording } from '../../src/backtest/html-report.js';
import type { BacktestSummary } from '../../src/backtest/run-backtest.js';
import { BoundedSeries } from '../../src/backtest/series.js';
import type { RiskEvent } from '../../src/core/risk/risk-types.js';

const uplotDist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
const T0 = Date.UTC(2025, 0, 1);
const EVIL = '<img src=x onerror=alert(1)>';

function seriesOf(names: string[], rows: number[][]): BoundedSeries {
  const series = new BoundedSeries(names);
  rows.forEach(([ts, ...values]) => series.add(ts!, values));
  return series;
}

function summary(overrides: Partial<BacktestSummary> = {}): BacktestSummary {
  return {
    events: 123456,
    durationSec: 3723.5,
    coins: ['BTC'],
    orders: 9000,
    fills: 2,
    makerFills: 1,
    takerFills: 1,
    volumeUsd: 12345.678,
    grossPnl: 12.3456,
    fees: 1.23456,
    funding: -0.1,
    netPnl: 12.3456 - 1.23456 - 0.1,
    maxDrawdown: 3.2,
    sharpe: 1.234,
    roundTrips: 40,
    finalPosition: { BTC: 0.002 },
    rejects: { postOnlyWouldCross: 3 },
    badLines: 7,
    warnings: ['data has no trades: our fills are inferred from book changes', 'data has no funding rates: funding is off in this backtest'],
    ...overrides,
  };
}

/** One coin, four samples a second apart; the bid is off at 1 s, the ask at 2 s, the mid unknown at 3 s. */
function recording(coin = 'BTC', riskEvents: RiskEvent[] = []): ReportRecording {
  const fills: RecordedFill[] = [
    { ts: T0 + 2500, coin, side: 'ask', px: 100003, sz: 0.001, maker: false },
    { ts: T0 + 1500, coin, side: 'bid', px: 99999, sz: 0.001, maker: true },
  ];
  return {
    equity: seriesOf(['equity'], [
      [T0, 1000],
      [T0 + 1000, 1000.123456],
      [T0 + 2000, 999.98761],
    ]),
    coinSeries: new Map([
      [
        coin,
        seriesOf(['mid', 'position', 'bidQuote', 'askQuote'], [
          [T0, 100000.123456789, 0, 99999, 100001],
          [T0 + 1000, 100001, 0.001, NaN, 100002],
          [T0 + 2000, 100002, 0.001, 100001, NaN],
          [T0 + 3000, NaN, 0, 100001, 100003],
        ]),
      ],
    ]),
    chartFills: fills,
    riskEvents,
  };
}

function input(overrides: Partial<BacktestReportInput> = {}): BacktestReportInput {
  return {
    title: 'hypermm backtest: demo',
    summary: summary(),
    recorder: recording(),
    settings: { config: 'configs/demo.json', coins: 'BTC', queueModel: 'risk-averse', orderLatency: 'constant 100 ms', feedLatency: 'recorded', seed: 1 },
    ...overrides,
  };
}

interface CoinData {
  coin: string;
  t: number[];
  mid: (number | null)[];
  position: (number | null)[];
  bid: (number | null)[];
  ask: (number | null)[];
  fills: { t: number[]; px: number[]; buy: number[]; maker: number[] };
}
interface ReportData {
  equity: { t: number[]; equity: (number | null)[] };
  coins: CoinData[];
}

function embeddedJson(html: string): string {
  const match = /<script type="application\/json" id="backtest-data">([\s\S]*?)<\/script>/.exec(html);
  if (!match) throw new Error('no data block');
  return match[1]!;
}

function embeddedData(html: string): ReportData {
  return JSON.parse(embeddedJson(html)) as ReportData;
}

/** Times are stored as the first ms, then differences. */
function absoluteMs(deltas: number[]): number[] {
  let ms = 0;
  return deltas.map((delta) => (ms += delta));
}

function inlineScripts(html: string): string[] {
  return [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((match) => match[1]!);
}

/** The HTML outside <script> blocks: what a browser parses as markup. */
function markup(html: string): string {
  return html.replace(/<script[\s\S]*?<\/script>/g, '');
}

interface CreatedChart {
  id: string;
  labels: string[];
  data: unknown[][];
}

/** Runs the page's own script against a stand-in uPlot and DOM, recording the charts it builds. */
function chartsBuiltBy(html: string): CreatedChart[] {
  const created: CreatedChart[] = [];
  const elements = new Map<string, { id: string; clientWidth: number; textContent: string }>();
  const element = (id: string) => {
    if (!elements.has(id)) elements.set(id, { id, clientWidth: 800, textContent: id === 'backtest-data' ? embeddedJson(html) : '' });
    return elements.get(id)!;
  };
  function FakeUplot(opts: { series: { label: string }[] }, data: unknown[][], target: { id: string }) {
    created.push({ id: target.id, labels: opts.series.map((s) => s.label), data: data.map((column) => Array.from(column)) });
  }
  FakeUplot.tzDate = (date: Date) => date;
  FakeUplot.paths = { stepped: () => () => null };
  const pageScript = inlineScripts(html).at(-1)!;
  runInNewContext(pageScript, { uPlot: FakeUplot, document: { getElementById: element }, window: { addEventListener: () => undefined } });
  return created;
}

describe('renderBacktestReport', () => {
  it('is one self-contained page: uPlot and its CSS inlined, nothing loaded from elsewhere', () => {
    const html = renderBacktestReport(input());
    expect(html.startsWith('<!doctype html>')).toBe(true);
    expect(html).toContain(readFileSync(join(uplotDist, 'uPlot.iife.min.js'), 'utf8'));
    expect(html).toContain(readFileSync(join(uplotDist, 'uPlot.min.css'), 'utf8'));
    expect(html).not.toMatch(/<script[^>]+src=/i);
    expect(html).not.toMatch(/<link\b/i);
    for (const script of inlineScripts(html)) expect(() => new Script(script)).not.toThrow();
  });

  it('embeds the series as JSON: whole-ms time steps, NaN as null, prices to 8 significant digits, equity to 4 decimals', () => {
    const data = embeddedData(renderBacktestReport(input()));
    expect(data.equity.t).toEqual([T0, 1000, 1000]);
    expect(data.equity.equity).toEqual([1000, 1000.1235, 999.9876]);
    const [btc] = data.coins;
    expect(btc!.coin).toBe('BTC');
    expect(absoluteMs(btc!.t)).toEqual([T0, T0 + 1000, T0 + 2000, T0 + 3000]);
    expect(btc!.mid).toEqual([100000.12, 100001, 100002, null]);
    expect(btc!.position).toEqual([0, 0.001, 0.001, 0]);
    expect(btc!.bid).toEqual([99999, null, 100001, 100001]);
    expect(btc!.ask).toEqual([100001, 100002, null, 100003]);
  });

  it('embeds fills sorted by time with their side and liquidity', () => {
    const { fills } = embeddedData(renderBacktestReport(input())).coins[0]!;
    expect(absoluteMs(fills.t)).toEqual([T0 + 1500, T0 + 2500]);
    expect(fills).toMatchObject({ px: [99999, 100003], buy: [1, 0], maker: [1, 0] });
  });

  it('draws equity, position, and quotes with fills merged onto one time axis (undefined = no sample, null = gap)', () => {
    const charts = chartsBuiltBy(renderBacktestReport(input()));
    expect(charts.map((chart) => chart.id)).toEqual(['chart-equity', 'chart-position-0', 'chart-price-0']);
    expect(charts[0]!.data).toEqual([[T0 / 1000, T0 / 1000 + 1, T0 / 1000 + 2], [1000, 1000.1235, 999.9876]]);
    const price = charts[2]!;
    expect(price.labels).toEqual(['time (UTC)', 'mid', 'our bid', 'our ask', 'buy (maker)', 'buy (taker)', 'sell (maker)', 'sell (taker)']);
    const s = T0 / 1000;
    const u = undefined;
    expect(price.data).toEqual([
      [s, s + 1, s + 1.5, s + 2, s + 2.5, s + 3],
      [100000.12, 100001, u, 100002, u, null],
      [99999, null, u, 100001, u, 100001],
      [100001, 100002, u, null, u, 100003],
      [u, u, 99999, u, u, u],
      [u, u, u, u, u, u],
      [u, u, u, u, u, u],
      [u, u, u, u, 100003, u],
    ]);
  });

  it('shows every summary field, with net PnL as gross − fees + funding', () => {
    const html = renderBacktestReport(input());
    for (const text of [
      '123,456',
      '1h 02m 04s',
      '9,000',
      '2 (1 / 1)',
      '12,345.68',
      '11.0110 = gross 12.3456 − fees 1.2346 + funding -0.1000',
      '3.2000',
      '1.23',
      '40',
      'BTC 0.002',
      'postOnlyWouldCross 3',
      'bad data lines</th><td>7',
    ]) {
      expect(html).toContain(text);
    }
  });

  it('shows the run settings with readable names', () => {
    const html = renderBacktestReport(input());
    expect(html).toContain('<th>queue model</th><td>risk-averse</td>');
    expect(html).toContain('<th>order latency</th><td>constant 100 ms</td>');
    expect(html).toContain('<th>config</th><td>configs/demo.json</td>');
  });

  it('puts the warnings in a highlighted box near the top', () => {
    const html = renderBacktestReport(input());
    const box = /<section class="warnings"[^>]*>([\s\S]*?)<\/section>/.exec(html)?.[1] ?? '';
    expect(box).toContain('<li>data has no trades: our fills are inferred from book changes</li>');
    expect(box).toContain('funding is off in this backtest');
    expect(html.indexOf('class="warnings"')).toBeLessThan(html.indexOf('Summary'));
  });

  it('leaves the warnings box out when there are none', () => {
    expect(renderBacktestReport(input({ summary: summary({ warnings: [] }) }))).not.toContain('class="warnings"');
  });

  it('escapes coin names, messages, paths and the title in the markup and cannot be closed early from the JSON', () => {
    const events: RiskEvent[] = [{ ts: T0, severity: 'critical', kind: 'stale_book', coin: EVIL, message: '</script><script>alert(2)</script>' }];
    const html = renderBacktestReport({
      title: `run ${EVIL}`,
      summary: summary({ coins: [EVIL], warnings: [EVIL] }),
      recorder: recording(EVIL, events),
      settings: { config: '/tmp/"quoted" <dir>/a.json' },
    });
    expect(html).not.toContain('<img');
    expect(markup(html)).not.toContain('alert(2)</script>');
    expect(markup(html)).toContain('&#60;img src=x onerror=alert(1)&#62;');
    expect(markup(html)).toContain('/tmp/&#34;quoted&#34; &#60;dir&#62;/a.json');
    expect(embeddedJson(html)).not.toContain('<');
    expect(embeddedData(html).coins[0]!.coin).toBe(EVIL);
  });

  it('lists risk events in UTC and stops after 300 rows', () => {
    const events: RiskEvent[] = Array.from({ length: 400 }, (_, i) => ({
      ts: T0 + i * 1000,
      severity: 'warning',
      kind: 'coin_cap',
      coin: i === 0 ? null : 'BTC',
      message: `cap reached ${i}`,
    }));
    const html = renderBacktestReport(input({ recorder: recording('BTC', events) }));
    expect(html).toContain('<td>2025-01-01 00:00:00.000</td><td>warning</td><td>coin_cap</td><td>all</td><td>cap reached 0</td>');
    expect(html).toContain('cap reached 299<');
    expect(html).not.toContain('cap reached 300<');
    expect(html).toContain('The first 300 of 400 recorded events.');
  });

  it('says so when there are no risk events', () => {
    expect(renderBacktestReport(input())).toContain('No risk events.');
  });

  it('round-trips any coin name and any price through the JSON block', () => {
    fc.assert(
      fc.property(fc.string(), fc.array(fc.double(), { minLength: 1, maxLength: 20 }), (coin, prices) => {
        const series = seriesOf(
          ['mid', 'position', 'bidQuote', 'askQuote'],
          prices.map((px, i) => [T0 + i * 1000, px, 0, px, px]),
        );
        const recorder: ReportRecording = { ...recording(coin), coinSeries: new Map([[coin, series]]), chartFills: [] };
        const data = embeddedData(renderBacktestReport(input({ recorder })));
        expect(data.coins[0]!.coin).toBe(coin);
        data.coins[0]!.mid.forEach((value, i) => {
          const px = prices[i]!;
          if (Number.isFinite(px)) expect(Math.abs(value! - px)).toBeLessThanOrEqual(Math.abs(px) * 1e-7);
          else expect(value).toBeNull();
        });
      }),
      { numRuns: 40 },
    );
  });
});
