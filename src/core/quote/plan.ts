import type { DesiredQuote, Side } from '../types.js';
import { dropSmallLevels, enforcePostOnly, guardHalfSpread, type BestPrices, type SpreadGuardParams } from './guards.js';
import { buildLadderSide, type LadderParams } from './ladder.js';
import type { QuoteModel, QuoteModelInputs, QuoteModelOutput } from './model.js';
import { describeQuoteNote, type QuoteNote } from './notes.js';
import { BOTH_SIDES, type SideSelection } from './single-sided.js';

/** Everything about one coin's quoting that does not change from loop to loop. */
export interface QuoteSetup {
  readonly model: QuoteModel;
  readonly ladder: LadderParams;
  readonly guards: SpreadGuardParams;
  /** Reservation-price shift, in half spreads, per unit of directional signal. */
  readonly biasStrength: number;
}

/** The market and our state this loop. Optional hooks default to "no effect". */
export interface QuoteInputs extends QuoteModelInputs, BestPrices {
  /** Directional signal in [−1, 1]; positive expects the price to rise and raises the quotes. */
  readonly signal?: number;
  /** Toxicity spread multipliers per side; values below 1 count as 1 (toxicity only widens). */
  readonly toxicityBid?: number;
  readonly toxicityAsk?: number;
  /** Used only when dynamic_min_spread_enabled. */
  readonly dynamicMinSpreadBps?: number;
  /** From the single-sided selector; both sides when absent. */
  readonly sides?: SideSelection;
}

export interface SidePlan {
  /** This side's half spread after toxicity and the spread guards. */
  readonly halfSpread: number;
  /** Null while the side has at least one level; otherwise why it is not quoted. */
  readonly reason: string | null;
  readonly notes: readonly QuoteNote[];
}

/** The model's output (reservation price including the directional bias) and the guarded ladder. */
export interface QuotePlan extends QuoteModelOutput {
  /** Bids closest first, then asks closest first. */
  readonly quotes: readonly DesiredQuote[];
  readonly bid: SidePlan;
  readonly ask: SidePlan;
}

function clampSignal(signal: number | undefined): number {
  return Math.min(1, Math.max(-1, signal ?? 0));
}

/** Model → bias → per-side toxicity → spread guards → ladder → post-only → minimum order value. */
export function planQuotes(setup: QuoteSetup, inputs: QuoteInputs): QuotePlan {
  const model = setup.model.quote(inputs);
  const reservationPrice = model.reservationPrice + setup.biasStrength * clampSignal(inputs.signal) * model.halfSpread;
  const sides = inputs.sides ?? BOTH_SIDES;
  const quotes: DesiredQuote[] = [];
  const bid = planSide('bid', inputs.toxicityBid, setup, inputs, model.halfSpread, reservationPrice, sides, quotes);
  const ask = planSide('ask', inputs.toxicityAsk, setup, inputs, model.halfSpread, reservationPrice, sides, quotes);
  return { reservationPrice, halfSpread: model.halfSpread, skew: model.skew, quotes, bid, ask };
}

/** One side of the plan; its kept levels are appended to `quotes`. */
function planSide(
  side: Side,
  toxicity: number | undefined,
  setup: QuoteSetup,
  inputs: QuoteInputs,
  modelHalfSpread: number,
  reservationPrice: number,
  sides: SideSelection,
  quotes: DesiredQuote[],
): SidePlan {
  const notes: QuoteNote[] = [];
  const widened = modelHalfSpread * Math.max(1, toxicity ?? 1);
  const halfSpread = guardHalfSpread(side, widened, inputs.mid, setup.guards, inputs.dynamicMinSpreadBps, notes);
  const blocked = sides[side];
  if (blocked !== null) return { halfSpread, reason: blocked, notes };
  const ladderInputs = { mid: inputs.mid, tick: inputs.tick, position: inputs.position, reservationPrice, halfSpread };
  const levels = buildLadderSide(side, setup.ladder, ladderInputs);
  enforcePostOnly(side, levels, inputs, inputs.tick, notes);
  const kept = dropSmallLevels(levels, setup.guards.minNotionalUsd, notes);
  for (const level of kept) quotes.push(level);
  const reason = kept.length === 0 ? noLevelReason(notes) : null;
  return { halfSpread, reason, notes };
}

/** Why a side lost every level: its first size or minimum-value drop, if any. */
function noLevelReason(notes: readonly QuoteNote[]): string | null {
  for (const note of notes) {
    if (note.kind === 'zeroSize' || note.kind === 'belowMinNotional') return `no level left: ${describeQuoteNote(note)}`;
  }
  return null;
}
