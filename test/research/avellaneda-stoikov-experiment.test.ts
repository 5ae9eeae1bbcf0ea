import { describe, expect, it } from 'vitest';
import {
  PAPER_SETUP,
  PUBLISHED_2008,
  publishedRow,
  runAvellanedaStoikovExperiment,
  stepCount,
  type ExperimentRow,
  type ExperimentStrategy,
} from '../../src/research/avellaneda-stoikov-experiment.js';

const PAPER_SIMULATIONS = 1000;

function rowOf(rows: readonly ExperimentRow[], gamma: number, strategy: ExperimentStrategy): ExperimentRow {
  const row = rows.find((candidate) => candidate.gamma === gamma && candidate.strategy === strategy);
  if (!row) throw new Error(`no row for γ ${gamma} ${strategy}`);
  return row;
}

/** Time-average over the session's steps of γσ²(T−t) + (2/γ)·ln(1 + γ/k), the paper's setup. */
function formulaAverageSpread(gamma: number): number {
  const steps = 200;
  let sum = 0;
  for (let step = 0; step < steps; step++) sum += gamma * 4 * (1 - step * 0.005) + (2 / gamma) * Math.log(1 + gamma / 1.5);
  return sum / steps;
}

/**
 * Expected profit of symmetric quotes at half spread h: each step the mid moves ±a (a = σ√dt)
 * before the fill draw, so a side fills with probability A·e^(−k(h±a))·dt and earns h ± a against
 * the moved mid; the inventory's later price moves have mean zero.
 */
function symmetricExpectedProfit(halfSpread: number): number {
  const { A, k, dt, sigma } = PAPER_SETUP;
  const move = sigma * Math.sqrt(dt);
  const perSide = (distance: number) => Math.min(1, A * Math.exp(-k * distance) * dt) * distance;
  return 200 * (perSide(halfSpread + move) + perSide(halfSpread - move));
}

describe('Avellaneda–Stoikov experiment', () => {
  it('gives the same rows for the same seed, and other rows for another seed', () => {
    const setup = { ...PAPER_SETUP, paths: 50 };
    const first = runAvellanedaStoikovExperiment(setup);
    expect(runAvellanedaStoikovExperiment(setup)).toEqual(first);
    expect(runAvellanedaStoikovExperiment({ ...setup, seed: 2 })).not.toEqual(first);
  });

  it('reports one row per γ and strategy, in the order asked', () => {
    const rows = runAvellanedaStoikovExperiment({ ...PAPER_SETUP, gammas: [1, 0.5], paths: 5 });
    expect(rows.map((row) => [row.gamma, row.strategy])).toEqual([
      [1, 'inventory'],
      [1, 'symmetric'],
      [0.5, 'inventory'],
      [0.5, 'symmetric'],
    ]);
    expect(Object.keys(rows[0]!)).toEqual(['gamma', 'strategy', 'spread', 'profitMean', 'profitStd', 'qMean', 'qStd']);
  });

  it("quotes the model's spread averaged over the session, for both strategies", () => {
    const rows = runAvellanedaStoikovExperiment({ ...PAPER_SETUP, paths: 1 });
    for (const gamma of PAPER_SETUP.gammas) {
      expect(rowOf(rows, gamma, 'inventory').spread).toBeCloseTo(formulaAverageSpread(gamma), 12);
      expect(rowOf(rows, gamma, 'symmetric').spread).toBe(rowOf(rows, gamma, 'inventory').spread);
    }
    expect(rowOf(rows, 0.1, 'inventory').spread).toBeCloseTo(1.4918, 4);
  });

  it('earns, with symmetric quotes, the closed-form expected profit within Monte-Carlo error', () => {
    const paths = 3000;
    const rows = runAvellanedaStoikovExperiment({ ...PAPER_SETUP, paths, seed: 7 });
    for (const gamma of PAPER_SETUP.gammas) {
      const row = rowOf(rows, gamma, 'symmetric');
      const expected = symmetricExpectedProfit(row.spread / 2);
      expect(Math.abs(row.profitMean - expected)).toBeLessThan((3 * row.profitStd) / Math.sqrt(paths));
    }
  });

  describe('against the published tables (γ = 0.1 and 0.01)', () => {
    const paths = 4000;
    const rows = runAvellanedaStoikovExperiment({ ...PAPER_SETUP, gammas: [0.1, 0.01], paths, seed: 11 });
    /** Both our mean and the paper's carry Monte-Carlo error; allow three standard errors of their difference. */
    const tolerance = (std: number) => 3 * std * Math.sqrt(1 / paths + 1 / PAPER_SIMULATIONS);

    it.each([
      [0.1, 'inventory'],
      [0.1, 'symmetric'],
      [0.01, 'inventory'],
      [0.01, 'symmetric'],
    ] as const)('γ %d %s: mean profit and mean final inventory match', (gamma, strategy) => {
      const ours = rowOf(rows, gamma, strategy);
      const paper = publishedRow(gamma, strategy)!;
      expect(Math.abs(ours.profitMean - paper.profitMean)).toBeLessThan(tolerance(ours.profitStd));
      expect(Math.abs(ours.qMean - paper.qMean)).toBeLessThan(tolerance(ours.qStd));
    });
  });

  it('keeps the published table for the three paper γs', () => {
    expect(PUBLISHED_2008).toHaveLength(6);
    expect(publishedRow(1, 'symmetric')?.profitStd).toBe(14.53);
    expect(publishedRow(0.5, 'inventory')).toBeUndefined();
  });

  it.each([0.1, 1])('γ %d: the inventory strategy has a narrower profit and inventory distribution than symmetric quotes', (gamma) => {
    const rows = runAvellanedaStoikovExperiment({ ...PAPER_SETUP, gammas: [gamma], paths: 500, seed: 3 });
    const inventory = rowOf(rows, gamma, 'inventory');
    const symmetric = rowOf(rows, gamma, 'symmetric');
    expect(inventory.profitStd).toBeLessThan(symmetric.profitStd / 1.5);
    expect(inventory.qStd).toBeLessThan(symmetric.qStd / 2);
  });

  it('counts whole steps and refuses a horizon that dt does not divide', () => {
    expect(stepCount(1, 0.005)).toBe(200);
    expect(stepCount(0.3, 0.1)).toBe(3);
    expect(() => stepCount(1, 0.3)).toThrow(RangeError);
    expect(() => stepCount(1, 2)).toThrow(RangeError);
  });

  it('refuses a run without paths or γs', () => {
    expect(() => runAvellanedaStoikovExperiment({ ...PAPER_SETUP, paths: 0 })).toThrow(RangeError);
    expect(() => runAvellanedaStoikovExperiment({ ...PAPER_SETUP, gammas: [] })).toThrow(RangeError);
  });

  it('reports progress once per path and γ', () => {
    const calls: number[] = [];
    runAvellanedaStoikovExperiment({ ...PAPER_SETUP, gammas: [0.1, 1], paths: 3 }, (done, total) => {
      expect(total).toBe(6);
      calls.push(done);
    });
    expect(calls).toEqual([1, 2, 3, 4, 5, 6]);
  });
});
