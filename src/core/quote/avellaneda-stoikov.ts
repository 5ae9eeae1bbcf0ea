import { modelOutput, requirePositive, type QuoteModel, type QuoteModelInputs, type QuoteModelOutput, type QuoteModelOutputRecord } from './model.js';

/**
 * finite: a session of horizonSec; the caller passes T − t each loop.
 * infinite: perpetuals have no session end, so T − t is held at a rolling window of horizonSec.
 */
export type HorizonMode = 'finite' | 'infinite';

export interface AvellanedaStoikovParams {
  /** Risk aversion γ > 0. */
  readonly gamma: number;
  /** Fill-intensity decay k > 0, per unit of price distance. */
  readonly k: number;
  readonly horizonMode: HorizonMode;
  readonly horizonSec: number;
}

/**
 * Avellaneda & Stoikov (2008):
 *   reservation  r = s − q·γ·σ²·(T−t)
 *   total spread   = γ·σ²·(T−t) + (2/γ)·ln(1 + γ/k)
 * The second (liquidity) term shrinks as γ grows, by at most 1/k² per unit of γ, so a larger γ
 * widens the spread whenever σ²·(T−t) ≥ 1/k²; the skew γ·σ²·(T−t) always grows with γ.
 */
export class AvellanedaStoikovModel implements QuoteModel {
  readonly name = 'avellaneda_stoikov';
  private readonly liquidityHalfSpread: number;

  constructor(private readonly params: AvellanedaStoikovParams) {
    requirePositive({ gamma: params.gamma, k: params.k, horizonSec: params.horizonSec });
    this.liquidityHalfSpread = Math.log(1 + params.gamma / params.k) / params.gamma;
  }

  quote(inputs: QuoteModelInputs, into?: QuoteModelOutputRecord): QuoteModelOutput {
    const skew = this.params.gamma * inputs.sigma * inputs.sigma * this.timeRemaining(inputs);
    return modelOutput(inputs, skew / 2 + this.liquidityHalfSpread, skew, into);
  }

  /** A finite session with no T − t given is taken to be starting now. */
  private timeRemaining(inputs: QuoteModelInputs): number {
    const { horizonMode, horizonSec } = this.params;
    if (horizonMode === 'infinite') return horizonSec;
    return Math.min(horizonSec, Math.max(0, inputs.timeRemainingSec ?? horizonSec));
  }
}
