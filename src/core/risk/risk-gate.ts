import type { Side } from '../types.js';
import { bailoutFor, type Bailout } from './bailout.js';
import { ApiErrorWindow, MidHistory, SEED_BREAKERS, type BreakerParams } from './circuit-breakers.js';
import { ConditionTracker } from './condition-tracker.js';
import { DailyLossLimit } from './daily-loss.js';
import { pct, seconds, usd, utc } from './format.js';
import { iocPriceChain } from './ioc-chain.js';
import { coinCapReason, directionOf, grossCapReason, marginCap, portfolioThresholdHit, type MarginCapResult } from './limits.js';
import type {
  CloseCause,
  CoinRiskDecision,
  CoinRiskInput,
  RiskAction,
  RiskDecision,
  RiskEvent,
  RiskEventKind,
  RiskInputs,
  RiskSeverity,
  SideVerdict,
  TradingState,
} from './risk-types.js';
import { takeProfitFor } from './take-profit.js';

/** A coin's condition-tracker key and event header, built once rather than every evaluation. */
interface CoinRule {
  readonly key: string;
  readonly event: { readonly kind: RiskEventKind; readonly severity: RiskSeverity; readonly coin: string };
}

/** What one coin's rules remember between evaluations. */
interface CoinMemory {
  readonly rules: {
    readonly takeProfit: CoinRule;
    readonly coinCap: CoinRule;
    readonly staleBook: CoinRule;
    readonly priceMoveWiden: CoinRule;
    readonly priceMoveCancel: CoinRule;
    readonly bailoutFull: CoinRule;
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

function botEvent(kind: RiskEventKind, severity: RiskSeverity) {
  return { kind, severity, coin: null } as const;
}

const KILL_SWITCH_EVENT = botEvent('kill_switch', 'critical');
const EMERGENCY_STOP_EVENT = botEvent('emergency_stop', 'critical');
const DAILY_LOSS_EVENT = botEvent('daily_loss', 'critical');
const API_ERRORS_EVENT = botEvent('api_errors', 'warning');
const PORTFOLIO_PAUSE_EVENT = botEvent('portfolio_pause', 'warning');
const MARGIN_CAP_EVENT = botEvent('margin_cap', 'warning');
const GROSS_CAP_EVENT = botEvent('gross_cap', 'info');

function coinRule(coin: string, kind: RiskEventKind, severity: RiskSeverity): CoinRule {
  return { key: `${coin}:${kind}`, event: { kind, severity, coin } };
}

/** The verdict of a side free to quote, the common case: shared rather than rebuilt every loop. */
const QUOTING: Readonly<Record<Side, SideVerdict>> = {
  bid: Object.freeze({ allowed: true, reduceOnly: false, reason: 'bid: quoting' }),
  ask: Object.freeze({ allowed: true, reduceOnly: false, reason: 'ask: quoting' }),
};

const NO_REASONS: readonly string[] = Object.freeze([]);

/** Joins reasons as `[...first, ...second].join('; ')` would, without building the array when one list is empty. */
function joinReasons(first: readonly string[], second: readonly string[]): string {
  if (second.length === 0) return first.join('; ');
  if (first.length === 0) return second.join('; ');
  return [...first, ...second].join('; ');
}

/** The sides whose quotes would grow the position, as the coin-cap event names them. */
function increasingSides(position: number): string {
  return position > 0 ? 'bid' : position < 0 ? 'ask' : 'bid and ask';
}

function increases(side: Side, position: number): boolean {
  return position > 0 ? side === 'bid' : position < 0 ? side === 'ask' : true;
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
 */
export class RiskGate {
  private readonly tracker = new ConditionTracker();
  private readonly daily = new DailyLossLimit();
  private readonly apiErrors: ApiErrorWindow;
  private apiPauseUntil = Number.NEGATIVE_INFINITY;
  private apiPauseReason = '';
  private state: TradingState = 'ACTIVE';
  private readonly memory = new Map<string, CoinMemory>();

  constructor(private readonly breakers: BreakerParams = SEED_BREAKERS) {
    this.apiErrors = new ApiErrorWindow(breakers.maxApiErrors);
  }

  evaluate(inputs: RiskInputs, now: number): RiskDecision {
    if (!(inputs.startingEquity > 0)) {
      throw new RangeError(`risk gate: startingEquity must be positive, got ${inputs.startingEquity}`);
    }
    const events: RiskEvent[] = [];
    const bot = this.evaluateBot(inputs, now, events);
    const state: TradingState = bot.haltReasons.length > 0 ? 'HALTED' : bot.reduceReasons.length > 0 ? 'REDUCING' : 'ACTIVE';
    const reason = joinReasons(bot.haltReasons, bot.reduceReasons) || 'ok';
    const previous = this.state;
    if (state !== previous) {
      events.push({ ts: now, severity: STATE_SEVERITY[state], kind: 'state', coin: null, message: `${previous} -> ${state}: ${reason}` });
      this.state = state;
    }
    const coins = inputs.coins.map((coin) => this.evaluateCoin(coin, bot, { previous, next: state }, now, events));
    return { state, reason, coins, events };
  }

  private evaluateBot(inputs: RiskInputs, now: number, events: RiskEvent[]): BotVerdict {
    const { params, equity, startingEquity } = inputs;
    const haltReasons: string[] = [];
    const reduceReasons: string[] = [];
    let closeAll: BotVerdict['closeAll'] = null;

    if (this.tracker.changes('kill_switch', inputs.killSwitch)) {
      this.tracker.update(events, 'kill_switch', inputs.killSwitch, now, KILL_SWITCH_EVENT, (on) =>
        on ? 'kill switch engaged: cancel all orders and close all positions' : 'kill switch released',
      );
    }
    if (inputs.killSwitch) {
      haltReasons.push('kill switch engaged');
      closeAll = { cause: 'kill_switch', reason: 'kill switch engaged' };
    }

    // Messages are built only when a rule holds or changes: most loops need none of them.
    const portfolioReturn = () => pct((equity - startingEquity) / startingEquity);
    const emergency = portfolioThresholdHit(equity, startingEquity, params.emergency_stop_loss_pct);
    const emergencyReason = emergency
      ? `emergency stop: portfolio return ${portfolioReturn()} at or below emergency_stop_loss_pct ${pct(params.emergency_stop_loss_pct)}`
      : '';
    if (this.tracker.changes('emergency_stop', emergency)) {
      this.tracker.update(events, 'emergency_stop', emergency, now, EMERGENCY_STOP_EVENT, (on) =>
        on
          ? `${emergencyReason}: cancel all orders and close all positions`
          : `portfolio return ${portfolioReturn()} above emergency_stop_loss_pct ${pct(params.emergency_stop_loss_pct)}`,
      );
    }
    if (emergency) {
      haltReasons.push(emergencyReason);
      closeAll ??= { cause: 'emergency_stop', reason: emergencyReason };
    }

    this.daily.update(equity, now, params.max_daily_loss);
    const dailyHalted = this.daily.halted(now);
    if (this.tracker.changes('daily_loss', dailyHalted)) {
      this.tracker.update(events, 'daily_loss', dailyHalted, now, DAILY_LOSS_EVENT, (on) =>
        on ? this.daily.reason : `daily loss halt lifted: new UTC day ${utc(now).slice(0, 10)}`,
      );
    }
    if (dailyHalted) haltReasons.push(this.daily.reason);

    const apiPaused = this.updateApiPause(inputs.newApiErrors, now);
    if (this.tracker.changes('api_errors', apiPaused)) {
      this.tracker.update(events, 'api_errors', apiPaused, now, API_ERRORS_EVENT, (on) =>
        on ? this.apiPauseReason : `API error pause of ${seconds(this.breakers.apiPauseMs)} expired`,
      );
    }
    if (apiPaused) haltReasons.push(this.apiPauseReason);

    const paused = portfolioThresholdHit(equity, startingEquity, params.portfolio_pause_threshold_pct);
    const pauseReason = paused
      ? `portfolio return ${portfolioReturn()} at or below portfolio_pause_threshold_pct ${pct(params.portfolio_pause_threshold_pct)}`
      : '';
    if (this.tracker.changes('portfolio_pause', paused)) {
      this.tracker.update(events, 'portfolio_pause', paused, now, PORTFOLIO_PAUSE_EVENT, (on) =>
        on
          ? `${pauseReason}: reduce only`
          : `portfolio return ${portfolioReturn()} above portfolio_pause_threshold_pct ${pct(params.portfolio_pause_threshold_pct)}`,
      );
    }
    if (paused) reduceReasons.push(pauseReason);

    const margin = marginCap(params, inputs.freeCollateral, inputs.desiredOrderNotional);
    if (this.tracker.changes('margin_cap', margin.beyondReason !== null)) {
      this.tracker.update(events, 'margin_cap', margin.beyondReason !== null, now, MARGIN_CAP_EVENT, (on) =>
        on && margin.beyondReason !== null
          ? margin.beyondReason
          : `margin cap: resting orders within ${pct(params.margin_cap_fraction)} of free collateral ${usd(inputs.freeCollateral)}`,
      );
    }

    let gross = 0;
    for (const coin of inputs.coins) gross += Math.abs(coin.exposure.position) * markOf(coin);
    const grossReason = grossCapReason(gross, params.max_gross_notional);
    if (this.tracker.changes('gross_cap', grossReason !== null)) {
      this.tracker.update(events, 'gross_cap', grossReason !== null, now, GROSS_CAP_EVENT, (on) =>
        on && grossReason !== null ? grossReason : `gross notional ${usd(gross)} below cap ${usd(params.max_gross_notional)}`,
      );
    }

    return { haltReasons, reduceReasons, closeAll, apiPaused, margin, grossReason };
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
    botState: { readonly previous: TradingState; readonly next: TradingState },
    now: number,
    events: RiskEvent[],
  ): CoinRiskDecision {
    const { coin, params, exposure } = input;
    const memory = this.memoryOf(coin);
    const market = this.updateMarketRules(input, memory, now, events);
    const bailout = this.updateBailout(input, memory, now, events);

    const haltReasons = market.haltReasons.length === 0 ? bot.haltReasons : [...bot.haltReasons, ...market.haltReasons];
    const reduceReasons = bailout.closing ? [...bot.reduceReasons, memory.fullReason] : bot.reduceReasons;
    const state: TradingState = haltReasons.length > 0 ? 'HALTED' : reduceReasons.length > 0 ? 'REDUCING' : 'ACTIVE';
    const stateReason = joinReasons(haltReasons, reduceReasons);
    // A change that merely follows the bot's is already reported by the bot's own state event.
    const followsBot = memory.state === botState.previous && state === botState.next;
    if (state !== memory.state && !followsBot) {
      events.push({ ts: now, severity: STATE_SEVERITY[state], kind: 'state', coin, message: `${memory.state} -> ${state}: ${stateReason || 'ok'}` });
    }
    memory.state = state;

    const actions: RiskAction[] = [];
    if (state === 'HALTED') actions.push({ kind: 'cancelAll', coin, reason: stateReason });
    const canTrade = !market.stale && !bot.apiPaused;
    const takingProfit = this.addCloseActions(actions, input, memory, { bot, bailout, mid: market.mid, canTrade }, now, events);
    const { rules } = memory;
    if (this.tracker.changes(rules.takeProfit.key, takingProfit !== null)) {
      this.tracker.update(events, rules.takeProfit.key, takingProfit !== null, now, rules.takeProfit.event, (on) =>
        on && takingProfit !== null ? takingProfit : 'take-profit no longer sent',
      );
    }

    const markPx = markOf(input);
    const coinCap = coinCapReason(exposure.position, markPx, params.max_per_coin_notional);
    if (this.tracker.changes(rules.coinCap.key, coinCap !== null)) {
      this.tracker.update(events, rules.coinCap.key, coinCap !== null, now, rules.coinCap.event, (on) =>
        on && coinCap !== null
          ? `${increasingSides(exposure.position)}: ${coinCap}`
          : `per-coin notional ${usd(Math.abs(exposure.position) * markPx)} ${directionOf(exposure.position)} below cap ${usd(params.max_per_coin_notional)}`,
      );
    }

    const verdict = (side: Side): SideVerdict => {
      if (state === 'HALTED') return { allowed: false, reduceOnly: false, reason: `${side}: ${stateReason}` };
      // The blocks, in order: reduce only, gross cap, coin cap (these three only on a side that
      // grows the position), then the margin cap.
      const blocks: string[] = [];
      if (increases(side, exposure.position)) {
        if (state === 'REDUCING') blocks.push(`reduce only: ${stateReason}`);
        if (bot.grossReason !== null) blocks.push(bot.grossReason);
        if (coinCap !== null) blocks.push(coinCap);
      }
      if (bot.margin.blockReason !== null) blocks.push(bot.margin.blockReason);
      if (blocks.length > 0) return { allowed: false, reduceOnly: false, reason: `${side}: ${blocks.join('; ')}` };
      if (state === 'REDUCING') return { allowed: true, reduceOnly: true, reason: `${side}: reduce only: ${stateReason}` };
      return QUOTING[side];
    };

    return {
      coin,
      state,
      bid: verdict('bid'),
      ask: verdict('ask'),
      spreadMultiplier: market.widening ? this.breakers.widenMultiplier : 1,
      sizeMultiplier: bot.margin.sizeMultiplier,
      actions,
    };
  }

  /** Stale book and price-move breakers of one coin. */
  private updateMarketRules(
    input: CoinRiskInput,
    memory: CoinMemory,
    now: number,
    events: RiskEvent[],
  ): { readonly stale: boolean; readonly mid: number; readonly widening: boolean; readonly haltReasons: readonly string[] } {
    const { params, bestBid, bestAsk } = input;
    const { rules } = memory;
    const twoSided = bestBid > 0 && bestAsk > 0;
    const mid = (bestBid + bestAsk) / 2;
    const bookAge = now - input.lastBookTs;
    const stale = !twoSided || bookAge > params.stale_book_ms;
    let staleReason = '';
    if (stale) {
      staleReason = twoSided ? `book stale for ${seconds(bookAge)} (beyond stale_book_ms ${params.stale_book_ms} ms)` : 'book not two-sided';
    }
    if (this.tracker.changes(rules.staleBook.key, stale)) {
      this.tracker.update(events, rules.staleBook.key, stale, now, rules.staleBook.event, (on) =>
        on ? `${staleReason}: cancel all until fresh` : 'book fresh again',
      );
    }
    if (!stale) this.updatePriceBreakers(memory, mid, now);

    const widening = now < memory.widenUntil;
    if (this.tracker.changes(rules.priceMoveWiden.key, widening)) {
      this.tracker.update(events, rules.priceMoveWiden.key, widening, now, rules.priceMoveWiden.event, (on) =>
        on ? memory.widenReason : `spread widening expired after ${seconds(this.breakers.widenCooldownMs)}`,
      );
    }
    const cancelling = now < memory.cancelUntil;
    if (this.tracker.changes(rules.priceMoveCancel.key, cancelling)) {
      this.tracker.update(events, rules.priceMoveCancel.key, cancelling, now, rules.priceMoveCancel.event, (on) =>
        on ? memory.cancelReason : `price-move cancel expired after ${seconds(this.breakers.cancelCooldownMs)}`,
      );
    }
    const haltReasons = stale ? (cancelling ? [staleReason, memory.cancelReason] : [staleReason]) : cancelling ? [memory.cancelReason] : NO_REASONS;
    return { stale, mid, widening, haltReasons };
  }

  /** A full bailout latches for the rest of the position: the coin keeps closing until flat. */
  private updateBailout(
    input: CoinRiskInput,
    memory: CoinMemory,
    now: number,
    events: RiskEvent[],
  ): { readonly partial: Bailout | null; readonly closing: boolean } {
    const { params, exposure } = input;
    const bailout = bailoutFor(exposure, params, now, memory.partialEpisode === exposure.episode);
    if (exposure.position !== 0 && memory.fullEpisode !== exposure.episode && bailout?.kind === 'full') {
      memory.fullEpisode = exposure.episode;
      memory.fullReason = bailout.reason;
    }
    const closing = exposure.position !== 0 && memory.fullEpisode === exposure.episode;
    if (this.tracker.changes(memory.rules.bailoutFull.key, closing)) {
      this.tracker.update(events, memory.rules.bailoutFull.key, closing, now, memory.rules.bailoutFull.event, (on) =>
        on ? `${memory.fullReason}: closing the position` : 'full bailout finished: position closed',
      );
    }
    return { partial: bailout?.kind === 'partial' ? bailout : null, closing };
  }

  /**
   * At most one reduce-only order per coin, the most urgent first: close-all (kill switch,
   * emergency stop), full bailout, partial bailout, take-profit. Returns the take-profit reason
   * when a take-profit was sent.
   */
  private addCloseActions(
    actions: RiskAction[],
    input: CoinRiskInput,
    memory: CoinMemory,
    context: {
      readonly bot: BotVerdict;
      readonly bailout: { readonly partial: Bailout | null; readonly closing: boolean };
      readonly mid: number;
      readonly canTrade: boolean;
    },
    now: number,
    events: RiskEvent[],
  ): string | null {
    const { coin, params, exposure } = input;
    if (exposure.position === 0 || !context.canTrade) return null;
    const { bot, bailout } = context;
    if (bot.closeAll !== null) {
      actions.push(closeOrder(input, 1, bot.closeAll.cause, bot.closeAll.reason, 'Ioc'));
      return null;
    }
    if (bailout.closing) {
      actions.push(closeOrder(input, 1, 'bailout_full', memory.fullReason, 'Ioc'));
      return null;
    }
    if (bailout.partial !== null) {
      memory.partialEpisode = exposure.episode;
      events.push({ ts: now, severity: 'warning', kind: 'bailout_partial', coin, message: bailout.partial.reason });
      actions.push(closeOrder(input, bailout.partial.fraction, 'bailout_partial', bailout.partial.reason, 'Ioc'));
      return null;
    }
    const takeProfit = takeProfitFor(exposure, context.mid, params);
    if (takeProfit === null) return null;
    if (takeProfit.emergency) actions.push(closeOrder(input, 1, 'emergency_take_profit', takeProfit.reason, 'Ioc'));
    else actions.push(closeOrder(input, 1, 'take_profit', takeProfit.reason, params.enhanced_take_profit_enabled ? 'Ioc' : 'Alo'));
    return takeProfit.reason;
  }

  /** A breaker trips only while it is not already active; its cooldown counts from the trip. */
  private updatePriceBreakers(memory: CoinMemory, mid: number, now: number): void {
    const b = this.breakers;
    memory.mids.record(now, mid);
    if (now >= memory.widenUntil) {
      const move = memory.mids.moveBeyond(mid, now, b.widenWindowMs, b.widenMoveFraction);
      if (move > 0) {
        memory.widenUntil = now + b.widenCooldownMs;
        memory.widenReason =
          `price moved ${pct(move)} within ${seconds(b.widenWindowMs)} (beyond ${pct(b.widenMoveFraction)}): ` +
          `spread x${b.widenMultiplier} until ${utc(memory.widenUntil)}`;
      }
    }
    if (now >= memory.cancelUntil) {
      const move = memory.mids.moveBeyond(mid, now, b.cancelWindowMs, b.cancelMoveFraction);
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
          takeProfit: coinRule(coin, 'take_profit', 'info'),
          coinCap: coinRule(coin, 'coin_cap', 'info'),
          staleBook: coinRule(coin, 'stale_book', 'warning'),
          priceMoveWiden: coinRule(coin, 'price_move_widen', 'warning'),
          priceMoveCancel: coinRule(coin, 'price_move_cancel', 'warning'),
          bailoutFull: coinRule(coin, 'bailout_full', 'critical'),
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
      };
      this.memory.set(coin, memory);
    }
    return memory;
  }
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
function closeOrder(input: CoinRiskInput, fraction: number, cause: CloseCause, reason: string, tif: 'Ioc' | 'Alo'): RiskAction {
  const { coin, exposure, bestBid, bestAsk, params } = input;
  const side: Side = exposure.position > 0 ? 'ask' : 'bid';
  const sz = Math.abs(exposure.position) * fraction;
  const pxChain =
    tif === 'Ioc'
      ? iocPriceChain(side, side === 'ask' ? bestBid : bestAsk, params.flatten_max_slippage_bps)
      : [side === 'ask' ? bestAsk : bestBid];
  return { kind: 'reduce', coin, side, sz, tif, pxChain, cause, reason };
}
