import cliProgress from 'cli-progress';
import type { Command } from 'commander';
import { UserInputError } from '../errors.js';
import {
  PAPER_SETUP,
  publishedRow,
  runAvellanedaStoikovExperiment,
  stepCount,
  type AvellanedaStoikovExperimentSetup,
  type ExperimentRow,
} from '../research/avellaneda-stoikov-experiment.js';
import { report, type CliIO } from './io.js';
import { createTable } from './table.js';

interface AvellanedaStoikovFlags {
  paths: string;
  gamma: string;
  seed: string;
  s0: string;
  sigma: string;
  k: string;
  A: string;
  dt: string;
  horizon: string;
  json?: boolean;
}

/** Below this many simulated sessions the run ends before a progress bar would be readable. */
const PROGRESS_MIN_SESSIONS = 20_000;
const PROGRESS_EVERY_SESSIONS = 100;

function parseNumber(flag: string, text: string, expected: string, accept: (value: number) => boolean): number {
  const value = text.trim() === '' ? NaN : Number(text);
  if (!Number.isFinite(value) || !accept(value)) throw new UserInputError(`${flag}: expected ${expected}, got ${JSON.stringify(text)}`);
  return value;
}

const positive = (flag: string, text: string): number => parseNumber(flag, text, 'a number above 0', (value) => value > 0);

function gammaList(text: string): number[] {
  const expected = 'comma-separated numbers above 0, e.g. 0.1,0.01,1';
  return text.split(',').map((item) => {
    const value = item.trim() === '' ? NaN : Number(item);
    if (!Number.isFinite(value) || value <= 0) throw new UserInputError(`--gamma: expected ${expected}, got ${JSON.stringify(text)}`);
    return value;
  });
}

function setupOf(flags: AvellanedaStoikovFlags): AvellanedaStoikovExperimentSetup {
  const setup: AvellanedaStoikovExperimentSetup = {
    paths: parseNumber('--paths', flags.paths, 'a whole number above 0', (value) => Number.isSafeInteger(value) && value > 0),
    gammas: gammaList(flags.gamma),
    seed: parseNumber('--seed', flags.seed, 'a whole number', Number.isSafeInteger),
    s0: positive('--s0', flags.s0),
    sigma: parseNumber('--sigma', flags.sigma, 'a number at or above 0', (value) => value >= 0),
    k: positive('--k', flags.k),
    A: positive('--A', flags.A),
    dt: positive('--dt', flags.dt),
    horizon: positive('--horizon', flags.horizon),
  };
  try {
    stepCount(setup.horizon, setup.dt);
  } catch {
    throw new UserInputError(`--dt: ${setup.dt} does not divide --horizon ${setup.horizon} into whole steps`);
  }
  return setup;
}

/** The paper's numbers only apply to its own market parameters. */
function isPaperMarket(setup: AvellanedaStoikovExperimentSetup): boolean {
  return (['s0', 'sigma', 'k', 'A', 'dt', 'horizon'] as const).every((key) => setup[key] === PAPER_SETUP[key]);
}

function run(setup: AvellanedaStoikovExperimentSetup, io: CliIO): ExperimentRow[] {
  const sessions = setup.paths * setup.gammas.length;
  if (!io.interactive || sessions < PROGRESS_MIN_SESSIONS) return runAvellanedaStoikovExperiment(setup);
  const bar = new cliProgress.SingleBar({ stream: process.stderr, format: 'simulating [{bar}] {percentage}% | {value}/{total} sessions | ETA {eta}s' });
  bar.start(sessions, 0);
  try {
    return runAvellanedaStoikovExperiment(setup, (done, total) => {
      if (done % PROGRESS_EVERY_SESSIONS === 0 || done === total) bar.update(done);
    });
  } finally {
    bar.stop();
  }
}

function renderHuman(setup: AvellanedaStoikovExperimentSetup, rows: ExperimentRow[]): string {
  const withPaper = isPaperMarket(setup);
  const header = [
    `Avellaneda & Stoikov (2008), section 4: ${setup.paths} paths per γ, seed ${setup.seed}`,
    `s0 ${setup.s0}, σ ${setup.sigma}, k ${setup.k}, A ${setup.A}, dt ${setup.dt}, T ${setup.horizon} (${stepCount(setup.horizon, setup.dt)} steps)`,
    withPaper ? "in parentheses: the paper's value (1000 simulations)" : "the paper's values are not shown: its market parameters were changed",
  ];
  const table = createTable(['γ', 'strategy', 'spread', 'profit mean', 'profit std', 'q mean', 'q std']);
  for (const row of rows) {
    const paper = withPaper ? publishedRow(row.gamma, row.strategy) : undefined;
    const cell = (key: Exclude<keyof ExperimentRow, 'gamma' | 'strategy'>): string =>
      paper ? `${row[key].toFixed(2)} (${paper[key]})` : row[key].toFixed(2);
    table.push([row.gamma, row.strategy, cell('spread'), cell('profitMean'), cell('profitStd'), cell('qMean'), cell('qStd')]);
  }
  return [...header, table.toString()].join('\n');
}

export function registerResearchCommands(program: Command, io: CliIO): void {
  const research = program.command('research').description('Reproduce published market-making experiments with our own models');
  research
    .command('avellaneda-stoikov')
    .description(
      'Monte-Carlo of Avellaneda & Stoikov (2008) section 4: the inventory strategy (our A–S model) against symmetric quotes of the same average spread',
    )
    .option('--paths <n>', 'simulated sessions per γ', String(PAPER_SETUP.paths))
    .option('--gamma <list>', 'comma-separated risk aversions γ', PAPER_SETUP.gammas.join(','))
    .option('--seed <n>', 'seed of the simulation (same seed, same output)', String(PAPER_SETUP.seed))
    .option('--s0 <price>', 'initial mid', String(PAPER_SETUP.s0))
    .option('--sigma <price>', 'volatility of the mid per unit of time, price units', String(PAPER_SETUP.sigma))
    .option('--k <value>', 'fill-intensity decay k, per unit of price distance', String(PAPER_SETUP.k))
    .option('--A <value>', 'fill intensity A at zero distance, per unit of time', String(PAPER_SETUP.A))
    .option('--dt <time>', 'step length', String(PAPER_SETUP.dt))
    .option('--horizon <time>', 'session length T (a whole number of steps)', String(PAPER_SETUP.horizon))
    .option('--json', 'print the rows as JSON')
    .action((flags: AvellanedaStoikovFlags) => {
      const setup = setupOf(flags);
      const rows = run(setup, io);
      report(io, Boolean(flags.json), rows, (data) => renderHuman(setup, data));
    });
}
