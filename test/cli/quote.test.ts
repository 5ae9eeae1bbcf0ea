import { describe, expect, it } from 'vitest';
import type { QuoteReport } from '../../src/cli/quote.js';
import { runMain } from '../helpers/cli.js';



const glftExample = ['--model', 'glft', '--mid', '100000', '--position', '0', '--tick', '1', '--sigma', '10.69', '--gamma', '0.05', '--k', '0.04235741115084049', '--A', '2.986162360812285'];
const asPaper = ['--model', 'avellaneda-stoikov', '--mid', '100', '--position', '3', '--sigma', '2', '--gamma', '0.1', '--k', '1.5', '--horizon', '1', '--elapsed', '0'];

async function quoteJson(args: string[]): Promise<QuoteReport> {
  const result = await runMain(['quote', ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as QuoteReport;
}

async function errorOf(args: string[]): Promise<string> {
  const result = await runMain(['quote', ...args]);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  return result.stderr.trim();
}

describe('hypermm quote --json', () => {
  it('prints exactly the documented fields', async () => {
    const quote = await quoteJson(glftExample);
    expect(Object.keys(quote)).toEqual(['reservationPrice', 'halfSpread', 'skew', 'bids', 'asks', 'reasons']);
    expect(Object.keys(quote.bids[0]!)).toEqual(['price', 'size']);
    expect(quote.reasons).toEqual({ bid: null, ask: null });
  });

  it('reproduces the GLFT worked example: half spread 20.4721, skew 9.76327', async () => {
    const quote = await quoteJson(glftExample);
    expect(Math.abs(quote.halfSpread - 20.4721)).toBeLessThan(1e-4);
    expect(Math.abs(quote.skew - 9.76327)).toBeLessThan(1e-4);
    expect(quote.bids.map((level) => level.price)).toEqual([99_979, 99_969]);
    expect(quote.asks.map((level) => level.price)).toEqual([100_021, 100_031]);
    expect(quote.bids[0]!.size).toBeCloseTo(0.00025, 12); // default $25 per level
  });

  it('reproduces Avellaneda–Stoikov: total spread 1.6908 at t = 0, reservation 1.2 under the mid at q = 3', async () => {
    const quote = await quoteJson(asPaper);
    expect(2 * quote.halfSpread).toBeCloseTo(1.6908, 4);
    expect(quote.reservationPrice).toBeCloseTo(98.8, 9);
    expect(quote.skew).toBeCloseTo(0.4, 9);
  });

  it('narrows the Avellaneda–Stoikov inventory term as the session runs out', async () => {
    const late = await quoteJson([...asPaper.slice(0, -2), '--elapsed', '0.75']);
    expect(late.reservationPrice).toBeCloseTo(99.7, 9);
  });

  it('builds the ladder from --levels, --spacing-bps and --size-usd', async () => {
    const quote = await quoteJson(['--model', 'fixed', '--mid', '3000', '--position', '0', '--levels', '3', '--spacing-bps', '2', '--size-usd', '90']);
    // default tick at 3000 is 0.1; min_spread_bps 4 → half spread 0.6; spacing 0.6
    expect(quote.bids.map((level) => level.price)).toEqual([2999.4, 2998.8, 2998.2]);
    expect(quote.asks.map((level) => level.price)).toEqual([3000.6, 3001.2, 3001.8]);
    expect(quote.asks.every((level) => Math.abs(level.size - 0.01) < 1e-12)).toBe(true);
  });

  it('says why a side is not quoted', async () => {
    const blocked = await quoteJson(['--model', 'fixed', '--mid', '3000', '--position', '0', '--single-sided', 'ask']);
    expect(blocked.bids).toEqual([]);
    expect(blocked.reasons).toEqual({ bid: 'single_sided_mode is "ask"', ask: null });
    const tiny = await quoteJson(['--model', 'fixed', '--mid', '3000', '--position', '0', '--size-usd', '15']);
    expect(tiny.reasons.bid).toBe('no level left: level 0 dropped: $7.50 is below the $10 minimum order value');
    const intoBuyers = await quoteJson(['--model', 'fixed', '--mid', '3000', '--position', '0', '--single-sided', 'auto', '--flow-bias', '2']);
    expect(intoBuyers.reasons.bid).toMatch(/buy flow dominates/);
  });

  it('keeps post-only quotes off the other side of the book', async () => {
    const quote = await quoteJson(['--model', 'fixed', '--mid', '3000', '--position', '0', '--best-bid', '2999', '--best-ask', '2999.2']);
    expect(quote.bids[0]!.price).toBe(2999.1);
  });
});

describe('hypermm quote with --config', () => {
  it('takes the model and its parameters from the config file', async () => {
    const quote = await quoteJson(['--config', 'configs/example-glft.json', '--mid', '100000', '--position', '0', '--tick', '1', '--sigma', '10.69']);
    expect(Math.abs(quote.halfSpread - 20.4721)).toBeLessThan(1e-4);
    expect(quote.bids.map((level) => level.size * 100_000)).toEqual([expect.closeTo(150, 9), expect.closeTo(90, 9), expect.closeTo(60, 9)]);
  });

  it('lets flags override the config', async () => {
    const quote = await quoteJson(['--config', 'configs/example-glft.json', '--mid', '100000', '--position', '0', '--tick', '1', '--sigma', '10.69', '--gamma', '0.1']);
    expect(quote.halfSpread).toBeCloseTo(20.086, 3);
  });

  it('reads the coin named by --coin, with its per_coin overrides', async () => {
    const btc = await quoteJson(['--config', 'configs/example-avellaneda-stoikov.json', '--coin', 'BTC', '--mid', '3000', '--position', '1', '--sigma', '1']);
    const eth = await quoteJson(['--config', 'configs/example-avellaneda-stoikov.json', '--coin', 'ETH', '--mid', '3000', '--position', '1', '--sigma', '1']);
    expect(btc.skew).toBeCloseTo(0.001 * 60, 12); // γ σ² w with the 60 s rolling window
    expect(eth.skew).toBeCloseTo(0.05 * 60, 12);
  });

  it('asks for --coin when the config has several coins', async () => {
    expect(await errorOf(['--config', 'configs/example-mm.json', '--mid', '1', '--position', '0'])).toBe(
      'error: --coin is required with configs/example-mm.json, which has coins BTC, DOGE, HYPE, SOL, kSHIB',
    );
  });
});

describe('hypermm quote human output', () => {
  it('prints the model output, every level and each side\'s status', async () => {
    const result = await runMain(['quote', ...asPaper]);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('reservation price 98.8, half spread 0.8453852114, skew 0.4 per coin');
    expect(result.stdout).toMatch(/│ bid\s+│ 0\s+│ 98\.7\s+│ 0\.25\s+│ 24\.68\s+│/);
    expect(result.stdout).toContain('bid: quoting (half spread 0.1)\n  - spread held at max_spread_bps: 20.00 bps');
  });
});

describe('hypermm quote errors (exit 2, naming the flag)', () => {
  it.each([
    [['--model', 'fixed', '--mid', 'abc', '--position', '0'], 'error: --mid: expected a number above 0, got "abc"'],
    [['--model', 'fixed', '--mid', '100', '--position', ''], 'error: --position: expected a number, got ""'],
    [['--model', 'fixed', '--mid', '100', '--position', '0', '--sigma', '-1'], 'error: --sigma: expected a number at or above 0, got "-1"'],
    [[...glftExample.slice(0, -6), '--gamma', '0', '--k', '1', '--A', '1'], 'error: --gamma: expected a number above 0, got "0"'],
    [['--model', 'glft', '--mid', '100', '--position', '0', '--gamma', '0.1', '--k', '1', '--A', '1'], 'error: --sigma is required for the glft model (volatility, price units per √second)'],
    [['--model', 'glft', '--mid', '100', '--position', '0', '--sigma', '1', '--gamma', '0.1', '--k', '1'], 'error: --A is required for the glft model (or take it from --config FILE)'],
    [['--model', 'avellaneda-stoikov', '--mid', '100', '--position', '0', '--sigma', '1', '--gamma', '0.1', '--k', '1'], 'error: --horizon is required for the avellaneda-stoikov model (or take it from --config FILE)'],
    [[...asPaper.slice(0, -2), '--elapsed', '2'], 'error: --elapsed: 2 is past the horizon of 1 seconds'],
    [['--mid', '100', '--position', '0'], 'error: --model is required: fixed, avellaneda-stoikov or glft (or take it from --config FILE)'],
    [['--model', 'gueant', '--mid', '100', '--position', '0'], 'error: --model: expected fixed, avellaneda-stoikov or glft, got "gueant"'],
    [['--model', 'fixed', '--position', '0'], 'error: --mid is required (the mid price, e.g. --mid 100000)'],
    [['--model', 'fixed', '--mid', '100', '--position', '0', '--levels', '2.5'], 'error: --levels: expected a whole number from 1 to 20, got "2.5"'],
    [['--model', 'fixed', '--mid', '100', '--position', '0', '--best-bid', '101', '--best-ask', '100'], 'error: --best-bid: 101 must be below --best-ask 100'],
    [['--model', 'fixed', '--mid', '100', '--position', '0', '--single-sided', 'both'], 'error: --single-sided: expected off, bid, ask or auto, got "both"'],
    [['--model', 'fixed', '--mid', '100', '--position', '0', '--coin', 'BTC'], 'error: --coin: only meaningful with --config FILE'],
    [['--config', 'configs/example-glft.json', '--mid', '100', '--position', '0', '--sigma', '1', '--levels', '2'], 'error: --levels: 2 does not match level_size_split in configs/example-glft.json, which has 3 entries'],
    [['--config', 'configs/no-such.json', '--mid', '100', '--position', '0'], 'error: configs/no-such.json: file not found; pass the path of a JSON config (see configs/example-mm.json)'],
  ])('%j', async (args, message) => {
    expect(await errorOf(args)).toBe(message);
  });
});

describe('hypermm quote spread flags', () => {
  it('reproduces the Avellaneda–Stoikov ladder around the reservation price once the cap allows it', async () => {
    const quote = await quoteJson([
      '--model', 'avellaneda-stoikov', '--mid', '100', '--position', '3', '--sigma', '2', '--gamma', '0.1', '--k', '1.5',
      '--horizon', '1', '--elapsed', '0', '--max-spread-bps', '500', '--levels', '1',
    ]);
    // r = 98.8, half spread 0.84539: the bid snaps down to 97.95 and the ask up to 99.65.
    expect(quote.bids).toEqual([{ price: 97.95, size: 0.25 }]);
    expect(quote.asks).toEqual([{ price: 99.65, size: 0.25 }]);
  });

  it('names the spread flag it cannot read', async () => {
    const result = await runMain(['quote', '--model', 'fixed', '--mid', '100', '--position', '0', '--max-spread-bps', 'wide']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--max-spread-bps');
  });
});

