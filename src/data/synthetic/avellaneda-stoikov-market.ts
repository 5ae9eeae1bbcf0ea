/**
 * The market of Avellaneda & Stoikov (2008), "High-frequency trading in a limit order book":
 * a driftless Brownian mid, and a quote at distance δ from the mid that is hit during a step of
 * length dt with probability λ(δ)·dt, λ(δ) = A·e^(−kδ).
 */
import type { Rng } from '../../core/random.js';

export interface AvellanedaStoikovParams {
  /** Initial mid. */
  readonly s0: number;
  /** Volatility of the mid per unit of time (price units, not relative). */
  readonly sigma: number;
  readonly dt: number;
  /** Fill intensity at zero distance, per unit of time. */
  readonly A: number;
  /** Decay of the fill intensity per unit of price distance. */
  readonly k: number;
  /**
   * 'gaussian': increments σ·√dt·N(0,1); 'binary': ±σ·√dt with equal chance, as in the paper's
   * simulations. Default 'gaussian'.
   */
  readonly increments?: 'gaussian' | 'binary';
}

/** The paper's simulation: s = 100, σ = 2, dt = 0.005 (T = 1 is 200 steps), A = 140, k = 1.5. */
export const AVELLANEDA_STOIKOV_2008: AvellanedaStoikovParams = {
  s0: 100,
  sigma: 2,
  dt: 0.005,
  A: 140,
  k: 1.5,
  increments: 'binary',
};

export class AvellanedaStoikovMarket {
  /** Current mid. */
  mid: number;
  private readonly stepSd: number;

  constructor(readonly params: AvellanedaStoikovParams) {
    this.mid = params.s0;
    this.stepSd = params.sigma * Math.sqrt(params.dt);
  }

  /** Advances the mid by one step of dt and returns the increment. */
  step(rng: Rng): number {
    const increment =
      this.params.increments === 'binary' ? (rng.uniform() < 0.5 ? this.stepSd : -this.stepSd) : this.stepSd * rng.normal();
    this.mid += increment;
    return increment;
  }

  /** Probability that a quote at distance `delta` from the mid is hit within `dt`: A·e^(−kδ)·dt, at most 1. */
  hitProbability(delta: number, dt: number = this.params.dt): number {
    return Math.min(1, this.params.A * Math.exp(-this.params.k * delta) * dt);
  }

  /** Draws whether a quote at distance `delta` is hit during one step. */
  isHit(rng: Rng, delta: number): boolean {
    return rng.uniform() < this.hitProbability(delta);
  }
}
