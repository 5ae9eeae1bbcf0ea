import { describe, expect, it } from 'vitest';
import { runMain } from '../helpers/cli.js';

interface RowJson {
  gamma: number;
  strategy: string;
  spread: number;
  profitMean: number;
  profitStd: number;
  qMean: number;
  qStd: number;
}

async function rowsOf(args: string[]): Promise<RowJson[]> {
  const result = await runMain(['research', 'avellaneda-stoikov', ...args, '--json']);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as RowJson[];
}

async function errorOf(args: string[]): Promise<string> {
  const result = await runMain(['research', 'avellaneda-stoikov', ...args]);
  expect(result.code).toBe(2);
  expect(result.stdout).toBe('');
  return result.stderr.trim();
}

describe('hypermm research avellaneda-stoikov --json', () => {
  it('prints one row per γ and strategy with exactly the documented fields', async () => {
    const rows = await rowsOf(['--paths', '20']);
    expect(rows.map((row) => `${row.gamma} ${row.strategy}`)).toEqual([
      '0.1 inventory',
      '0.1 symmetric',
      '0.01 inventory',
      '0.01 symmetric',
      '1 inventory',
      '1 symmetric',
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['gamma', 'strategy', 'spread', 'profitMean', 'profitStd', 'qMean', 'qStd']);
  });

  it('prints the same output for the same seed, and other output for another', async () => {
    const args = ['--paths', '30', '--gamma', '0.1', '--seed', '42'];
    const first = await runMain(['research', 'avellaneda-stoikov', ...args, '--json']);
    const again = await runMain(['research', 'avellaneda-stoikov', ...args, '--json']);
    expect(again.stdout).toBe(first.stdout);
    expect(await rowsOf(['--paths', '30', '--gamma', '0.1', '--seed', '43'])).not.toEqual(JSON.parse(first.stdout));
  });

  it('takes the market parameters from flags (σ 0: the mid stands still, so each fill earns the half spread)', async () => {
    const rows = await rowsOf(['--paths', '200', '--gamma', '0.5', '--sigma', '0', '--A', '40', '--k', '2', '--dt', '0.01', '--horizon', '2']);
    const symmetric = rows.find((row) => row.strategy === 'symmetric')!;
    const halfSpread = symmetric.spread / 2;
    expect(symmetric.spread).toBeCloseTo(Math.log(1 + 0.5 / 2) * 4, 12);
    const expected = 200 * 2 * 40 * Math.exp(-2 * halfSpread) * 0.01 * halfSpread;
    expect(Math.abs(symmetric.profitMean - expected)).toBeLessThan((3 * symmetric.profitStd) / Math.sqrt(200));
  });
});

describe('hypermm research avellaneda-stoikov human output', () => {
  it("prints our values with the paper's beside them for the paper's γs", async () => {
    const result = await runMain(['research', 'avellaneda-stoikov', '--paths', '20', '--gamma', '0.1,0.5']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('20 paths per γ, seed 1');
    expect(result.stdout).toContain('s0 100, σ 2, k 1.5, A 140, dt 0.005, T 1 (200 steps)');
    expect(result.stdout).toMatch(/│ 0\.1\s+│ inventory\s+│ 1\.49 \(1\.29\)\s+│ \d+\.\d\d \(62\.94\)\s+│ \d+\.\d\d \(5\.89\)\s+│ -?\d\.\d\d \(0\.1\)\s+│ \d\.\d\d \(2\.8\)\s+│/);
    expect(result.stdout).toMatch(/│ 0\.5\s+│ symmetric\s+│ \d\.\d\d\s+│ \d+\.\d\d\s+│/);
  });

  it("leaves the paper's values out when its market parameters are changed", async () => {
    const result = await runMain(['research', 'avellaneda-stoikov', '--paths', '10', '--gamma', '0.1', '--sigma', '3']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the paper's values are not shown");
    expect(result.stdout).not.toContain('(62.94)');
  });
});

describe('hypermm research avellaneda-stoikov errors (exit 2, naming the flag)', () => {
  it.each([
    [['--paths', '0'], 'error: --paths: expected a whole number above 0, got "0"'],
    [['--paths', '2.5'], 'error: --paths: expected a whole number above 0, got "2.5"'],
    [['--paths', 'many'], 'error: --paths: expected a whole number above 0, got "many"'],
    [['--gamma', '0.1,-1'], 'error: --gamma: expected comma-separated numbers above 0, e.g. 0.1,0.01,1, got "0.1,-1"'],
    [['--gamma', '0.1,,1'], 'error: --gamma: expected comma-separated numbers above 0, e.g. 0.1,0.01,1, got "0.1,,1"'],
    [['--gamma', '0'], 'error: --gamma: expected comma-separated numbers above 0, e.g. 0.1,0.01,1, got "0"'],
    [['--seed', '1.5'], 'error: --seed: expected a whole number, got "1.5"'],
    [['--sigma', '-2'], 'error: --sigma: expected a number at or above 0, got "-2"'],
    [['--A', '0'], 'error: --A: expected a number above 0, got "0"'],
    [['--k', 'x'], 'error: --k: expected a number above 0, got "x"'],
    [['--dt', '0.3'], 'error: --dt: 0.3 does not divide --horizon 1 into whole steps'],
    [['--horizon', '-1'], 'error: --horizon: expected a number above 0, got "-1"'],
  ])('%j', async (args, message) => {
    expect(await errorOf(args)).toBe(message);
  });
});
