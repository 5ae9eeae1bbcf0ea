import { modelOutput, requirePositive, type QuoteModel, type QuoteModelInputs, type QuoteModelOutput, type QuoteModelOutputRecord } from './model.js';

export interface GlftParams {
  /** Risk aversion γ > 0 (ξ = γ). */
  readonly gamma: number;
  /** Fill intensity A·exp(−k·δ): A in fills per second, k per unit of price distance. */
  readonly A: number;
  readonly k: number;
  /** Order size unit Δ. */
  readonly delta: number;
}

/**
 * Guéant, Lehalle & Fernandez-Tapia closed form (Guéant 2017, eqs. 4.6–4.7, with ξ = γ), the
 * stationary quotes of an infinite-horizon market maker:
 *   c1 = ln(1 + ξΔ/k) / (ξΔ)
 *   c2 = √( γ / (2AΔk) · (1 + ξΔ/k)^(k/(ξΔ) + 1) )
 *   half spread = c1 + (Δ/2)·σ·c2,   skew = σ·c2 per unit of inventory
 * Both coefficients depend only on the parameters, so they are computed once.
 */
export class GlftModel implements QuoteModel {
  readonly name = 'glft';
  private readonly c1: number;
  private readonly c2: number;

  constructor(private readonly params: GlftParams) {
    const { gamma, A, k, delta } = params;
    requirePositive({ gamma, A, k, delta });
    const xiDelta = gamma * delta;
    this.c1 = Math.log(1 + xiDelta / k) / xiDelta;
    this.c2 = Math.sqrt((gamma / (2 * A * delta * k)) * (1 + xiDelta / k) ** (k / xiDelta + 1));
  }

  quote(inputs: QuoteModelInputs, into?: QuoteModelOutputRecord): QuoteModelOutput {
    const skew = inputs.sigma * this.c2;
    return modelOutput(inputs, this.c1 + (this.params.delta / 2) * skew, skew, into);
  }
}
