import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { runBacktest, type BacktestOptions, type BacktestResult } from '../../src/backtest/run-backtest.js';
import { formatRawFrameLine } from '../../src/data/readers/raw-frames.js';
import { syntheticL2Market } from '../../src/data/synthetic/l2-market.js';
import { archiveLine, bookData, tradeData } from '../data/readers/fixtures.js';
import { tightConfig } from './tight-config.js';

const shared = fileURLToPath(new URL('../../../shared/data/hyperliquid/', import.meta.url));
const hasSharedData = existsSync(shared);

function synthetic(minutes: number): BacktestOptions['data'] {
  return { kind: 'synthetic', startMs: Date.UTC(2025, 0, 1), durationMs: minutes * 60_000 };
}

/** Recomputes gross PnL from the recorded fills alone: cash flow plus the position at the last mid. */
function grossFromFills(result: BacktestResult, coin: string): number {
  let cash = 0;
  let position = 0;
  for (const fill of result.recorder.chartFills.filter((f) => f.coin === coin)) {
    const signed = fill.side === 'bid' ? fill.sz : -fill.sz;
    cash -= signed * fill.px;
    position += signed;
  }
  const mids = result.recorder.coinSeries.get(coin)!.column('mid');
  return cash + position * mids[mids.length - 1]!;
}

function expectExactAccounting(result: BacktestResult): void {
  const { summary } = result;
  expect(summary.netPnl).toBe(summary.grossPnl - summary.fees + summary.funding);
  expect(summary.fills).toBe(summary.makerFills + summary.takerFills);
  for (const coin of summary.coins) {
    const fills = result.recorder.chartFills.filter((f) => f.coin === coin);
    const position = fills.reduce((sum, f) => sum + (f.side === 'bid' ? f.sz : -f.sz), 0);
    expect(summary.finalPosition[coin]).toBeCloseTo(position, 9);
  }
}

describe('runBacktest on the synthetic market', () => {
  it('quotes, gets filled, and accounts for every fill exactly', async () => {
    const result = await runBacktest({ config: tightConfig(['BTC']), data: synthetic(20), queueModel: 'risk-averse', latency: { kind: 'constant', ms: 100 }, seed: 7 });
    const { summary } = result;
    expect(summary.events).toBeGreaterThan(1000);
    expect(summary.durationSec).toBeGreaterThan(19 * 60);
    expect(summary.orders).toBeGreaterThan(0);
    expect(summary.fills).toBeGreaterThan(0);
    expect(summary.volumeUsd).toBeGreaterThan(0);
    expect(summary.fees).toBeCloseTo(summary.volumeUsd * 0.00015, 6);
    expectExactAccounting(result);
    expect(summary.grossPnl).toBeCloseTo(grossFromFills(result, 'BTC'), 6);
    expect(summary.warnings.join('\n')).toContain('funding is off');
  });

  it('gives the same output for the same seed and a different one for another seed', async () => {
    const run = (seed: number) =>
      runBacktest({ config: tightConfig(['BTC', 'ETH']), data: synthetic(10), queueModel: 'power2', latency: { kind: 'constant', ms: 50 }, seed });
    const [a, b, c] = await Promise.all([run(3), run(3), run(4)]);
    expect(JSON.stringify(a.summary)).toBe(JSON.stringify(b.summary));
    expect(JSON.stringify(a.summary)).not.toBe(JSON.stringify(c.summary));
    expect(a.summary.coins).toEqual(['BTC', 'ETH']);
  });

  it('fills less when more of the queue must trade first (risk-averse vs power3)', async () => {
    const run = (queueModel: BacktestOptions['queueModel']) =>
      runBacktest({ config: tightConfig(['BTC']), data: synthetic(20), queueModel, latency: { kind: 'constant', ms: 100 }, seed: 11 });
    const [averse, power3] = await Promise.all([run('risk-averse'), run('power3')]);
    expect(power3.summary.makerFills).toBeGreaterThanOrEqual(averse.summary.makerFills);
  });

  it('samples order latency from the seed: a fixed range repeats exactly, and a zero-width range is the constant', async () => {
    const run = (latency: BacktestOptions['latency'], seed = 5) =>
      runBacktest({ config: tightConfig(['BTC']), data: synthetic(10), queueModel: 'risk-averse', latency, seed });
    const [sampled, again, pointRange, constant] = await Promise.all([
      run({ kind: 'uniform', minMs: 20, maxMs: 400 }),
      run({ kind: 'uniform', minMs: 20, maxMs: 400 }),
      run({ kind: 'uniform', minMs: 100, maxMs: 100 }),
      run({ kind: 'constant', ms: 100 }),
    ]);
    expect(JSON.stringify(sampled.summary)).toBe(JSON.stringify(again.summary));
    expect(JSON.stringify(pointRange.summary)).toBe(JSON.stringify(constant.summary));
    expect(JSON.stringify(sampled.summary)).not.toBe(JSON.stringify(constant.summary));
    expectExactAccounting(sampled);
  });

  it('lets the bot see market data a constant time after the exchange instead of at the recorded receive times', async () => {
    const run = (feedLatency: BacktestOptions['feedLatency']) =>
      runBacktest({ config: tightConfig(['BTC']), data: synthetic(5), queueModel: 'risk-averse', latency: { kind: 'constant', ms: 50 }, feedLatency, seed: 2 });
    const [recorded, late] = await Promise.all([run(undefined), run({ kind: 'constant', ms: 1_500 })]);
    // The first loop runs when the first event reaches the bot.
    expect(late.recorder.equity.times()[0]).toBe(late.recorder.firstExchangeTs + 1_500);
    expect(recorded.recorder.equity.times()[0]).toBeLessThan(recorded.recorder.firstExchangeTs + 1_500);
    expectExactAccounting(late);
  });

  it('charges each coin its own fee rates, a maker rebate included', async () => {
    const rates = { BTC: { maker: 0.00015, taker: 0.00045 }, ETH: { maker: -0.00003, taker: 0.0003 } };
    const config = tightConfig(['BTC', 'ETH'], { per_coin: { ETH: { maker_fee: rates.ETH.maker, taker_fee: rates.ETH.taker } } });
    const result = await runBacktest({ config, data: synthetic(10), queueModel: 'risk-averse', latency: { kind: 'constant', ms: 50 }, seed: 4 });
    const fills = result.recorder.chartFills;
    expect(new Set(fills.map((fill) => fill.coin))).toEqual(new Set(['BTC', 'ETH']));
    const expected = fills.reduce((sum, fill) => {
      const rate = rates[fill.coin as keyof typeof rates];
      return sum + (fill.maker ? rate.maker : rate.taker) * fill.px * fill.sz;
    }, 0);
    expect(result.summary.fees).toBeCloseTo(expected, 9);
  });

  it('counts the orders that rest beyond the displayed depth, where the queue is unknown', async () => {
    const run = (config: ReturnType<typeof tightConfig>) =>
      runBacktest({ config, data: synthetic(5), queueModel: 'risk-averse', latency: { kind: 'constant', ms: 50 }, seed: 3 });
    const beyondDepth = /^BTC: (\d+) of our orders rested beyond the displayed book depth, where the queue is unknown/;
    const [touch, wide] = await Promise.all([
      run(tightConfig(['BTC'])),
      run(tightConfig(['BTC'], { base_spread_bps: 20, min_spread_bps: 20, level_spacing_bps: 5 })),
    ]);
    expect(touch.summary.warnings.filter((warning) => beyondDepth.test(warning))).toEqual([]);
    const counted = wide.summary.warnings.map((warning) => beyondDepth.exec(warning)).find((match) => match !== null);
    expect(Number(counted?.[1])).toBeGreaterThan(0);
    expect(Number(counted?.[1])).toBeLessThanOrEqual(wide.summary.orders);
  });

  it('refuses a coin without a synthetic calibration, naming the calibrated ones', async () => {
    await expect(
      runBacktest({ config: tightConfig(['SOL']), data: synthetic(1), queueModel: 'risk-averse', latency: { kind: 'constant', ms: 0 }, seed: 1 }),
    ).rejects.toThrow(/coin SOL: no synthetic market is calibrated for it; synthetic markets exist for BTC, ETH/);
  });
});

describe('runBacktest on a recording with bad lines', () => {
  /** Ten minutes of the synthetic BTC book as raw l2Book frames, with `bad` put in at the given 1-based lines. */
  function recordingWith(bad: Record<number, string>): string {
    const lines: string[] = [];
    for (const event of syntheticL2Market({ seed: 3, coin: 'BTC', startMs: Date.UTC(2025, 0, 1), durationMs: 10 * 60_000 })) {
      if (event.type !== 'book') continue;
      const side = (pxs: Float64Array, szs: Float64Array) => Array.from(pxs, (px, i) => ({ px: String(px), sz: String(szs[i]), n: 1 }));
      const levels = [side(event.bidPx, event.bidSz), side(event.askPx, event.askSz)];
      lines.push(formatRawFrameLine(BigInt(event.localTs) * 1_000_000n, JSON.stringify({ channel: 'l2Book', data: { coin: 'BTC', time: event.exchTs, levels } })).trimEnd());
    }
    for (const [line, text] of Object.entries(bad)) lines.splice(Number(line) - 1, 0, text);
    const dir = mkdtempSync(join(tmpdir(), 'hypermm-bad-lines-'));
    const file = join(dir, 'btc.raw');
    writeFileSync(file, lines.join('\n') + '\n');
    return file;
  }

  it('names the file and line of the first bad lines in the warnings and counts the rest', async () => {
    const bad = Object.fromEntries([3, 5, 7, 9, 11, 13, 15].map((line) => [line, `${line} {"channel":"l2Book","data":`]));
    const file = recordingWith(bad);
    try {
      const { summary } = await runBacktest({ config: tightConfig(['BTC']), data: { kind: 'files', paths: [file], useCache: false }, queueModel: 'risk-averse', latency: { kind: 'constant', ms: 50 }, seed: 1 });
      expect(summary.badLines).toBe(7);
      const named = summary.warnings.filter((warning) => warning.startsWith('bad data line skipped: '));
      expect(named.map((warning) => warning.slice(0, warning.indexOf(': ', 24)))).toEqual([3, 5, 7, 9, 11].map((line) => `bad data line skipped: ${file}:${line}`));
      expect(summary.warnings).toContain('2 more bad data lines skipped (--strict stops at the first)');
    } finally {
      rmSync(join(file, '..'), { recursive: true, force: true });
    }
  });
});

describe('runBacktest with a fundingHistory reply beside S3 archive books', () => {
  const dir = mkdtempSync(join(tmpdir(), 'hypermm-funding-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const H12 = Date.UTC(2024, 0, 1, 12);
  const HOUR = 3_600_000;
  // BTC books from 11:59:59 to 13:00:29 in the archive's own line format: the run's whole hours are 12:00 and 13:00.
  const books = join(dir, 'BTC_20240101_h12.jsonl');
  const times = Array.from({ length: 1816 }, (_, index) => H12 - 1000 + index * 2000);
  writeFileSync(books, times.map((time) => archiveLine(bookData('BTC', time, 42_000), new Date(time + 5).toISOString().slice(0, -1))).join('\n') + '\n');
  /** A reply with BTC's hourly records from `firstHour` to `lastHour` (hours after 12:00), stamped 48 ms after each hour. */
  function reply(name: string, firstHour: number, lastHour: number): string {
    const file = join(dir, name);
    const records = [];
    for (let hour = firstHour; hour <= lastHour; hour += 1) records.push({ coin: 'BTC', fundingRate: '0.0000125', premium: '-0.0003', time: H12 + hour * HOUR + 48 });
    writeFileSync(file, JSON.stringify(records));
    return file;
  }
  const run = (paths: string[], coins: string[]) =>
    runBacktest({ config: tightConfig(coins), data: { kind: 'files', paths, useCache: false }, queueModel: 'risk-averse', latency: { kind: 'constant', ms: 50 }, seed: 1 });

  it('replays only the records within the books, and says which coins have no funding rates', async () => {
    const { summary } = await run([books, reply('day.json', -12, 12)], ['BTC', 'ETH']);
    expect(summary.durationSec).toBe((times.at(-1)! - times[0]!) / 1000);
    expect(summary.events).toBe(times.length + 2);
    expect(summary.warnings).toContain('ETH: data has no funding rates: funding is off for ETH');
    expect(summary.warnings.join('\n')).not.toMatch(/funding is off in this backtest|BTC: .*funding/);
    expect(summary.warnings.join('\n')).toContain('BTC: data has no trades: our fills are inferred from book changes');
    expectExactAccounting((await run([books, reply('day-btc.json', -12, 12)], ['BTC'])));
  });

  it('says per coin which coins had no books, and which had books but no trades to fill on', async () => {
    const eth = join(dir, 'eth.raw');
    writeFileSync(
      eth,
      [0, 1].map((minute) => {
        const time = H12 + minute * 60_000;
        return (
          formatRawFrameLine(BigInt(time) * 1_000_000n, JSON.stringify({ channel: 'l2Book', data: bookData('ETH', time, 2_300) })) +
          formatRawFrameLine(BigInt(time + 10) * 1_000_000n, JSON.stringify({ channel: 'trades', data: [tradeData('ETH', time + 5, minute + 1, 'A', 2_300)] }))
        );
      }).join(''),
    );
    const { summary } = await run([books], ['BTC', 'SOL']);
    expect(summary.warnings).toContain('SOL: the data has no books of SOL, so it was never quoted (--coin leaves it out)');
    // A raw recording may hold trades of any coin, so BTC's archive books are not given inferred fills beside it.
    const mixed = await run([books, eth], ['BTC', 'ETH']);
    expect(mixed.summary.warnings).toContain('BTC: data has no trades: our orders fill only when the book moves through their price, which is pessimistic');
    expect(mixed.summary.warnings.join('\n')).not.toMatch(/^ETH: data has no trades/m);
  });

  it('says with ISO times where the records do not cover the run', async () => {
    const { summary } = await run([books, reply('late.json', 1, 1)], ['BTC']);
    expect(summary.warnings).toContain(
      "BTC: funding rates start at 2024-01-01T13:00:00.048Z, after the run's first funding hour 2024-01-01T12:00:00.000Z: no funding is paid before them",
    );
    const early = await run([books, reply('early.json', -3, 0)], ['BTC']);
    expect(early.summary.warnings).toContain(
      "BTC: funding rates end at 2024-01-01T12:00:00.048Z, before the run's last funding hour 2024-01-01T13:00:00.000Z: no funding is paid after them",
    );
  });

  it('says funding is off when the data has no funding rates', async () => {
    const { summary } = await run([books], ['BTC']);
    expect(summary.warnings).toContain('data has no funding rates: funding is off in this backtest');
  });
});

describe.skipIf(!hasSharedData)('runBacktest on the recorded Hyperliquid data (skipped: ../shared/data is absent)', () => {
  const cacheDir = fileURLToPath(new URL('../../.hypermm-cache/test-backtest/', import.meta.url));
  const recorded = (paths: string[], coins: string[]) =>
    runBacktest({ config: tightConfig(coins), data: { kind: 'files', paths, cacheDir }, queueModel: 'risk-averse', latency: { kind: 'constant', ms: 50 }, seed: 1 });

  it.each([
    ['the S3 archive hour (lz4)', [`${shared}s3_archive_l2book/BTC_20240101_h12.lz4`], ['BTC']],
    ['the S3 archive hour (jsonl.gz)', [`${shared}s3_archive_l2book/BTC_20240101_h12.jsonl.gz`], ['BTC']],
    ['the collector CSVs', [`${shared}ws_collector_20250903`], ['BTC', 'ETH', 'SOL', 'WLFI']],
    ['the raw WebSocket frames', [`${shared}hftbacktest_raw/btcusd_20250126.gz`], ['BTC']],
  ])('trades %s with fills and exact accounting', async (_name, paths, coins) => {
    const result = await recorded(paths, coins);
    expect(result.summary.fills).toBeGreaterThan(0);
    expectExactAccounting(result);
  });

  it('infers fills from book changes where the data has no trades (the S3 archive), and says so', async () => {
    const result = await recorded([`${shared}s3_archive_l2book/BTC_20240101_h12.jsonl.gz`], ['BTC']);
    expect(result.summary.events).toBe(5587);
    expect(result.summary.warnings.join('\n')).toContain('BTC: data has no trades: our fills are inferred from book changes');
    // Without inference only a book moving through our price fills us: a handful of fills in the hour.
    expect(result.summary.makerFills).toBeGreaterThan(100);
    const collector = await recorded([`${shared}ws_collector_20250903`], ['BTC']);
    expect(collector.summary.warnings.join('\n')).not.toContain('inferred from book changes');
  });

  it('reports the collector gaps as warnings', async () => {
    const result = await recorded([`${shared}ws_collector_20250903`], ['BTC']);
    expect(result.summary.warnings.filter((w) => w.includes('gap')).length).toBeGreaterThanOrEqual(2);
  });
});
