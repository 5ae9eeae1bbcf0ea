import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import type { BacktestSummary } from '../../src/backtest/run-backtest.js';
import { formatRawFrameLine } from '../../src/data/readers/raw-frames.js';
import { runCli, runMain } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypermm-cli-backtest-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const shared = fileURLToPath(new URL('../../../shared/data/hyperliquid/', import.meta.url));

const tight = join(dir, 'tight.json');
writeFileSync(
  tight,
  JSON.stringify({
    coins: ['BTC', 'ETH'],
    capital_usd: 5000,
    base_spread_bps: 0.2,
    vol_multiplier: 0,
    min_spread_bps: 0.1,
    min_spread_guard_enabled: false,
    single_sided_mode: 'off',
    level_spacing_bps: 0.2,
    size_notional_usd: 50,
    max_per_coin_notional: 1000,
    max_gross_notional: 3000,
  }),
);

/**
 * Raw frames of BTC from 12:58 to 14:01 UTC: a constant book every 2 s, one sell through the bot's
 * bids at 12:59:40 (once it quotes) so that it is long from then on, and activeAssetCtx frames at
 * 12:57:59 (rate 0.0001, oracle 100010) and 13:30 (rate 0.0002, oracle 100020).
 */
function recordingAcrossTwoHours(): string {
  const start = Date.UTC(2025, 0, 26, 12, 58);
  const lines: string[] = [];
  const frame = (localMs: number, data: unknown) => lines.push(formatRawFrameLine(BigInt(localMs) * 1_000_000n, JSON.stringify(data)));
  const levels = (pairs: number[][]) => pairs.map(([px, sz]) => ({ px: String(px), sz: String(sz), n: 1 }));
  const ctx = (localMs: number, funding: string, oraclePx: string) =>
    frame(localMs, { channel: 'activeAssetCtx', data: { coin: 'BTC', ctx: { funding, oraclePx, markPx: oraclePx, openInterest: '1000.0' } } });
  ctx(start - 1000, '0.0001', '100010.0');
  for (let t = start; t <= start + 63 * 60_000; t += 2000) {
    const book = [levels([[99_999, 1.5], [99_998, 2]]), levels([[100_001, 1.5], [100_002, 2]])];
    frame(t, { channel: 'l2Book', data: { coin: 'BTC', time: t - 50, levels: book } });
    if (t === start + 100_000) {
      const sell = { coin: 'BTC', side: 'A', px: '99990.0', sz: '1.0', time: t + 1950, hash: '0x0', tid: 1, users: ['0xa', '0xb'] };
      frame(t + 2000, { channel: 'trades', data: [sell] });
    }
    if (t === start + 32 * 60_000) ctx(t + 10, '0.0002', '100020.0');
  }
  return lines.join('');
}

describe('hypermm backtest', () => {
  it('prints one JSON summary whose net PnL is gross − fees + funding', async () => {
    const result = await runMain(['backtest', '--config', tight, '--synthetic', '--hours', '0.25', '--coin', 'BTC', '--seed', '5', '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as BacktestSummary;
    expect(Object.keys(summary)).toEqual([
      'events', 'durationSec', 'coins', 'orders', 'fills', 'makerFills', 'takerFills', 'volumeUsd', 'grossPnl', 'fees',
      'funding', 'netPnl', 'maxDrawdown', 'sharpe', 'roundTrips', 'finalPosition', 'rejects', 'badLines', 'warnings',
    ]);
    expect(summary.coins).toEqual(['BTC']);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.netPnl).toBe(summary.grossPnl - summary.fees + summary.funding);
  });

  it('prints the same output for the same inputs and seed, sampled latencies included', async () => {
    const args = ['backtest', '--config', tight, '--synthetic', '--hours', '0.1', '--queue-model', 'log', '--latency-ms', 'lognormal:30:0.6', '--feed-latency-ms', '15', '--seed', '9', '--json'];
    const [a, b] = [await runMain(args), await runMain(args)];
    expect(a.stdout).toBe(b.stdout);
  });

  it('writes a self-contained HTML report and stores orders and fills in the database', () => {
    const report = join(dir, 'out', 'report.html');
    const db = join(dir, 'bt.db');
    const result = runCli(['backtest', '--config', tight, '--synthetic', '--hours', '0.2', '--coin', 'BTC', '--latency-ms', 'uniform:40:120', '--report', report, '--db', db]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('net PnL = gross − fees + funding');
    expect(result.stdout).toContain(`report: ${report}`);
    const html = readFileSync(report, 'utf8');
    expect(html).toContain('<html');
    expect(html).not.toMatch(/<script[^>]+src=/);
    expect(statSync(report).size).toBeGreaterThan(10_000);
    expect(html).toContain('<th>order latency</th><td>uniform 40–120 ms</td>');
    expect(html).toContain('<th>feed latency</th><td>recorded (local receive times in the data)</td>');
    const store = new Database(db, { readonly: true });
    const count = (sql: string) => (store.prepare(sql).get() as { n: number }).n;
    expect(count("SELECT count(*) AS n FROM trades WHERE action = 'place'")).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM trades WHERE action IN ('ack', 'canceled')")).toBeGreaterThan(0);
    expect(count("SELECT count(*) AS n FROM trades WHERE coin <> 'BTC'")).toBe(0);
    expect(count('SELECT count(*) AS n FROM fills')).toBeGreaterThan(0);
    expect(count('SELECT count(*) AS n FROM fills WHERE trade_id IS NULL')).toBe(0);
    expect(count('SELECT count(*) AS n FROM pnl_tracking')).toBeGreaterThan(0);
    // 12 simulated minutes of one coin: one metrics row per minute, the last partial one included.
    expect(count('SELECT count(*) AS n FROM performance_metrics')).toBe(12);
    expect(count('SELECT sum(maker_fills + taker_fills) AS n FROM performance_metrics')).toBe(count('SELECT count(*) AS n FROM fills'));
    expect(result.stderr).toMatch(/stored as bot tight-backtest-\d{8}T\d{6}Z in /);
    expect(count("SELECT count(*) AS n FROM bots WHERE network = 'backtest'")).toBe(1);
    store.close();
    const info = runCli(['db', 'validate', '--db', db]);
    expect(info.code).toBe(0);
  });

  it.each([
    [['--synthetic', '--data', 'x'], '--synthetic and --data are exclusive'],
    [[], '--data: pass market data files'],
    [['--synthetic', '--hours', 'ten'], '--hours: expected hours'],
    [['--data', join(dir, 'missing.lz4'), '--hours', '2'], '--hours and --start set a synthetic market (--synthetic); a window of --data is set by --from and --to'],
    [['--synthetic', '--from', '2025-01-01T00:30:00Z'], '--from and --to select a window of --data; a synthetic market is set by --start and --hours'],
    [['--synthetic', '--latency-ms', '-5'], '--latency-ms: the latency must be between 0 and 60000 ms; expected milliseconds (100), uniform:MIN:MAX'],
    [['--synthetic', '--latency-ms', 'uniform:200:100'], '--latency-ms: MAX is below MIN'],
    [['--synthetic', '--latency-ms', 'lognormal:80'], '--latency-ms: unknown form "lognormal:…"'],
    [['--synthetic', '--latency-ms', 'lognormal:80:-1'], '--latency-ms: SIGMA must be between 0 and 3'],
    [['--synthetic', '--feed-latency-ms', 'soon'], '--feed-latency-ms: expected "recorded" or milliseconds'],
    [['--data', 'x', '--from', 'yesterday'], '--from: "yesterday" is not a time'],
    [['--data', 'x', '--from', '2024-01-01T12:20', '--to', '1704111000000'], '--from 2024-01-01T12:20:00.000Z is not before --to 2024-01-01T12:10:00.000Z: the window is empty'],
    [['--synthetic', '--coin', 'DOGE'], 'coin "DOGE" is not configured; coins are BTC, ETH'],
    [['--data', join(dir, 'missing.lz4')], 'missing.lz4'],
    [['--data', 'x', '--from', '1704110400'], '--from: 1704110400 looks like epoch seconds; pass epoch ms (1704110400000) or ISO 8601'],
    [['--synthetic', '--report', join(tight, 'report.html')], `--report: cannot write into ${tight} (`],
    [['--synthetic', '--report', dir], `--report: ${dir} is a directory`],
    [['--synthetic', '--fee-tier', '7'], '--fee-tier: expected a tier from 0 to 6, got "7"'],
  ])('exits 2 naming the problem for %j', async (extra, message) => {
    const result = await runMain(['backtest', '--config', tight, ...extra]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain(message);
  });

  it('charges the fees of the tier --fee-tier names, and the report says which rates the run paid', async () => {
    const run = async (extra: string[]) => {
      const result = await runMain(['backtest', '--config', tight, '--synthetic', '--hours', '0.25', '--coin', 'BTC', '--seed', '5', '--json', ...extra]);
      return JSON.parse(result.stdout) as BacktestSummary;
    };
    const base = await run([]);
    const tier3 = await run(['--fee-tier', '3']);
    expect(base.fills).toBeGreaterThan(0);
    expect(tier3.fees).toBeGreaterThan(0);
    expect(tier3.fees).toBeLessThan(base.fees);
    const report = join(dir, 'tier3.html');
    runCli(['backtest', '--config', tight, '--synthetic', '--hours', '0.1', '--coin', 'BTC', '--fee-tier', '3', '--report', report]);
    expect(readFileSync(report, 'utf8')).toContain('<th>fees</th><td>maker 0.004%, taker 0.03%</td>');
  });

  it('leaves nothing of a run that failed in the database', () => {
    const frames = join(dir, 'btc-frames-window.txt');
    writeFileSync(frames, recordingAcrossTwoHours());
    const db = join(dir, 'failed.db');
    const result = runCli(['backtest', '--config', tight, '--coin', 'BTC', '--data', frames, '--no-cache', '--from', '2030-01-01T00:00:00Z', '--db', db]);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('no market events for the chosen coins and time range');
    const store = new Database(db, { readonly: true });
    expect((store.prepare('SELECT count(*) AS n FROM bots').get() as { n: number }).n).toBe(0);
    store.close();
  });

  it('refuses an unknown queue model', async () => {
    const result = await runMain(['backtest', '--config', tight, '--synthetic', '--queue-model', 'fifo']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('fifo');
  });

  it('pays hourly funding from the activeAssetCtx frames of a recording on a position held across the hours', () => {
    const frames = join(dir, 'btc-frames.txt');
    writeFileSync(frames, recordingAcrossTwoHours());
    const args = ['backtest', '--config', tight, '--coin', 'BTC', '--data', frames, '--cache-dir', join(dir, 'frames-cache'), '--json'];
    const cold = runCli(args);
    expect(cold.code).toBe(0);
    const summary = JSON.parse(cold.stdout) as BacktestSummary;
    const position = summary.finalPosition.BTC!;
    expect(position).toBeGreaterThan(0);
    // A long pays a positive rate at the oracle price: at 13:00 the rate of 12:58, at 14:00 that of 13:30.
    expect(summary.funding).not.toBe(0);
    expect(summary.funding).toBeCloseTo(-position * (100_010 * 0.0001 + 100_020 * 0.0002), 10);
    expect(summary.netPnl).toBe(summary.grossPnl - summary.fees + summary.funding);
    expect(summary.warnings.join('\n')).not.toContain('funding is off');
    // The second run reads the binary cache, funding events included, and prints the same.
    expect(runCli(args).stdout).toBe(cold.stdout);
  });

  it.skipIf(!existsSync(shared))('backtests the recorded S3 archive hour and says fills are inferred (skipped without ../shared/data)', () => {
    const result = runCli(['backtest', '--config', tight, '--coin', 'BTC', '--data', `${shared}s3_archive_l2book/BTC_20240101_h12.lz4`, '--cache-dir', join(dir, 'cache'), '--json']);
    expect(result.code).toBe(0);
    const summary = JSON.parse(result.stdout) as BacktestSummary;
    expect(summary.events).toBe(5587);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.warnings.join(' ')).toContain('inferred from book changes');
  });
});
