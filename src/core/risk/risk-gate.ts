import type { Side } from '../types.js';
import { bailoutFor, type Bailout } from './bailout.js';
import { ApiErrorWindow, MidHistory, SEED_BREAKERS, type BreakerParams, type MoveWindow } from './circuit-breakers.js';
import { TrackedCondition } from './condition-tracker.js';
import { DailyLossLimit } from './daily-loss.js';
import { pct, seconds, usd, utc } from './format.js';
import { iocPriceChain } from './ioc-chain.js';
import {
  coinCapReason,
  directionOf,
  grossCapReason,
  marginCap,
  portfolioThresholdHit,
  WITHIN_MARGIN_CAP,
  type MarginCapResult,
} from './limits.js';
import type {
  CloseCause,
  CoinRiskDecision,
  CoinRiskInput,
  PositionExposure,
  RiskAction,
  RiskDecision,
  RiskEvent,
  RiskInputs,
  RiskSeverity,
  SideVerdict,
  TradingState,
} from './risk-types.js';
import { takeProfitFor } from './take-profit.js';

type ReduceAction = Extract<RiskAction, { readonly kind: 'reduce' }>;

/** What one coin's rules remember between evaluations. */
interface CoinMemory {
  readonly rules: {
    readonly takeProfit: TrackedCondition;
    readonly coinCap: TrackedCondition;
    readonly staleBook: TrackedCondition;
    readonly priceMoveWiden: TrackedCondition;
    readonly priceMoveCancel: TrackedCondition;
    readonly bailoutFull: TrackedCondition;
  };
  readonly mids: MidHistory;
  widenUntil: number;
  widenReason: string;
  cancelUntil: number;
  cancelReason: string;
  /** Position episode in which the partial / full bailout fired (−1: none yet). */
  partialEpisode: number;
  fullEpisode: number;
  fullReason: string;
  state: TradingState;
  /** Whether the book was stale or one-sided at the last evaluation. */
  bookStale: boolean;
  /** The last decision: returned again while it has no actions and nothing in it changed. */
  decision: CoinRiskDecision | null;
}

/** The bot-wide verdict every coin starts from. */
interface BotVerdict {
  readonly haltReasons: readonly string[];
  readonly reduceReasons: readonly string[];
  readonly closeAll: { readonly cause: CloseCause; readonly reason: string } | null;
  readonly apiPaused: boolean;
  readonly margin: MarginCapResult;
  readonly grossReason: string | null;
}

const STATE_SEVERITY: Record<TradingState, RiskSeverity> = { ACTIVE: 'info', REDUCING: 'warning', HALTED: 'critical' };

/** The verdicts of a side free to quote, the common case: shared rather than rebuilt every loop. */
const QUOTING_BID: SideVerdict = Object.freeze({ allowed: true, reduceOnly: false, reason: 'bid: quoting' });
const QUOTING_ASK: SideVerdict = Object.freeze({ allowed: true, reduceOnly: false, reason: 'ask: quoting' });

// Shared empty lists, kept unchanged by their readonly types. Arrays callers loop over every step
// are not frozen: V8 iterates a frozen array on a slow path that allocates an iterator each time.
const NO_REASONS: readonly string[] = [];
const NO_ACTIONS: readonly RiskAction[] = [];
const NO_EVENTS: readonly RiskEvent[] = [];

/** The bot-wide verdict when no bot rule holds, the common case. */
const ALL_CLEAR: BotVerdict = Object.freeze({
  haltReasons: NO_REASONS,
  reduceReasons: NO_REASONS,
  closeAll: null,
  apiPaused: false,
  margin: WITHIN_MARGIN_CAP,
  grossReason: null,
});

/** Joins reasons as `[...first, ...second].join('; ')` would, without building the array when one list is empty. */
function joinReasons(first: readonly string[], second: readonly string[]): string {
  if (second.length === 0) return first.length === 0 ? '' : first.join('; ');
  if (first.length === 0) return second.join('; ');
  return [...first, ...second].join('; ');
}

function portfolioReturn(equity: number, startingEquity: number): string {
  return pct((equity - startingEquity) / startingEquity);
}

/** The sides whose quotes would grow the position, as the coin-cap event names them. */
function increasingSides(position: number): string {
  return position > 0 ? 'bid' : position < 0 ? 'ask' : 'bid and ask';
}

function increases(side: Side, position: number): boolean {
  return position > 0 ? side === 'bid' : position < 0 ? side === 'ask' : true;
}

/** A full bailout latches for the rest of the position: the coin keeps closing until flat. */
function closingInFull(memory: CoinMemory, exposure: PositionExposure): boolean {
  return exposure.position !== 0 && memory.fullEpisode === exposure.episode;
}

/**
 * The risk gate: from the account, positions and books, decides per coin and side whether to
 * quote, how much to widen and shrink, and which reduce-only orders and cancels to send.
 * Deterministic: time comes only from `now`, and the state it keeps (breaker cooldowns, the
 * daily-loss baseline, recent mids and API errors, bailouts already taken) is bounded.
 *
 * Order of precedence: HALTED (kill switch, emergency stop, daily loss, API error pause; per coin
 * also a stale book or the price-move cancel breaker) over REDUCING (portfolio pause; per coin a
 * full bailout in progress) over the caps. Reduce-only closes are returned even when HALTED,
 * except while the API is paused or the coin's book is stale (no price to trade on).
 *
 * Decisions are frozen, and one equal to the previous (no events, no actions, nothing changed)
 * is the previous object itself: a quiet loop allocates nothing.
 */
export class RiskGate {
  private readonly conditions = {
    killSwitch: new TrackedCondition('kill_switch', 'critical', null),
    emergencyStop: new TrackedCondition('emergency_stop', 'critical', null),
    dailyLoss: new TrackedCondition('daily_loss', 'critical', null),
    apiErrors: new TrackedCondition('api_errors', 'warning', null),
    portfolioPause: new TrackedCondition('portfolio_pause', 'warning', null),
    marginCap: new TrackedCondition('margin_cap', 'warning', null),
    grossCap: new TrackedCondition('gross_cap', 'info', null),
  };
  private readonly daily = new DailyLossLimit();
  /** The breakers' triggers as MidHistory takes them, built once. */
  private readonly widenWindow: MoveWindow;
  private readonly cancelWindow: MoveWindow;
  private readonly apiErrors: ApiErrorWindow;
  private apiPauseUntil = Number.NEGATIVE_INFINITY;
  private apiPauseReason = '';
  private state: TradingState = 'ACTIVE';
  private readonly memory = new Map<string, CoinMemory>();
  private lastDecision: RiskDecision | null = null;
  /** Scratch lists of one evaluation, copied into the decision only when it is a new one. */
  private readonly pendingEvents: RiskEvent[] = [];
  private readonly pendingCoins: CoinRiskDecision[] = [];

  constructor(private readonly breakers: BreakerParams = SEED_BREAKERS) {
    this.widenWindow = { windowMs: breakers.widenWindowMs, fraction: breakers.widenMoveFraction };
    this.cancelWindow = { windowMs: breakers.cancelWindowMs, fraction: breakers.cancelMoveFraction };
    this.apiErrors = new ApiErrorWindow(breakers.maxApiErrors);
  }

  evaluate(inputs: RiskInputs, now: number): RiskDecision {
    if (!(inputs.startingEquity > 0)) {
      throw new RangeError(`risk gate: startingEquity must be positive, got ${inputs.startingEquity}`);
    }
    const events = this.pendingEvents;
    const bot = this.evaluateBot(inputs, now, events);
    const state: TradingState = bot.haltReasons.length > 0 ? 'HALTED' : bot.reduceReasons.length > 0 ? 'REDUCING' : 'ACTIVE';
    const reason = joinReasons(bot.haltReasons, bot.reduceReasons) || 'ok';
    const previous = this.state;
    if (state !== previous) {
      events.push({ ts: now, severity: STATE_SEVERITY[state], kind: 'state', coin: null, message: `${previous} -> ${state}: ${reason}` });
      this.state = state;
    }
    const coins = this.pendingCoins;
    const count = inputs.coins.length;
    for (let i = 0; i < count; i += 1) coins[i] = this.evaluateCoin(inputs.coins[i]!, bot, previous, state, now, events);
    // Overwritten in place rather than emptied, which would give up its storage every loop.
    if (coins.length !== count) coins.length = count;

    const last = this.lastDecision;
    const quietAsLast =
      last !== null && events.length === 0 && last.events === NO_EVENTS && last.state === state && last.reason === reason;
    if (quietAsLast && sameItems(last.coins, coins)) return last;
    this.lastDecision = Object.freeze({
      state,
      reason,
      coins: coins.slice(),
      events: events.length === 0 ? NO_EVENTS : events.splice(0),
    });
    return this.lastDecision;
  }

  private evaluateBot(inputs: RiskInputs, now: number, events: RiskEvent[]): BotVerdict {
    const { params, equity, startingEquity, killSwitch } = inputs;
    const { conditions } = this;

    // Messages are built only when a rule holds or changes: most loops need none of them.
    if (conditions.killSwitch.changes(killSwitch)) {
      conditions.killSwitch.update(
        events,
        killSwitch,
        now,
        killSwitch ? 'kill switch engaged: cancel all orders and close all positions' : 'kill switch released',
      );
    }

    const emergency = portfolioThresholdHit(equity, startingEquity, params.emergency_stop_loss_pct);
    const emergencyReason = emergency
      ? `emergency stop: portfolio return ${portfolioReturn(equity, startingEquity)} at or below emergency_stop_loss_pct ${pct(params.emergency_stop_loss_pct)}`
      : '';
    if (conditions.emergencyStop.changes(emergency)) {
      conditions.emergencyStop.update(
        events,
        emergency,
        now,
        emergency
          ? `${emergencyReason}: cancel all orders and close all positions`
          : `portfolio return ${portfolioReturn(equity, startingEquity)} above emergency_stop_loss_pct ${pct(params.emergency_stop_loss_pct)}`,
      );
    }

    this.daily.update(equity, now, params.max_daily_loss);
    const dailyHalted = this.daily.halted(now);
    if (conditions.dailyLoss.changes(dailyHalted)) {
      conditions.dailyLoss.update(
        events,
        dailyHalted,
        now,
        dailyHalted ? this.daily.reason : `daily loss halt lifted: new UTC day ${utc(now).slice(0, 10)}`,
      );
    }

    const apiPaused = this.updateApiPause(inputs.newApiErrors, now);
    if (conditions.apiErrors.changes(apiPaused)) {
      conditions.apiErrors.update(
        events,
        apiPaused,
        now,
        apiPaused ? this.apiPauseReason : `API error pause of ${seconds(this.breakers.apiPauseMs)} expired`,
      );
    }

    const paused = portfolioThresholdHit(equity, startingEquity, params.portfolio_pause_threshold_pct);
    const pauseReason = paused
      ? `portfolio return ${portfolioReturn(equity, startingEquity)} at or below portfolio_pause_threshold_pct ${pct(params.portfolio_pause_threshold_pct)}`
      : '';
    if (conditions.portfolioPause.changes(paused)) {
      conditions.portfolioPause.update(
        events,
        paused,
        now,
        paused
          ? `${pauseReason}: reduce only`
          : `portfolio return ${portfolioReturn(equity, startingEquity)} above portfolio_pause_threshold_pct ${pct(params.portfolio_pause_threshold_pct)}`,
      );
    }

    const margin = marginCap(params, inputs.freeCollateral, inputs.desiredOrderNotional);
    const beyondMargin = margin.beyondReason !== null;
    if (conditions.marginCap.changes(beyondMargin)) {
      conditions.marginCap.update(
        events,
        beyondMargin,
        now,
        margin.beyondReason ?? `margin cap: resting orders within ${pct(params.margin_cap_fraction)} of free collateral ${usd(inputs.freeCollateral)}`,
      );
    }

    let gross = 0;
    for (const coin of inputs.coins) gross += Math.abs(coin.exposure.position) * markOf(coin);
    const grossReason = grossCapReason(gross, params.max_gross_notional);
    if (conditions.grossCap.changes(grossReason !== null)) {
      conditions.grossCap.update(
        events,
        grossReason !== null,
        now,
        grossReason ?? `gross notional ${usd(gross)} below cap ${usd(params.max_gross_notional)}`,
      );
    }

    if (!killSwitch && !emergency && !dailyHalted && !apiPaused && !paused && margin === WITHIN_MARGIN_CAP && grossReason === null) {
      return ALL_CLEAR;
    }
    const haltReasons: string[] = [];
    if (killSwitch) haltReasons.push('kill switch engaged');
    if (emergency) haltReasons.push(emergencyReason);
    if (dailyHalted) haltReasons.push(this.daily.reason);
    if (apiPaused) haltReasons.push(this.apiPauseReason);
    const closeAll: BotVerdict['closeAll'] = killSwitch
      ? { cause: 'kill_switch', reason: 'kill switch engaged' }
      : emergency
        ? { cause: 'emergency_stop', reason: emergencyReason }
        : null;
    return { haltReasons, reduceReasons: paused ? [pauseReason] : NO_REASONS, closeAll, apiPaused, margin, grossReason };
  }

  /**
   * More than maxApiErrors errors within apiErrorWindowMs, with at least one new, pauses for
   * apiPauseMs from the trip; it trips again at expiry only if new errors keep the burst going.
   */
  private updateApiPause(newErrors: number, now: number): boolean {
    const { maxApiErrors, apiErrorWindowMs, apiPauseMs } = this.breakers;
    this.apiErrors.record(now, newErrors);
    if (now >= this.apiPauseUntil && newErrors > 0) {
      const recent = this.apiErrors.recent(now, apiErrorWindowMs);
      if (recent > maxApiErrors) {
        this.apiPauseUntil = now + apiPauseMs;
        this.apiPauseReason =
          `${recent} API errors within ${seconds(apiErrorWindowMs)} (more than ${maxApiErrors}): ` +
          `paused until ${utc(this.apiPauseUntil)}`;
      }
    }
    return now < this.apiPauseUntil;
  }

  private evaluateCoin(
    input: CoinRiskInput,
    bot: BotVerdict,
    botPrevious: TradingState,
    botNext: TradingState,
    now: number,
    events: RiskEvent[],
  ): CoinRiskDecision {
    const { coin, params, exposure } = input;
    const memory = this.memoryOf(coin);
    const { rules } = memory;
    const marketHaltReasons = this.updateMarketRules(input, memory, now, events);
    const partialBailout = this.updateBailout(input, memory, now, events);

    const haltReasons = marketHaltReasons.length === 0 ? bot.haltReasons : [...bot.haltReasons, ...marketHaltReasons];
    const reduceReasons = closingInFull(memory, exposure) ? [...bot.reduceReasons, memory.fullReason] : bot.reduceReasons;
    const state: TradingState = haltReasons.length > 0 ? 'HALTED' : reduceReasons.length > 0 ? 'REDUCING' : 'ACTIVE';
    const stateReason = joinReasons(haltReasons, reduceReasons);
    // A change that merely follows the bot's is already reported by the bot's own state event.
    const followsBot = memory.state === botPrevious && state === botNext;
    if (state !== memory.state && !followsBot) {
      events.push({ ts: now, severity: STATE_SEVERITY[state], kind: 'state', coin, message: `${memory.state} -> ${state}: ${stateReason || 'ok'}` });
    }
    memory.state = state;

    const canClose = exposure.position !== 0 && !memory.bookStale && !bot.apiPaused;
    const close = canClose ? this.closeAction(input, memory, bot, partialBailout, now, events) : null;
    const takingProfit = close !== null && (close.cause === 'take_profit' || close.cause === 'emergency_take_profit');
    if (rules.takeProfit.changes(takingProfit)) {
      rules.takeProfit.update(events, takingProfit, now, takingProfit ? close.reason : 'take-profit no longer sent');
    }

    const markPx = markOf(input);
    const coinCap = coinCapReason(exposure.position, markPx, params.max_per_coin_notional);
    if (rules.coinCap.changes(coinCap !== null)) {
      rules.coinCap.update(
        events,
        coinCap !== null,
        now,
        coinCap !== null
          ? `${increasingSides(exposure.position)}: ${coinCap}`
          : `per-coin notional ${usd(Math.abs(exposure.position) * markPx)} ${directionOf(exposure.position)} below cap ${usd(params.max_per_coin_notional)}`,
      );
    }

    const bid = sideVerdict('bid', state, stateReason, exposure.position, bot, coinCap);
    const ask = sideVerdict('ask', state, stateReason, exposure.position, bot, coinCap);
    const spreadMultiplier = now < memory.widenUntil ? this.breakers.widenMultiplier : 1;
    const sizeMultiplier = bot.margin.sizeMultiplier;
    const actions = state === 'HALTED' ? haltActions(coin, stateReason, close) : close === null ? NO_ACTIONS : [close];
    const last = memory.decision;
    if (
      last !== null &&
      actions === NO_ACTIONS &&
      last.actions === NO_ACTIONS &&
      last.state === state &&
      last.bid === bid &&
      last.ask === ask &&
      last.spreadMultiplier === spreadMultiplier &&
      last.sizeMultiplier === sizeMultiplier
    ) {
      return last;
    }
    memory.decision = Object.freeze({ coin, state, bid, ask, spreadMultiplier, sizeMultiplier, actions });
    return memory.decision;
  }

  /** Stale book and price-move breakers of one coin; returns the coin's halt reasons from them. */
  private updateMarketRules(input: CoinRiskInput, memory: CoinMemory, now: number, events: RiskEvent[]): readonly string[] {
    const { params, bestBid, bestAsk } = input;
    const { rules } = memory;
    const twoSided = bestBid > 0 && bestAsk > 0;
    const bookAge = now - input.lastBookTs;
    const stale = !twoSided || bookAge > params.stale_book_ms;
    memory.bookStale = stale;
    let staleReason = '';
    if (stale) {
      staleReason = twoSided ? `book stale for ${seconds(bookAge)} (beyond stale_book_ms ${params.stale_book_ms} ms)` : 'book not two-sided';
    }
    if (rules.staleBook.changes(stale)) {
      rules.staleBook.update(events, stale, now, stale ? `${staleReason}: cancel all until fresh` : 'book fresh again');
    }
    if (!stale) this.updatePriceBreakers(memory, (bestBid + bestAsk) / 2, now);

    const widening = now < memory.widenUntil;
    if (rules.priceMoveWiden.changes(widening)) {
      rules.priceMoveWiden.update(
        events,
        widening,
        now,
        widening ? memory.widenReason : `spread widening expired after ${seconds(this.breakers.widenCooldownMs)}`,
      );
    }
    const cancelling = now < memory.cancelUntil;
    if (rules.priceMoveCancel.changes(cancelling)) {
      rules.priceMoveCancel.update(
        events,
        cancelling,
        now,
        cancelling ? memory.cancelReason : `price-move cancel expired after ${seconds(this.breakers.cancelCooldownMs)}`,
      );
    }
    if (stale) return cancelling ? [staleReason, memory.cancelReason] : [staleReason];
    return cancelling ? [memory.cancelReason] : NO_REASONS;
  }

  /** Latches a full bailout for the rest of the position; returns a partial bailout due now, if any. */
  private updateBailout(input: CoinRiskInput, memory: CoinMemory, now: number, events: RiskEvent[]): Bailout | null {
    const { params, exposure } = input;
    const bailout = bailoutFor(exposure, params, now, memory.partialEpisode === exposure.episode);
    if (exposure.position !== 0 && memory.fullEpisode !== exposure.episode && bailout?.kind === 'full') {
      memory.fullEpisode = exposure.episode;
      memory.fullReason = bailout.reason;
    }
    const closing = closingInFull(memory, exposure);
    const rule = memory.rules.bailoutFull;
    if (rule.changes(closing)) {
      rule.update(events, closing, now, closing ? `${memory.fullReason}: closing the position` : 'full bailout finished: position closed');
    }
    return bailout?.kind === 'partial' ? bailout : null;
  }

  /**
   * The one reduce-only order for a coin holding a position, the most urgent first: close-all
   * (kill switch, emergency stop), full bailout, partial bailout, take-profit.
   */
  private closeAction(
    input: CoinRiskInput,
    memory: CoinMemory,
    bot: BotVerdict,
    partialBailout: Bailout | null,
    now: number,
    events: RiskEvent[],
  ): ReduceAction | null {
    const { coin, params, exposure } = input;
    if (bot.closeAll !== null) return closeOrder(input, 1, bot.closeAll.cause, bot.closeAll.reason, 'Ioc');
    if (closingInFull(memory, exposure)) return closeOrder(input, 1, 'bailout_full', memory.fullReason, 'Ioc');
    if (partialBailout !== null) {
      memory.partialEpisode = exposure.episode;
      events.push({ ts: now, severity: 'warning', kind: 'bailout_partial', coin, message: partialBailout.reason });
      return closeOrder(input, partialBailout.fraction, 'bailout_partial', partialBailout.reason, 'Ioc');
    }
    const takeProfit = takeProfitFor(exposure, (input.bestBid + input.bestAsk) / 2, params);
    if (takeProfit === null) return null;
    if (takeProfit.emergency) return closeOrder(input, 1, 'emergency_take_profit', takeProfit.reason, 'Ioc');
    return closeOrder(input, 1, 'take_profit', takeProfit.reason, params.enhanced_take_profit_enabled ? 'Ioc' : 'Alo');
  }

  /** A breaker trips only while it is not already active; its cooldown counts from the trip. */
  private updatePriceBreakers(memory: CoinMemory, mid: number, now: number): void {
    const b = this.breakers;
    memory.mids.record(now, mid);
    if (now >= memory.widenUntil) {
      const move = memory.mids.moveBeyond(mid, now, this.widenWindow);
      if (move > 0) {
        memory.widenUntil = now + b.widenCooldownMs;
        memory.widenReason =
          `price moved ${pct(move)} within ${seconds(b.widenWindowMs)} (beyond ${pct(b.widenMoveFraction)}): ` +
          `spread x${b.widenMultiplier} until ${utc(memory.widenUntil)}`;
      }
    }
    if (now >= memory.cancelUntil) {
      const move = memory.mids.moveBeyond(mid, now, this.cancelWindow);
      if (move > 0) {
        memory.cancelUntil = now + b.cancelCooldownMs;
        memory.cancelReason =
          `price moved ${pct(move)} within ${seconds(b.cancelWindowMs)} (beyond ${pct(b.cancelMoveFraction)}): ` +
          `orders cancelled until ${utc(memory.cancelUntil)}`;
      }
    }
  }

  private memoryOf(coin: string): CoinMemory {
    let memory = this.memory.get(coin);
    if (memory === undefined) {
      memory = {
        rules: {
          takeProfit: new TrackedCondition('take_profit', 'info', coin),
          coinCap: new TrackedCondition('coin_cap', 'info', coin),
          staleBook: new TrackedCondition('stale_book', 'warning', coin),
          priceMoveWiden: new TrackedCondition('price_move_widen', 'warning', coin),
          priceMoveCancel: new TrackedCondition('price_move_cancel', 'warning', coin),
          bailoutFull: new TrackedCondition('bailout_full', 'critical', coin),
        },
        mids: new MidHistory(Math.max(this.breakers.widenWindowMs, this.breakers.cancelWindowMs)),
        widenUntil: Number.NEGATIVE_INFINITY,
        widenReason: '',
        cancelUntil: Number.NEGATIVE_INFINITY,
        cancelReason: '',
        partialEpisode: -1,
        fullEpisode: -1,
        fullReason: '',
        state: 'ACTIVE',
        bookStale: false,
        decision: null,
      };
      this.memory.set(coin, memory);
    }
    return memory;
  }
}

function sameItems<T>(a: readonly T[], b: readonly T[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i += 1) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether `side` may quote. When HALTED, no. Otherwise the blocks, in order: reduce only, gross
 * cap, coin cap (these three only on a side that grows the position), then the margin cap.
 */
function sideVerdict(
  side: Side,
  state: TradingState,
  stateReason: string,
  position: number,
  bot: BotVerdict,
  coinCap: string | null,
): SideVerdict {
  if (state === 'HALTED') return { allowed: false, reduceOnly: false, reason: `${side}: ${stateReason}` };
  const grows = increases(side, position);
  const reducing = state === 'REDUCING';
  if ((grows && (reducing || bot.grossReason !== null || coinCap !== null)) || bot.margin.blockReason !== null) {
    const blocks: string[] = [];
    if (grows) {
      if (reducing) blocks.push(`reduce only: ${stateReason}`);
      if (bot.grossReason !== null) blocks.push(bot.grossReason);
      if (coinCap !== null) blocks.push(coinCap);
    }
    if (bot.margin.blockReason !== null) blocks.push(bot.margin.blockReason);
    return { allowed: false, reduceOnly: false, reason: `${side}: ${blocks.join('; ')}` };
  }
  if (reducing) return { allowed: true, reduceOnly: true, reason: `${side}: reduce only: ${stateReason}` };
  return side === 'bid' ? QUOTING_BID : QUOTING_ASK;
}

/** A halted coin cancels everything resting, and may still send its close. */
function haltActions(coin: string, reason: string, close: ReduceAction | null): RiskAction[] {
  const cancelAll: RiskAction = { kind: 'cancelAll', coin, reason };
  return close === null ? [cancelAll] : [cancelAll, close];
}

/** The mid when the book is two-sided, else the entry (a position is then valued at cost). */
function markOf(coin: CoinRiskInput): number {
  return coin.bestBid > 0 && coin.bestAsk > 0 ? (coin.bestBid + coin.bestAsk) / 2 : coin.exposure.avgEntry;
}

/**
 * A reduce-only order closing `fraction` of the position. IOC: a price chain from the touch it
 * takes (the best bid when selling) toward flatten_max_slippage_bps. Alo: one resting order at
 * our own touch (the best ask when selling).
 */
function closeOrder(input: CoinRiskInput, fraction: number, cause: CloseCause, reason: string, tif: 'Ioc' | 'Alo'): ReduceAction {
  const { coin, exposure, bestBid, bestAsk, params } = input;
  const side: Side = exposure.position > 0 ? 'ask' : 'bid';
  const sz = Math.abs(exposure.position) * fraction;
  const pxChain =
    tif === 'Ioc'
      ? iocPriceChain(side, side === 'ask' ? bestBid : bestAsk, params.flatten_max_slippage_bps)
      : [side === 'ask' ? bestAsk : bestBid];
  return { kind: 'reduce', coin, side, sz, tif, pxChain, cause, reason };
}
