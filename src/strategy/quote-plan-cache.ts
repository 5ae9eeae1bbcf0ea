import { planQuotes, type QuotePlan, type QuoteSetup } from '../core/quote/plan.js';
import { BOTH_SIDES, type SideSelection } from '../core/quote/single-sided.js';

/** Every input of planQuotes, always present, so that two loops compare field by field. */
export interface PlanInputs {
  mid: number;
  sigma: number;
  position: number;
  tick: number;
  timeRemainingSec: number | undefined;
  bestBid: number;
  bestAsk: number;
  signal: number | undefined;
  toxicityBid: number;
  toxicityAsk: number;
  dynamicMinSpreadBps: number | undefined;
  sides: SideSelection;
}

function emptyInputs(): PlanInputs {
  return {
    mid: NaN,
    sigma: NaN,
    position: 0,
    tick: NaN,
    timeRemainingSec: undefined,
    bestBid: NaN,
    bestAsk: NaN,
    signal: undefined,
    toxicityBid: 1,
    toxicityAsk: 1,
    dynamicMinSpreadBps: undefined,
    sides: BOTH_SIDES,
  };
}

function sameInputs(a: PlanInputs, b: PlanInputs): boolean {
  return (
    a.mid === b.mid &&
    a.sigma === b.sigma &&
    a.position === b.position &&
    a.tick === b.tick &&
    a.timeRemainingSec === b.timeRemainingSec &&
    a.bestBid === b.bestBid &&
    a.bestAsk === b.bestAsk &&
    a.signal === b.signal &&
    a.toxicityBid === b.toxicityBid &&
    a.toxicityAsk === b.toxicityAsk &&
    a.dynamicMinSpreadBps === b.dynamicMinSpreadBps &&
    a.sides === b.sides
  );
}

function copyInputs(from: PlanInputs, to: PlanInputs): void {
  to.mid = from.mid;
  to.sigma = from.sigma;
  to.position = from.position;
  to.tick = from.tick;
  to.timeRemainingSec = from.timeRemainingSec;
  to.bestBid = from.bestBid;
  to.bestAsk = from.bestAsk;
  to.signal = from.signal;
  to.toxicityBid = from.toxicityBid;
  to.toxicityAsk = from.toxicityAsk;
  to.dynamicMinSpreadBps = from.dynamicMinSpreadBps;
  to.sides = from.sides;
}

/**
 * One coin's quote plan, recomputed only when an input changed since the previous loop. The
 * loop runs more often than the book updates, and planQuotes is pure, so a loop with the same
 * inputs gets the same (immutable) plan back instead of building it again.
 * Usage: set the fields of `inputs`, then call `plan(setup)`.
 */
export class QuotePlanCache {
  readonly inputs: PlanInputs = emptyInputs();
  private planned: PlanInputs = emptyInputs();
  private setup: QuoteSetup | undefined;
  private last: QuotePlan | undefined;

  plan(setup: QuoteSetup): QuotePlan {
    if (this.last !== undefined && this.setup === setup && sameInputs(this.inputs, this.planned)) return this.last;
    this.last = planQuotes(setup, this.inputs);
    this.setup = setup;
    copyInputs(this.inputs, this.planned);
    return this.last;
  }
}
