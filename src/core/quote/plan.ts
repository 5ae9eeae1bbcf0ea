import type { DesiredQuote, Side } from '../types.js';
import { dropSmallLevels, guardedHalfSpread, spreadGuardNotes, type BestPrices, type SpreadGuardParams } from './guards.js';
import { appendLadderSide, type LadderParams } from './ladder.js';
import type { QuoteModel, QuoteModelInputs, QuoteModelOutput, QuoteModelOutputRecord } from './model.js';
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

// planQuotes copies the model's numbers out of this record before it returns, so one serves every call.
const modelScratch: QuoteModelOutputRecord = { reservationPrice: 0, halfSpread: 0, skew: 0 };

/** Model → bias → per-side toxicity → spread guards → ladder → post-only → minimum order value. */
export function planQuotes(setup: QuoteSetup, inputs: QuoteInputs): QuotePlan {
  const { halfSpread, skew, reservationPrice: modelReservationPrice } = setup.model.quote(inputs, modelScratch);
  const reservationPrice = modelReservationPrice + setup.biasStrength * clampSignal(inputs.signal) * halfSpread;
  const sides = inputs.sides ?? BOTH_SIDES;
  const quotes: DesiredQuote[] = [];
  const bid = planSide('bid', inputs.toxicityBid, sides.bid, setup, inputs, halfSpread, reservationPrice, quotes);
  const ask = planSide('ask', inputs.toxicityAsk, sides.ask, setup, inputs, halfSpread, reservationPrice, quotes);
  return { reservationPrice, halfSpread, skew, quotes, bid, ask };
}

/** One side of the plan; its kept levels are appended to `quotes`. */
function planSide(
  side: Side,
  toxicity: number | undefined,
  blocked: string | null,
  setup: QuoteSetup,
  inputs: QuoteInputs,
  modelHalfSpread: number,
  reservationPrice: number,
  quotes: DesiredQuote[],
): SidePlan {
  const widened = modelHalfSpread * Math.max(1, toxicity ?? 1);
  const spreadNotes = spreadGuardNotes(side, widened, inputs.mid, setup.guards, inputs.dynamicMinSpreadBps);
  const halfSpread = guardedHalfSpread(widened, inputs.mid, spreadNotes);
  if (blocked !== null) return { halfSpread, reason: blocked, notes: spreadNotes };
  const first = quotes.length;
  const placed = appendLadderSide(side, setup.ladder, inputs, reservationPrice, halfSpread, quotes, spreadNotes);
  const notes = dropSmallLevels(quotes, first, setup.guards.minNotionalUsd, placed);
  const reason = quotes.length === first ? noLevelReason(notes) : null;
  return { halfSpread, reason, notes };
}

/** Why a side lost every level: its first size or minimum-value drop, if any. */
function noLevelReason(notes: readonly QuoteNote[]): string | null {
  for (const note of notes) {
    if (note.kind === 'zeroSize' || note.kind === 'belowMinNotional') return `no level left: ${describeQuoteNote(note)}`;
  }
  return null;
}
