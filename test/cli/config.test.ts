import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli, runMain } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypermm-cli-config-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function configFile(name: string, text: string): string {
  const file = join(dir, name);
  writeFileSync(file, text);
  return file;
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('hypermm config check', () => {
  it('prints the effective config of the example, with per-coin overrides marked', () => {
    const result = runCli(['config', 'check', 'configs/example-mm.json']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('configs/example-mm.json: valid — bot "example-mm", network local, coins BTC, DOGE, HYPE, SOL, kSHIB');
    expect(result.stdout).toMatch(/take_profit_min_bps\s+│ 50 \*\s+│ 30\s+│ 5 \*/);
  });

  it('prints JSON with every coin and never a secret', async () => {
    const result = await runMain(['config', 'check', 'configs/example-mm.json', '--json']);
    expect(result.code).toBe(0);
    const document = JSON.parse(result.stdout) as { bot: { bot_id: string }; coins: Record<string, { take_profit_min_usd: number }> };
    expect(document.bot.bot_id).toBe('example-mm');
    expect(document.coins.BTC!.take_profit_min_usd).toBe(200);
    expect(document.coins.SOL!.take_profit_min_usd).toBe(25);
  });

  it('checks every example config in the configs directory', async () => {
    const result = await runMain(['config', 'check', 'configs', '--json']);
    expect(result.code).toBe(0);
    const documents = JSON.parse(result.stdout) as { bot: { quote_model?: string; bot_id: string } }[];
    expect(documents.map((d) => d.bot.bot_id).sort()).toEqual(['example-as', 'example-glft', 'example-mm', 'offline-demo']);
  });

  it('exits 2 with one line for a wrong type', () => {
    const file = configFile('wrong-type.json', JSON.stringify({ coins: ['BTC'], loop_ms: '300' }));
    const result = runCli(['config', 'check', file]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toBe(`error: ${file}: loop_ms: expected number, got string "300"`);
  });

  it('exits 2 with one line for an unknown key', () => {
    const file = configFile('unknown-key.json', JSON.stringify({ coins: ['BTC'], per_coin: { BTC: { bailout_ful_mae_bps: 9 } } }));
    const result = runCli(['config', 'check', file]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toBe(
      `error: ${file}: per_coin.BTC.bailout_ful_mae_bps: unknown key (did you mean "bailout_full_mae_bps"?)`,
    );
  });

  it('exits 2 with one line for a missing file', () => {
    const file = join(dir, 'absent.json');
    const result = runCli(['config', 'check', file]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toBe(`error: ${file}: file not found; pass a JSON config file or a directory of them`);
  });

  it('exits 2 with one line for broken JSON', () => {
    const file = configFile('broken.json', '{ "coins": ["BTC"], }');
    const result = runCli(['config', 'check', file]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toMatch(new RegExp(`^error: ${file}: not valid JSON at line 1, column \\d+: `));
  });

  it('exits 2 for a bad environment budget, naming the variable', () => {
    const result = runCli(['config', 'check', 'configs/example-glft.json'], { env: { HL_WS_CAPACITY_PER_MIN: '-1' } });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('HL_WS_CAPACITY_PER_MIN: expected a positive integer');
  });
});

describe('hypermm config keys', () => {
  it('lists every setting with its default', async () => {
    const result = await runMain(['config', 'keys', '--json']);
    const docs = JSON.parse(result.stdout) as { key: string; default: unknown }[];
    expect(docs.find((d) => d.key === 'min_spread_bps')?.default).toBe(4);
    expect(docs.length).toBeGreaterThan(60);
  });
});
