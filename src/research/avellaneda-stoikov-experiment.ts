/**
 * The Monte-Carlo of Avellaneda & Stoikov (2008), "High-frequency trading in a limit order book",
 * section 4: the inventory strategy (our A–S quote model, finite horizon) against a strategy that
 * quotes the same average spread centred on the mid, over many binomial mid paths.
 */
import { AvellanedaStoikovModel } from '../core/quote/avellaneda-stoikov.js';
import { Rng } from '../core/random.js';
import { AVELLANEDA_STOIKOV_2008, AvellanedaStoikovMarket } from '../data/synthetic/avellaneda-stoikov-market.js';

export interface AvellanedaStoikovExperimentSetup {
  readonly s0: number;
  /** Volatility of the mid per unit of time, price units. */
  readonly sigma: number;
  /** Fill-intensity decay per unit of price distance. */
  readonly k: number;
  /** Fill intensity at zero distance, per unit of time. */
  readonly A: number;
  /** Step length; `horizon / dt` must be a whole number of steps. */
  readonly dt: number;
  /** Session length T. */
  readonly horizon: number;
  readonly gammas: readonly number[];
  readonly paths: number;
  readonly seed: number;
}

/** The paper's section 4 setup, with its three risk aversions and 1000 simulations. */
export const PAPER_SETUP: AvellanedaStoikovExperimentSetup = {
  s0: AVELLANEDA_STOIKOV_2008.s0,
  sigma: AVELLANEDA_STOIKOV_2008.sigma,
  k: AVELLANEDA_STOIKOV_2008.k,
  A: AVELLANEDA_STOIKOV_2008.A,
  dt: AVELLANEDA_STOIKOV_2008.dt,
  horizon: 1,
  gammas: [0.1, 0.01, 1],
  paths: 1000,
  seed: 1,
};

export type ExperimentStrategy = 'inventory' | 'symmetric';

export interface ExperimentRow {
  readonly gamma: number;
  readonly strategy: ExperimentStrategy;
  /** Time-average of the quoted spread (ask − bid). */
  readonly spread: number;
  /** Profit is cash + q·s_T at the end of the session. */
  readonly profitMean: number;
  readonly profitStd: number;
  /** Final inventory q_T. */
  readonly qMean: number;
  readonly qStd: number;
}

/** Tables 1–3 of the paper (1000 simulations each), in the order γ = 0.1, 0.01, 1. */
export const PUBLISHED_2008: readonly ExperimentRow[] = [
  { gamma: 0.1, strategy: 'inventory', spread: 1.29, profitMean: 62.94, profitStd: 5.89, qMean: 0.1, qStd: 2.8 },
  { gamma: 0.1, strategy: 'symmetric', spread: 1.29, profitMean: 67.21, profitStd: 13.43, qMean: -0.018, qStd: 8.66 },
  { gamma: 0.01, strategy: 'inventory', spread: 1.33, profitMean: 66.78, profitStd: 8.76, qMean: -0.02, qStd: 4.7 },
  { gamma: 0.01, strategy: 'symmetric', spread: 1.33, profitMean: 67.36, profitStd: 13.4, qMean: -0.31, qStd: 8.65 },
  { gamma: 1, strategy: 'inventory', spread: 1.15, profitMean: 33.92, profitStd: 4.72, qMean: -0.02, qStd: 1.88 },
  { gamma: 1, strategy: 'symmetric', spread: 1.15, profitMean: 66.2, profitStd: 14.53, qMean: 0.25, qStd: 9.06 },
];

export function publishedRow(gamma: number, strategy: ExperimentStrategy): ExperimentRow | undefined {
  return PUBLISHED_2008.find((row) => row.gamma === gamma && row.strategy === strategy);
}

/** Where a strategy quotes: bid = reservation − halfSpread, ask = reservation + halfSpread. */
type Quoter = (mid: number, position: number, timeRemaining: number) => { reservationPrice: number; halfSpread: number };

interface PathSeeds {
  readonly mid: number;
  readonly fills: number;
}

interface PathOutcome {
  profit: number;
  position: number;
}

/** Counts of whole steps in the session; a horizon that dt does not divide is refused. */
export function stepCount(horizon: number, dt: number): number {
  const steps = Math.round(horizon / dt);
  if (!(steps >= 1) || Math.abs(steps * dt - horizon) > 1e-9 * horizon) {
    throw new RangeError(`horizon ${horizon} is not a whole number of steps of dt ${dt}`);
  }
  return steps;
}

/**
 * One session. Each step: quote from the current mid, inventory and T − t; the mid takes its
 * ±σ√dt step while the quotes rest; then each side is hit (one unit, at the quote) with
 * probability A·e^(−kδ)·dt, δ measured from the moved mid. Measuring δ before the move instead
 * earns about 1.5 more per session and no longer matches the paper's published profits.
 * The mid and the fills draw from separate generators, so every strategy sees the same mid path.
 */
function simulatePath(setup: AvellanedaStoikovExperimentSetup, steps: number, quoter: Quoter, seeds: PathSeeds): PathOutcome {
  const market = new AvellanedaStoikovMarket({ s0: setup.s0, sigma: setup.sigma, dt: setup.dt, A: setup.A, k: setup.k, increments: 'binary' });
  const midRng = new Rng(seeds.mid);
  const fillRng = new Rng(seeds.fills);
  let cash = 0;
  let position = 0;
  for (let step = 0; step < steps; step++) {
    const { reservationPrice, halfSpread } = quoter(market.mid, position, setup.horizon - step * setup.dt);
    const bid = reservationPrice - halfSpread;
    const ask = reservationPrice + halfSpread;
    market.step(midRng);
    if (market.isHit(fillRng, market.mid - bid)) {
      position += 1;
      cash -= bid;
    }
    if (market.isHit(fillRng, ask - market.mid)) {
      position -= 1;
      cash += ask;
    }
  }
  return { profit: cash + position * market.mid, position };
}

/** Mean and sample standard deviation, accumulated one value at a time (Welford). */
class RunningStats {
  private count = 0;
  private mean = 0;
  private sumSquares = 0;

  add(value: number): void {
    this.count++;
    const delta = value - this.mean;
    this.mean += delta / this.count;
    this.sumSquares += delta * (value - this.mean);
  }

  get average(): number {
    return this.mean;
  }

  get std(): number {
    return this.count > 1 ? Math.sqrt(this.sumSquares / (this.count - 1)) : 0;
  }
}

class StrategyTally {
  readonly profit = new RunningStats();
  readonly position = new RunningStats();

  add(outcome: PathOutcome): void {
    this.profit.add(outcome.profit);
    this.position.add(outcome.position);
  }

  row(gamma: number, strategy: ExperimentStrategy, spread: number): ExperimentRow {
    return {
      gamma,
      strategy,
      spread,
      profitMean: this.profit.average,
      profitStd: this.profit.std,
      qMean: this.position.average,
      qStd: this.position.std,
    };
  }
}

function pathSeeds(seed: number, paths: number): PathSeeds[] {
  const master = new Rng(seed);
  return Array.from({ length: paths }, () => ({ mid: master.uint32(), fills: master.uint32() }));
}

function validate(setup: AvellanedaStoikovExperimentSetup): number {
  if (!Number.isInteger(setup.paths) || setup.paths < 1) throw new RangeError(`paths must be a positive integer, got ${setup.paths}`);
  if (setup.gammas.length === 0) throw new RangeError('gammas must not be empty');
  if (!(setup.sigma >= 0)) throw new RangeError(`sigma must be >= 0, got ${setup.sigma}`);
  if (!(setup.A > 0)) throw new RangeError(`A must be > 0, got ${setup.A}`);
  return stepCount(setup.horizon, setup.dt);
}

/**
 * Runs both strategies for every γ over the same `paths` mid paths (the same seed gives the same
 * rows). `onPathDone` is told after each path of each γ, for progress reporting.
 */
export function runAvellanedaStoikovExperiment(
  setup: AvellanedaStoikovExperimentSetup,
  onPathDone?: (done: number, total: number) => void,
): ExperimentRow[] {
  const steps = validate(setup);
  const seeds = pathSeeds(setup.seed, setup.paths);
  const total = setup.gammas.length * setup.paths;
  const rows: ExperimentRow[] = [];
  let done = 0;
  for (const gamma of setup.gammas) {
    const model = new AvellanedaStoikovModel({ gamma, k: setup.k, horizonMode: 'finite', horizonSec: setup.horizon });
    const inventory: Quoter = (mid, position, timeRemaining) =>
      model.quote({ mid, sigma: setup.sigma, position, tick: 0, timeRemainingSec: timeRemaining });
    let spreadSum = 0;
    for (let step = 0; step < steps; step++) spreadSum += 2 * inventory(setup.s0, 0, setup.horizon - step * setup.dt).halfSpread;
    const averageSpread = spreadSum / steps;
    const symmetricQuote = { reservationPrice: 0, halfSpread: averageSpread / 2 };
    const symmetric: Quoter = (mid) => {
      symmetricQuote.reservationPrice = mid;
      return symmetricQuote;
    };
    const inventoryTally = new StrategyTally();
    const symmetricTally = new StrategyTally();
    for (const pathSeed of seeds) {
      inventoryTally.add(simulatePath(setup, steps, inventory, pathSeed));
      symmetricTally.add(simulatePath(setup, steps, symmetric, pathSeed));
      onPathDone?.(++done, total);
    }
    rows.push(inventoryTally.row(gamma, 'inventory', averageSpread), symmetricTally.row(gamma, 'symmetric', averageSpread));
  }
  return rows;
}
