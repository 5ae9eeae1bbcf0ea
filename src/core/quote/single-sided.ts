export type SingleSidedMode = 'off' | 'bid' | 'ask' | 'auto';

export interface SingleSidedParams {
  readonly mode: SingleSidedMode;
  /** Loops auto mode waits after a switch before it may switch again. */
  readonly flipCooldownLoops: number;
  /** Auto mode reads market flow and our maker share; without it auto only works the position off. */
  readonly marketAware: boolean;
  readonly minMakerShare: number;
  /** Flow ratio (buy/sell, or sell/buy) at which auto picks a side; ≥ 1. */
  readonly sideBiasRatio: number;
}

export interface SingleSidedInputs {
  /** Signed position in coins. */
  readonly position: number;
  /** Decayed aggressor buy/sell notional ratio (DecayedFlow.bias): Infinity only buys, 1 balanced or none. */
  readonly flowBias: number;
  /** Share of our recent fills that were maker (MakerShare.share); NaN before the first fill. */
  readonly makerShare: number;
}

/** Per side: null when the side may be quoted, otherwise why it is not. */
export interface SideSelection {
  readonly bid: string | null;
  readonly ask: string | null;
}

type Choice = 'both' | 'bid' | 'ask';

export const BOTH_SIDES: SideSelection = { bid: null, ask: null };

function only(side: 'bid' | 'ask', why: string): SideSelection {
  return side === 'bid' ? { bid: null, ask: why } : { bid: why, ask: null };
}

const BID_MODE = only('bid', 'single_sided_mode is "bid"');
const ASK_MODE = only('ask', 'single_sided_mode is "ask"');
const BUY_FLOW = only('ask', 'single-sided auto: buy flow dominates (ss_ma_side_bias_ratio); quoting the ask into the buyers');
const SELL_FLOW = only('bid', 'single-sided auto: sell flow dominates (ss_ma_side_bias_ratio); quoting the bid into the sellers');
const LOW_MAKER_SHARE = 'single-sided auto: maker share below ss_ma_min_maker_share; quoting only the side that reduces the position';
const REDUCE_LONG_LOW_SHARE = only('ask', LOW_MAKER_SHARE);
const REDUCE_SHORT_LOW_SHARE = only('bid', LOW_MAKER_SHARE);
const NOT_MARKET_AWARE = 'single-sided auto (not market aware): quoting only the side that reduces the position';
const REDUCE_LONG = only('ask', NOT_MARKET_AWARE);
const REDUCE_SHORT = only('bid', NOT_MARKET_AWARE);

function choiceOf(selection: SideSelection): Choice {
  if (selection.bid === null && selection.ask === null) return 'both';
  return selection.bid === null ? 'bid' : 'ask';
}

/**
 * Decides each loop which sides may be quoted (seed 000 `single_sided_*`, `ss_ma_*`).
 *
 * Auto mode, market aware: when aggressive buys outweigh sells by ss_ma_side_bias_ratio it quotes
 * the ask, selling into the buyers; sells outweighing buys select the bid. Fills come from takers,
 * so the side the dominant flow consumes is the one that trades; the other side mostly waits and
 * fills when the flow turns, which is when it is adversely selected. Balanced flow quotes both.
 * While our maker share is below ss_ma_min_maker_share, our fills are mostly taker exits and the
 * flow pick is not trusted: auto quotes both sides when flat and only the reducing side otherwise
 * (the same rule it uses when not market aware).
 *
 * In every mode a position always allows the side that reduces it. Auto switches at most once per
 * single_sided_flip_cooldown_loops loops (a change of reason for the same side is not a switch);
 * the first decision is immediate.
 */
export class SingleSidedSelector {
  private held: SideSelection = BOTH_SIDES;
  private loopsSinceSwitch: number;

  constructor(private readonly params: SingleSidedParams) {
    this.loopsSinceSwitch = params.flipCooldownLoops;
  }

  /** Call once per loop. Allocation-free: returns shared constant selections. */
  select(inputs: SingleSidedInputs): SideSelection {
    return allowReducingSide(this.base(inputs), inputs.position);
  }

  private base(inputs: SingleSidedInputs): SideSelection {
    switch (this.params.mode) {
      case 'off':
        return BOTH_SIDES;
      case 'bid':
        return BID_MODE;
      case 'ask':
        return ASK_MODE;
      case 'auto':
        return this.hold(this.target(inputs));
    }
  }

  private target(inputs: SingleSidedInputs): SideSelection {
    const { marketAware, minMakerShare, sideBiasRatio } = this.params;
    if (!marketAware) return reduceOnly(inputs.position, REDUCE_LONG, REDUCE_SHORT);
    if (inputs.makerShare < minMakerShare) return reduceOnly(inputs.position, REDUCE_LONG_LOW_SHARE, REDUCE_SHORT_LOW_SHARE);
    if (inputs.flowBias >= sideBiasRatio) return BUY_FLOW;
    if (inputs.flowBias * sideBiasRatio <= 1) return SELL_FLOW;
    return BOTH_SIDES;
  }

  private hold(target: SideSelection): SideSelection {
    if (this.loopsSinceSwitch < this.params.flipCooldownLoops) this.loopsSinceSwitch++;
    if (choiceOf(target) === choiceOf(this.held)) this.held = target;
    else if (this.loopsSinceSwitch >= this.params.flipCooldownLoops) {
      this.held = target;
      this.loopsSinceSwitch = 0;
    }
    return this.held;
  }
}

function reduceOnly(position: number, whenLong: SideSelection, whenShort: SideSelection): SideSelection {
  if (position > 0) return whenLong;
  return position < 0 ? whenShort : BOTH_SIDES;
}

function allowReducingSide(selection: SideSelection, position: number): SideSelection {
  if (position > 0 && selection.ask !== null) return BOTH_SIDES;
  if (position < 0 && selection.bid !== null) return BOTH_SIDES;
  return selection;
}
