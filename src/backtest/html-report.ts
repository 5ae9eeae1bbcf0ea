import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { RiskEvent } from '../core/risk/risk-types.js';
import type { RecordedFill } from './backtest-recorder.js';
import type { BacktestSummary } from './run-backtest.js';

/** A sampled time series as the report reads it (BoundedSeries satisfies it). */
export interface ReportSeries {
  times(): Float64Array;
  column(name: string): Float64Array;
}

/** What the report reads from a run's recording (BacktestRecorder satisfies it). */
export interface ReportRecording {
  /** Column `equity`, USD. */
  readonly equity: ReportSeries;
  /** Per coin: columns `mid`, `position`, `bidQuote`, `askQuote` (NaN when not quoting). */
  readonly coinSeries: ReadonlyMap<string, ReportSeries>;
  readonly chartFills: readonly RecordedFill[];
  readonly riskEvents: readonly RiskEvent[];
}

export interface BacktestReportInput {
  readonly title: string;
  readonly summary: BacktestSummary;
  readonly recorder: ReportRecording;
  /** The run's flags and config summary, shown as given (camelCase keys become words). */
  readonly settings: Readonly<Record<string, unknown>>;
}

const RISK_EVENT_ROWS = 300;
const PRICE_SIGNIFICANT_DIGITS = 8;
const EQUITY_DECIMALS = 4;

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

/** JSON that cannot end the surrounding <script> element or open an HTML comment. */
function scriptSafeJson(value: unknown): string {
  return JSON.stringify(value).replace(/</g, '\\u003c');
}

/** Inlined library code must not contain its own closing tag; `<\/` means the same inside JS strings and CSS. */
function inlineSafe(code: string, tag: 'script' | 'style'): string {
  return code.replace(new RegExp(`</(${tag})`, 'gi'), '<\\/$1');
}

function readUplot(): { js: string; css: string } {
  const dist = join(dirname(createRequire(import.meta.url).resolve('uplot/package.json')), 'dist');
  return {
    js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
    css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
  };
}

function significant(value: number): number | null {
  return Number.isFinite(value) ? Number(value.toPrecision(PRICE_SIGNIFICANT_DIGITS)) : null;
}

function decimals(value: number, places: number): number | null {
  if (!Number.isFinite(value)) return null;
  const scale = 10 ** places;
  return Math.round(value * scale) / scale;
}

function toArray(values: Float64Array, round: (value: number) => number | null): (number | null)[] {
  return Array.from(values, round);
}

/** Times in whole ms as [first, then each minus the one before]: a quarter of the absolute times' size. */
function timeDeltas(times: ArrayLike<number>): number[] {
  const deltas: number[] = [];
  let previous = 0;
  for (let i = 0; i < times.length; i++) {
    const ms = Math.round(times[i]!);
    deltas.push(ms - previous);
    previous = ms;
  }
  return deltas;
}

function withThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

function formatNumber(value: number, places: number): string {
  if (!Number.isFinite(value)) return 'n/a';
  const [whole = '', fraction] = Math.abs(value).toFixed(places).split('.');
  const sign = value < 0 && Number(Math.abs(value).toFixed(places)) !== 0 ? '-' : '';
  return `${sign}${withThousands(whole)}${fraction === undefined ? '' : `.${fraction}`}`;
}

const money = (value: number) => formatNumber(value, 4);
const count = (value: number) => formatNumber(value, 0);

function formatDuration(seconds: number): string {
  const total = Math.round(seconds);
  const hours = Math.floor(total / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const rest = total % 60;
  return `${hours}h ${String(minutes).padStart(2, '0')}m ${String(rest).padStart(2, '0')}s`;
}

function formatUtc(ms: number): string {
  const date = new Date(ms);
  return Number.isNaN(date.getTime()) ? String(ms) : date.toISOString().replace('T', ' ').replace('Z', '');
}

function describeSetting(value: unknown): string {
  if (value === undefined || value === null) return '—';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') return value.toString();
  if (Array.isArray(value)) return value.map(describeSetting).join(', ');
  return JSON.stringify(value);
}

function words(key: string): string {
  return key.replace(/([a-z0-9])([A-Z])/g, '$1 $2').toLowerCase();
}

function rows(entries: readonly (readonly [string, string])[]): string {
  return entries.map(([label, value]) => `<tr><th>${escapeHtml(label)}</th><td>${escapeHtml(value)}</td></tr>`).join('');
}

function listing(record: Readonly<Record<string, number>>, format: (value: number) => string): string {
  const entries = Object.entries(record);
  return entries.length === 0 ? 'none' : entries.map(([key, value]) => `${key} ${format(value)}`).join(', ');
}

function summaryRows(summary: BacktestSummary): string {
  return rows([
    ['coins', summary.coins.join(', ')],
    ['market events', count(summary.events)],
    ['duration', `${formatDuration(summary.durationSec)} (${formatNumber(summary.durationSec, 3)} s)`],
    ['orders sent', count(summary.orders)],
    ['fills (maker / taker)', `${count(summary.fills)} (${count(summary.makerFills)} / ${count(summary.takerFills)})`],
    ['volume USD', formatNumber(summary.volumeUsd, 2)],
    ['gross PnL USD', money(summary.grossPnl)],
    ['fees USD (+ = cost)', money(summary.fees)],
    ['funding USD (+ = received)', money(summary.funding)],
    ['net PnL USD', `${money(summary.netPnl)} = gross ${money(summary.grossPnl)} − fees ${money(summary.fees)} + funding ${money(summary.funding)}`],
    ['max drawdown USD', money(summary.maxDrawdown)],
    ['Sharpe (minute returns, annualized)', formatNumber(summary.sharpe, 2)],
    ['round trips', count(summary.roundTrips)],
    ['final position', listing(summary.finalPosition, (size) => String(significant(size) ?? 'n/a'))],
    ['rejects', listing(summary.rejects, count)],
    ['bad data lines', count(summary.badLines)],
  ]);
}

function warningsSection(warnings: readonly string[]): string {
  if (warnings.length === 0) return '';
  const items = warnings.map((warning) => `<li>${escapeHtml(warning)}</li>`).join('');
  return `<section class="warnings" role="alert"><h2>Warnings</h2><ul>${items}</ul></section>`;
}

function riskEventsSection(events: readonly RiskEvent[]): string {
  if (events.length === 0) return '<section><h2>Risk events</h2><p>No risk events.</p></section>';
  const shown = events.slice(0, RISK_EVENT_ROWS);
  const body = shown
    .map(
      (event) =>
        `<tr class="${escapeHtml(event.severity)}"><td>${escapeHtml(formatUtc(event.ts))}</td><td>${escapeHtml(event.severity)}</td>` +
        `<td>${escapeHtml(event.kind)}</td><td>${escapeHtml(event.coin ?? 'all')}</td><td>${escapeHtml(event.message)}</td></tr>`,
    )
    .join('');
  const note = events.length > shown.length ? `<p>The first ${shown.length} of ${events.length} recorded events.</p>` : '';
  return (
    `<section><h2>Risk events</h2>${note}<table class="events"><thead><tr><th>time (UTC)</th><th>severity</th><th>kind</th>` +
    `<th>coin</th><th>message</th></tr></thead><tbody>${body}</tbody></table></section>`
  );
}

function coinSection(coin: string, index: number): string {
  return (
    `<section><h2>${escapeHtml(coin)}</h2><h3>Position</h3><div class="chart" id="chart-position-${index}"></div>` +
    '<h3>Our best quotes, mid and fills</h3><p class="note">Green: our bid and buys; red: our ask and sells. ' +
    'Filled dots are maker fills, hollow rings taker fills. Gaps: not quoting that side.</p>' +
    `<div class="chart" id="chart-price-${index}"></div></section>`
  );
}

/** `t` fields are time deltas (see timeDeltas). */
interface CoinChartData {
  t: number[];
  mid: (number | null)[];
  position: (number | null)[];
  bid: (number | null)[];
  ask: (number | null)[];
  /** Sorted by time; buy and maker are 1 or 0. */
  fills: { t: number[]; px: (number | null)[]; buy: number[]; maker: number[] };
}

function coinChartData(series: ReportSeries, fills: readonly RecordedFill[]): CoinChartData {
  const sorted = [...fills].sort((a, b) => a.ts - b.ts);
  return {
    t: timeDeltas(series.times()),
    mid: toArray(series.column('mid'), significant),
    position: toArray(series.column('position'), significant),
    bid: toArray(series.column('bidQuote'), significant),
    ask: toArray(series.column('askQuote'), significant),
    fills: {
      t: timeDeltas(sorted.map((fill) => fill.ts)),
      px: sorted.map((fill) => significant(fill.px)),
      buy: sorted.map((fill) => (fill.side === 'bid' ? 1 : 0)),
      maker: sorted.map((fill) => (fill.maker ? 1 : 0)),
    },
  };
}

const PAGE_CSS = `
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 24px auto; max-width: 1280px; padding: 0 16px; color: #1f2328; }
h1 { font-size: 22px; margin: 0 0 4px; } h2 { font-size: 17px; margin: 28px 0 8px; } h3 { font-size: 14px; margin: 14px 0 4px; color: #57606a; }
table { border-collapse: collapse; } th, td { text-align: left; padding: 3px 12px 3px 0; vertical-align: top; border-bottom: 1px solid #eaeef2; }
th { font-weight: 600; white-space: nowrap; } td { font-variant-numeric: tabular-nums; }
.tables { display: flex; flex-wrap: wrap; gap: 8px 48px; }
.warnings { background: #fff8c5; border: 1px solid #d4a72c; border-radius: 6px; padding: 4px 16px; margin: 16px 0; }
.warnings h2 { margin: 8px 0 4px; } .warnings ul { margin: 4px 0 8px; padding-left: 20px; }
.note { color: #57606a; margin: 0 0 4px; font-size: 13px; }
.chart { width: 100%; min-height: 40px; }
.events td:nth-child(-n+4) { white-space: nowrap; } .events tr.warning td { background: #fff8c5; } .events tr.critical td { background: #ffebe9; }
`;

/** Browser code: builds the uPlot charts from the JSON block. Text on the page is rendered server-side, escaped. */
const PAGE_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('backtest-data').textContent);
  var GREEN = '#1a7f37', RED = '#cf222e', BLUE = '#0969da', GREY = '#6e7781';
  var charts = [];

  function seconds(deltasMs) {
    var ms = 0;
    return deltasMs.map(function (delta) { ms += delta; return ms / 1000; });
  }
  function utc(ts) { return uPlot.tzDate(new Date(ts * 1000), 'Etc/UTC'); }
  function isoUtc(ts) { return new Date(ts * 1000).toISOString(); }
  function timeLabels(u, splits) {
    var step = splits.length > 1 ? splits[1] - splits[0] : 60;
    var end = step < 1 ? 23 : step < 60 ? 19 : 16;
    var previousDay = '';
    return splits.map(function (ts) {
      var iso = isoUtc(ts), day = iso.slice(0, 10), time = iso.slice(11, end);
      var label = day === previousDay ? time : time + '\\n' + day;
      previousDay = day;
      return label;
    });
  }
  // uPlot's default number format keeps 3 decimals, which turns a 0.0002 BTC position into 0.
  function decimalsOf(step) {
    var places = 0;
    while (places < 12 && Math.abs(Math.round(step * Math.pow(10, places)) - step * Math.pow(10, places)) > 1e-6) places++;
    return places;
  }
  function numberLabels(u, splits) {
    var places = splits.length > 1 ? decimalsOf(Math.abs(splits[1] - splits[0])) : 0;
    return splits.map(function (v) {
      return v == null ? '' : v.toLocaleString('en-US', { minimumFractionDigits: places, maximumFractionDigits: places });
    });
  }
  function legendValue(u, v) { return v == null ? '--' : String(v); }
  function legendTime(u, ts) { return ts == null ? '--' : isoUtc(ts).replace('T', ' ').slice(0, 23); }
  function line(label, colour, extra) {
    var series = { label: label, stroke: colour, width: 1.5, value: legendValue, points: { show: false } };
    for (var key in extra) series[key] = extra[key];
    return series;
  }
  function fillPoints(label, colour, maker) {
    return {
      label: label, stroke: colour, fill: maker ? colour : '#ffffff', width: 0, value: legendValue,
      paths: function () { return null; },
      points: { show: true, size: 7, width: 1.5, stroke: colour, fill: maker ? colour : '#ffffff' }
    };
  }
  function plot(id, height, series, columns, extraCursor) {
    var el = document.getElementById(id);
    if (columns[0].length === 0) { el.textContent = 'No samples.'; return; }
    var cursor = { sync: { key: 'backtest' } };
    for (var key in extraCursor) cursor[key] = extraCursor[key];
    var opts = {
      width: el.clientWidth, height: height, tzDate: utc, cursor: cursor,
      scales: { x: { time: true } },
      axes: [{ label: 'time (UTC)', values: timeLabels, space: 90 }, { size: 80, values: numberLabels }],
      series: [{ label: 'time (UTC)', value: legendTime }].concat(series)
    };
    charts.push({ el: el, chart: new uPlot(opts, columns, el) });
  }

  // Quotes are sampled on a clock and fills happen at their own times: merge both onto one x axis.
  // undefined marks "no sample here" (uPlot draws across it); null marks a gap (not quoting).
  function priceColumns(coin) {
    var x = [], mid = [], bid = [], ask = [], kinds = [[], [], [], []];
    var f = coin.fills, i = 0, j = 0, n = coin.t.length, m = f.t.length, k;
    while (i < n || j < m) {
      if (j >= m || (i < n && coin.t[i] <= f.t[j])) {
        x.push(coin.t[i]); mid.push(coin.mid[i]); bid.push(coin.bid[i]); ask.push(coin.ask[i]);
        for (k = 0; k < 4; k++) kinds[k].push(undefined);
        i++;
      } else {
        var kind = (f.buy[j] ? 0 : 2) + (f.maker[j] ? 0 : 1);
        x.push(f.t[j]); mid.push(undefined); bid.push(undefined); ask.push(undefined);
        for (k = 0; k < 4; k++) kinds[k].push(k === kind ? f.px[j] : undefined);
        j++;
      }
    }
    return [x, mid, bid, ask].concat(kinds);
  }

  data.equity.t = seconds(data.equity.t);
  data.coins.forEach(function (coin) { coin.t = seconds(coin.t); coin.fills.t = seconds(coin.fills.t); });
  plot('chart-equity', 260, [line('equity USD', BLUE)], [data.equity.t, data.equity.equity]);
  var stepped = uPlot.paths.stepped({ align: 1 });
  data.coins.forEach(function (coin, index) {
    plot('chart-position-' + index, 200, [line('position', BLUE, { paths: stepped })], [coin.t, coin.position]);
    plot('chart-price-' + index, 360, [
      line('mid', GREY, { width: 1 }),
      line('our bid', GREEN, { paths: stepped }),
      line('our ask', RED, { paths: stepped }),
      fillPoints('buy (maker)', GREEN, true),
      fillPoints('buy (taker)', GREEN, false),
      fillPoints('sell (maker)', RED, true),
      fillPoints('sell (taker)', RED, false)
    ], priceColumns(coin), { hover: { prox: function (u, seriesIdx) { return seriesIdx > 3 ? 12 : null; } } });
  });

  window.addEventListener('resize', function () {
    charts.forEach(function (c) { c.chart.setSize({ width: c.el.clientWidth, height: c.chart.height }); });
  });
})();
`;

/** One self-contained HTML page (uPlot inlined, data embedded as JSON) for `hypermm backtest --report`. */
export function renderBacktestReport(input: BacktestReportInput): string {
  const { title, summary, recorder, settings } = input;
  const uplot = readUplot();
  const coins = [...recorder.coinSeries.keys()];
  const fillsByCoin = new Map<string, RecordedFill[]>(coins.map((coin) => [coin, []]));
  for (const fill of recorder.chartFills) fillsByCoin.get(fill.coin)?.push(fill);
  const data = {
    equity: { t: timeDeltas(recorder.equity.times()), equity: toArray(recorder.equity.column('equity'), (v) => decimals(v, EQUITY_DECIMALS)) },
    coins: coins.map((coin) => ({ coin, ...coinChartData(recorder.coinSeries.get(coin)!, fillsByCoin.get(coin)!) })),
  };
  const settingRows = rows(Object.entries(settings).map(([key, value]) => [words(key), describeSetting(value)]));
  const subtitle = `Backtest of ${summary.coins.join(', ')} over ${formatDuration(summary.durationSec)}; net PnL ${money(summary.netPnl)} USD`;
  return [
    '<!doctype html>',
    '<html lang="en"><head><meta charset="utf-8">',
    '<meta name="viewport" content="width=device-width, initial-scale=1">',
    `<title>${escapeHtml(title)}</title>`,
    `<style>${inlineSafe(uplot.css, 'style')}</style>`,
    `<style>${PAGE_CSS}</style>`,
    '</head><body>',
    `<header><h1>${escapeHtml(title)}</h1><p class="note">${escapeHtml(subtitle)}</p></header>`,
    warningsSection(summary.warnings),
    '<div class="tables">',
    `<section><h2>Run settings</h2><table class="settings">${settingRows}</table></section>`,
    `<section><h2>Summary</h2><table class="summary">${summaryRows(summary)}</table></section>`,
    '</div>',
    '<section><h2>Equity</h2><div class="chart" id="chart-equity"></div></section>',
    ...coins.map(coinSection),
    riskEventsSection(recorder.riskEvents),
    `<script type="application/json" id="backtest-data">${scriptSafeJson(data)}</script>`,
    `<script>${inlineSafe(uplot.js, 'script')}</script>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body></html>',
    '',
  ].join('\n');
}
