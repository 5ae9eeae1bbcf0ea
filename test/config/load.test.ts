import { mkdtempSync, rmSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { coinConfig, loadConfigFile, loadConfigPath, parseConfig } from '../../src/config/load.js';
import { settings } from '../../src/config/settings.js';
import { UserInputError } from '../../src/errors.js';

function problemOf(raw: unknown): string {
  try {
    parseConfig('bot.json', raw, 'bot');
  } catch (error) {
    expect(error).toBeInstanceOf(UserInputError);
    return (error as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('parseConfig', () => {
  it('fills every setting with its documented default', () => {
    const config = parseConfig('bot.json', { coins: ['BTC'] }, 'bot');
    expect(config.bot.bot_id).toBe('bot');
    expect(config.bot.loop_ms).toBe(300);
    expect(config.bot.max_gross_notional).toBe(800);
    expect(config.coins.BTC!.min_spread_bps).toBe(4);
    expect(config.coins.BTC!.single_sided_mode).toBe('auto');
    expect(config.coins.BTC!.maker_fee).toBe(0.00015);
    expect(config.coins.BTC!.coin).toBe('BTC');
  });

  it('merges per_coin overrides over the globals, coin by coin', () => {
    const config = parseConfig(
      'bot.json',
      { coins: ['BTC', 'HYPE'], take_profit_min_bps: 30, per_coin: { HYPE: { take_profit_min_bps: 5 } } },
      'bot',
    );
    expect(config.coins.BTC!.take_profit_min_bps).toBe(30);
    expect(config.coins.HYPE!.take_profit_min_bps).toBe(5);
    expect(config.overrides.HYPE).toEqual(['take_profit_min_bps']);
    expect(config.overrides.BTC).toEqual([]);
  });

  it('names the key path and the wrong type', () => {
    expect(problemOf({ coins: ['BTC'], loop_ms: '300' })).toBe('bot.json: loop_ms: expected number, got string "300"');
    expect(problemOf({ coins: ['BTC'], per_coin: { BTC: { gamma: true } } })).toBe(
      'bot.json: per_coin.BTC.gamma: expected number, got boolean true',
    );
  });

  it('refuses an unknown key with a did-you-mean hint', () => {
    expect(problemOf({ coins: ['BTC'], min_sprad_bps: 3 })).toBe(
      'bot.json: min_sprad_bps: unknown key (did you mean "min_spread_bps"?)',
    );
    expect(problemOf({ coins: ['BTC'], zzzz: 1 })).toBe('bot.json: zzzz: unknown key');
  });

  it('refuses bot-wide settings inside per_coin', () => {
    expect(problemOf({ coins: ['BTC'], per_coin: { BTC: { max_gross_notional: 5 } } })).toContain(
      'per_coin.BTC.max_gross_notional: "max_gross_notional" is a bot-wide setting',
    );
  });

  it('checks values across keys', () => {
    expect(problemOf({ coins: ['BTC'], per_coin: { ETH: {} } })).toBe('bot.json: per_coin.ETH: coin is not in coins [BTC]');
    expect(problemOf({ coins: ['BTC'], num_levels: 2, level_size_split: [0.5, 0.3, 0.2] })).toContain(
      'level_size_split: has 3 entries for 2 levels',
    );
    expect(problemOf({ coins: ['BTC'], num_levels: 2, level_size_split: [0.5, 0.3] })).toContain('fractions sum to 0.8');
    expect(problemOf({ coins: ['BTC'], emergency_stop_loss_pct: -0.05 })).toContain(
      'emergency_stop_loss_pct: -0.05 must be at or below portfolio_pause_threshold_pct -0.08',
    );
    expect(problemOf({ coins: ['BTC'], network: 'main' })).toBe(
      'bot.json: network: expected one of "mainnet", "testnet", "local", got string "main"',
    );
    expect(problemOf({})).toBe('bot.json: coins: required, missing');
  });

  it('has a default for every optional setting that the seeds recommend', () => {
    expect(settings.take_profit_min_bps.default).toBe(30);
    expect(settings.bailout_partial_reduce_fraction.default).toBe(0.33);
    expect(settings.margin_cap_mode.default).toBe('auto');
  });
});

describe('loading files and directories', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'hypermm-config-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reports broken JSON with its line and column', () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{\n  "coins": ["BTC"],\n  "loop_ms": 300\n  "x": 1\n}');
    expect(() => loadConfigFile(file)).toThrow(`${file}: not valid JSON at line 4, column 3`);
  });

  it('reports a missing file', () => {
    expect(() => loadConfigFile(join(dir, 'nope.json'))).toThrow('nope.json: file not found');
  });

  it('takes the bot id from the file name and checks ids are unique in a directory', () => {
    const bots = join(dir, 'bots');
    mkdirSync(bots);
    writeFileSync(join(bots, 'alpha.json'), JSON.stringify({ coins: ['BTC'] }));
    writeFileSync(join(bots, 'beta.json'), JSON.stringify({ coins: ['ETH'] }));
    expect(loadConfigPath(bots).map((c) => c.bot.bot_id)).toEqual(['alpha', 'beta']);
    writeFileSync(join(bots, 'gamma.json'), JSON.stringify({ bot_id: 'alpha', coins: ['SOL'] }));
    expect(() => loadConfigPath(bots)).toThrow('bot_id "alpha" is also used by alpha.json');
  });

  it('gives the effective config of one coin, or names the configured coins', () => {
    const file = join(dir, 'one.json');
    writeFileSync(file, JSON.stringify({ coins: ['BTC'] }));
    const loaded = loadConfigFile(file);
    expect(coinConfig(loaded, 'BTC').num_levels).toBe(2);
    expect(() => coinConfig(loaded, 'ETH')).toThrow('coin "ETH" is not configured; coins are BTC');
  });
});
