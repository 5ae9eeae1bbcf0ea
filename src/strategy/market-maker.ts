import type { L2Book } from '../core/book.js';
import { PortfolioLedger, type CoinLedger } from '../core/ledger.js';
import { priceRules, type PriceRules } from '../core/price-rules.js';
import type { QuotePlan, QuoteSetup } from '../core/quote/plan.js';
import { quoteSetupFromSettings, singleSidedParamsFromSettings } from '../core/quote/quote-settings.js';
import { SingleSidedSelector, type SingleSidedInputs } from '../core/quote/single-sided.js';
import { breakerParamsFromSettings } from '../core/risk/circuit-breakers.js';
import { RiskGate } from '../core/risk/risk-gate.js';
import type { CoinRiskDecision, CoinRiskInput, RiskAction, RiskDecision, RiskEvent, RiskInputs, SideVerdict, TradingState } from '../core/risk/risk-types.js';
import type { AccountEvent, DesiredQuote, MarketEvent, OrderAction } from '../core/types.js';
import type { BotConfig, CoinConfig } from '../config/settings.js';
import { CloidSequence } from './cloid.js';
import { CloseExecutor } from './close-executor.js';
import { CoinMarket } from './coin-market.js';
import { OrderManager, type ReplacePolicy } from './order-manager.js';
import { QuotePlanCache } from './quote-plan-cache.js';

/** Refit the fill intensity (A, k) this often; a fit walks every bucket of the window. */
const REFIT_EVERY_LOOPS = 100;

export interface AssetInfo {
  readonly szDecimals: number;
}

export interface MarketMakerOptions {
  readonly bot: BotConfig;
  readonly coins: readonly CoinConfig[];
  readonly assets: Readonly<Record<string, AssetInfo>>;
  /** Distinguishes this run's client order ids from earlier runs'. */
  readonly session?: number;
  /** Time the bot starts (ms): the start of a finite Avellaneda–Stoikov session. */
  readonly startTs: number;
}

/** Why each side of a coin is or is not quoting, for operators and reports. */
export interface CoinStatus {
  readonly coin: string;
  readonly state: TradingState;
  readonly mid: number;
  readonly position: number;
  readonly reservationPrice: number;
  readonly halfSpread: number;
  readonly bidReason: string | null;
  readonly askReason: string | null;
  readonly quotes: readonly DesiredQuote[];
}

export interface StepResult {
  readonly actions: OrderAction[];
  readonly events: readonly RiskEvent[];
}

type Mutable<T> = { -readonly [K in keyof T]: T[K] };

/** Shared and kept unchanged by its type; not frozen, since V8 loops over frozen arrays slowly. */
const NO_QUOTES: readonly DesiredQuote[] = [];

interface CoinRuntime {
  readonly config: CoinConfig;
  readonly market: CoinMarket;
  readonly rules: PriceRules;
  readonly selector: SingleSidedSelector;
  readonly plans: QuotePlanCache;
  readonly ledger: CoinLedger;
  /** Only a finite Avellaneda–Stoikov session reads T − t; for other models it stays undefined. */
  readonly usesTimeRemaining: boolean;
  /** The gate's and the side selector's inputs for this coin, refreshed in place each step. */
  readonly riskInput: Mutable<CoinRiskInput>;
  readonly sideInputs: Mutable<SingleSidedInputs>;
  setup: QuoteSetup;
  loops: number;
  /** The order manager's replace policy, rebuilt only when the tick changes. */
  policy: ReplacePolicy;
  /** What the last step decided, updated in place; the status is built from it when asked for. */
  readonly last: Mutable<LastStep>;
  status: CoinStatus | undefined;
  /** The last quotes after the gate's verdicts, reused while their inputs repeat. */
  verdicts: VerdictMemo | undefined;
}

interface LastStep {
  /** Undefined until the first step. */
  readonly decision: CoinRiskDecision | undefined;
  readonly mid: number;
  readonly position: number;
  /** Undefined when the coin did not quote: halted, cancelling all, or not ready. */
  readonly plan: QuotePlan | undefined;
  readonly desired: readonly DesiredQuote[];
  /** Why a coin that is not ready does not quote, as it was when the step ran. */
  readonly notReady: string | undefined;
}

interface VerdictMemo {
  readonly plan: QuotePlan;
  readonly bid: SideVerdict;
  readonly ask: SideVerdict;
  readonly sizeMultiplier: number;
  readonly position: number;
  readonly desired: readonly DesiredQuote[];
}

function sideVerdictReason(verdict: SideVerdict): string | null {
  return verdict.allowed ? null : verdict.reason;
}

/**
 * The market-making bot, identical in every mode: market and account events in, a batch of
 * order actions out of each step. Pure: time comes in as arguments, nothing here does I/O.
 *
 * One step: mark the ledger → risk gate → quote plan (model, guards, single-sided, risk
 * multipliers and side verdicts) → order diff, plus the gate's reduce-only closes.
 */
export class MarketMaker {
  readonly ledger = new PortfolioLedger();
  private readonly gate: RiskGate;
  private readonly orders: OrderManager;
  private readonly closes: CloseExecutor;
  private readonly coins = new Map<string, CoinRuntime>();
  private apiErrorsSinceStep = 0;
  private killSwitch = false;
  private lastDecision: RiskDecision | undefined;
  private readonly riskInputs: Mutable<RiskInputs>;

  constructor(private readonly options: MarketMakerOptions) {
    const session = options.session ?? 0;
    this.gate = new RiskGate(breakerParamsFromSettings(options.bot));
    this.orders = new OrderManager({ botId: options.bot.bot_id, session, housekeepEveryN: options.bot.housekeep_every_n });
    this.closes = new CloseExecutor(new CloidSequence(`${options.bot.bot_id}:close`, session));
    for (const config of options.coins) {
      const asset = options.assets[config.coin];
      if (!asset) throw new RangeError(`no exchange metadata for coin ${config.coin}`);
      const ledger = this.ledger.coin(config.coin);
      this.coins.set(config.coin, {
        config,
        ledger,
        market: new CoinMarket(config),
        rules: priceRules(asset.szDecimals),
        selector: new SingleSidedSelector(singleSidedParamsFromSettings(config)),
        plans: new QuotePlanCache(),
        usesTimeRemaining: config.quote_model === 'avellaneda_stoikov' && config.horizon_mode === 'finite',
        riskInput: {
          coin: config.coin,
          params: config,
          exposure: ledger,
          bestBid: NaN,
          bestAsk: NaN,
          lastBookTs: -Infinity,
        },
        sideInputs: { position: 0, flowBias: 1, makerShare: NaN },
        setup: quoteSetupFromSettings(config),
        loops: 0,
        policy: replacePolicy(config, 1),
        last: { decision: undefined, mid: NaN, position: 0, plan: undefined, desired: [], notReady: undefined },
        status: undefined,
        verdicts: undefined,
      });
    }
    this.riskInputs = {
      params: options.bot,
      coins: [...this.coins.values()].map((runtime) => runtime.riskInput),
      equity: options.bot.capital_usd,
      startingEquity: options.bot.capital_usd,
      freeCollateral: 0,
      desiredOrderNotional: 0,
      newApiErrors: 0,
      killSwitch: false,
    };
  }

  onMarketEvent(event: MarketEvent): void {
    this.coins.get(event.coin)?.market.onMarketEvent(event);
  }

  onAccountEvent(event: AccountEvent, now: number): void {
    if ('cloid' in event && this.closes.owns(event.cloid)) this.closes.apply(event);
    else this.orders.apply(event, now);
    if (event.type === 'fill') {
      this.ledger.coin(event.coin).applyFill(event);
      this.coins.get(event.coin)?.market.makerShare.update(event.maker, event.ts);
    } else if (event.type === 'funding') {
      this.ledger.coin(event.coin).applyFunding(event.amount, event.ts);
    } else if ((event.type === 'reject' || event.type === 'cancelReject') && (event.kind === 'rateLimited' || event.kind === 'other')) {
      this.apiErrorsSinceStep++;
    }
  }

  /** The operator's kill switch: halt, cancel everything and close positions. */
  setKillSwitch(on: boolean): void {
    this.killSwitch = on;
  }

  /** Cancels every resting order (graceful shutdown). */
  cancelAll(now: number): OrderAction[] {
    return this.orders.cancelAll(now);
  }

  /** The book of a coin the bot trades (read-only use: reports and snapshots). */
  bookOf(coin: string): L2Book {
    const runtime = this.coins.get(coin);
    if (!runtime) throw new RangeError(`coin ${coin} is not traded by this bot`);
    return runtime.market.book;
  }

  status(): CoinStatus[] {
    return [...this.coins.values()].map((runtime) => (runtime.status ??= statusOf(runtime)));
  }

  get riskState(): RiskDecision | undefined {
    return this.lastDecision;
  }

  step(now: number): StepResult {
    const decision = this.evaluateRisk(now);
    this.lastDecision = decision;
    const actions: OrderAction[] = [];
    for (const coinDecision of decision.coins) this.stepCoin(this.coins.get(coinDecision.coin)!, coinDecision, now, actions);
    return { actions, events: decision.events };
  }

  /** The gate's inputs are refreshed in place: the gate reads them and keeps nothing. */
  private evaluateRisk(now: number): RiskDecision {
    let intended = 0;
    for (const runtime of this.coins.values()) {
      const { book } = runtime.market;
      if (Number.isFinite(book.mid)) runtime.ledger.mark(book.mid, now);
      const input = runtime.riskInput;
      input.bestBid = book.bestBid;
      input.bestAsk = book.bestAsk;
      input.lastBookTs = book.lastUpdateTs;
      intended += 2 * runtime.setup.ladder.orderSizeUsd;
    }
    const totals = this.ledger.totals();
    const equity = this.options.bot.capital_usd + totals.netPnl;
    const inputs = this.riskInputs;
    inputs.equity = equity;
    inputs.freeCollateral = Math.max(0, equity - totals.grossNotional / this.options.bot.assumed_leverage);
    inputs.desiredOrderNotional = intended;
    inputs.newApiErrors = this.apiErrorsSinceStep;
    inputs.killSwitch = this.killSwitch;
    this.apiErrorsSinceStep = 0;
    return this.gate.evaluate(inputs, now);
  }

  /** Appends the coin's actions to `actions`. */
  private stepCoin(runtime: CoinRuntime, decision: CoinRiskDecision, now: number, actions: OrderAction[]): void {
    const { market, config, rules } = runtime;
    const coin = config.coin;
    runtime.loops++;
    runtime.status = undefined;
    market.onLoop();
    const reduce = firstReduce(decision.actions);
    const restingClose = reduce?.tif === 'Alo' ? closeOnTickGrid(reduce, rules) : undefined;
    const takerClose = reduce?.tif === 'Ioc' ? reduce : this.closes.queuedFor(coin);
    if (takerClose) {
      const close = this.closes.act(closeOnTickGrid(takerClose, rules), (sz) => rules.roundSize(sz));
      if (close) actions.push(close);
    } else {
      this.closes.reset(coin);
    }
    const cancelAll = decision.state === 'HALTED' || hasCancelAll(decision.actions);
    const position = runtime.ledger.position;
    const mid = market.book.mid;
    if (cancelAll || !market.ready) {
      const notReady = cancelAll ? undefined : notReadyReason(market);
      recordStep(runtime.last, decision, mid, position, undefined, NO_QUOTES, notReady);
      const idleTick = Number.isFinite(mid) ? rules.tickAt(mid) : 1;
      pushAll(actions, this.orders.diff(coin, NO_QUOTES, this.policyAt(runtime, idleTick), now));
      return;
    }
    if (config.fill_intensity_calibrate && config.quote_model !== 'fixed' && runtime.loops % REFIT_EVERY_LOOPS === 0) {
      const fit = market.fittedIntensity(now);
      if (fit) runtime.setup = quoteSetupFromSettings({ ...config, fill_intensity_a: fit.a, fill_intensity_k: fit.k });
    }
    const tick = rules.tickAt(mid);
    const inputs = runtime.plans.inputs;
    inputs.mid = mid;
    inputs.sigma = market.volatility.priceSigma(mid);
    inputs.position = position;
    inputs.tick = tick;
    inputs.timeRemainingSec = runtime.usesTimeRemaining ? config.horizon_sec - (((now - this.options.startTs) / 1000) % config.horizon_sec) : undefined;
    inputs.bestBid = market.book.bestBid;
    inputs.bestAsk = market.book.bestAsk;
    inputs.toxicityBid = decision.spreadMultiplier;
    inputs.toxicityAsk = decision.spreadMultiplier;
    // Read only when used: reading the percentile sorts its window.
    inputs.dynamicMinSpreadBps = config.dynamic_min_spread_enabled ? market.spreads.value : undefined;
    const sideInputs = runtime.sideInputs;
    sideInputs.position = position;
    sideInputs.flowBias = market.flow.bias;
    sideInputs.makerShare = market.makerShare.share;
    inputs.sides = runtime.selector.select(sideInputs);
    const plan = runtime.plans.plan(runtime.setup);
    let desired = this.desiredQuotes(runtime, plan, decision, position);
    if (restingClose) desired = this.replaceSideWithClose(desired, restingClose, rules);
    recordStep(runtime.last, decision, mid, position, plan, desired, undefined);
    pushAll(actions, this.orders.diff(coin, desired, this.policyAt(runtime, tick), now));
  }

  /** The plan after the gate's verdicts; the previous ladder while plan, verdicts and position repeat, or when it comes out equal. */
  private desiredQuotes(runtime: CoinRuntime, plan: QuotePlan, decision: CoinRiskDecision, position: number): readonly DesiredQuote[] {
    const memo = runtime.verdicts;
    if (
      memo !== undefined &&
      memo.plan === plan &&
      memo.position === position &&
      memo.sizeMultiplier === decision.sizeMultiplier &&
      sameVerdict(memo.bid, decision.bid) &&
      sameVerdict(memo.ask, decision.ask)
    ) {
      return memo.desired;
    }
    const desired = this.applyVerdicts(plan, decision, position, runtime.rules, memo?.desired ?? NO_QUOTES);
    runtime.verdicts = { plan, bid: decision.bid, ask: decision.ask, sizeMultiplier: decision.sizeMultiplier, position, desired };
    return desired;
  }

  /**
   * A resting (post-only) take-profit becomes the reducing side's only quote, so the order
   * manager keeps it at the touch, replaces it as the price moves and cancels it with the rest.
   */
  private replaceSideWithClose(
    desired: readonly DesiredQuote[],
    close: Extract<RiskAction, { kind: 'reduce' }>,
    rules: PriceRules,
  ): DesiredQuote[] {
    const px = close.pxChain[0];
    const sz = rules.roundSize(close.sz);
    const kept = desired.filter((quote) => quote.side !== close.side);
    if (px !== undefined && sz > 0 && rules.meetsMinNotional(px, sz)) kept.push({ side: close.side, level: 0, px, sz });
    return kept;
  }

  /**
   * Drops refused sides, caps reduce-only sides at the position, scales sizes, rounds to the lot.
   * A result equal to `previous` is `previous` itself: an equal ladder keeps its identity, which
   * lets the order manager skip a diff it already settled, and nothing new is built for it.
   */
  private applyVerdicts(
    plan: QuotePlan,
    decision: CoinRiskDecision,
    position: number,
    rules: PriceRules,
    previous: readonly DesiredQuote[],
  ): readonly DesiredQuote[] {
    let remainingBid = decision.bid.reduceOnly ? (position < 0 ? -position : 0) : Infinity;
    let remainingAsk = decision.ask.reduceOnly ? (position > 0 ? position : 0) : Infinity;
    // Built only from the first quote that differs from `previous`.
    let desired: DesiredQuote[] | undefined;
    let count = 0;
    for (const quote of plan.quotes) {
      const isBid = quote.side === 'bid';
      if (!(isBid ? decision.bid : decision.ask).allowed) continue;
      const sz = rules.roundSize(Math.min(quote.sz * decision.sizeMultiplier, isBid ? remainingBid : remainingAsk));
      if (!(sz > 0) || !rules.meetsMinNotional(quote.px, sz) || !rules.isValidPrice(quote.px)) continue;
      if (isBid) remainingBid -= sz;
      else remainingAsk -= sz;
      if (desired === undefined && sameQuote(previous[count], quote, sz)) {
        count++;
        continue;
      }
      desired ??= previous.slice(0, count);
      desired.push(sz === quote.sz ? quote : { side: quote.side, level: quote.level, px: quote.px, sz });
    }
    if (desired !== undefined) return desired;
    return count === previous.length ? previous : previous.slice(0, count);
  }

  private policyAt(runtime: CoinRuntime, tick: number): ReplacePolicy {
    if (runtime.policy.tick !== tick) runtime.policy = replacePolicy(runtime.config, tick);
    return runtime.policy;
  }
}

function replacePolicy(config: CoinConfig, tick: number): ReplacePolicy {
  return { tick, moveThresholdTicks: config.move_threshold_ticks, minReplaceMs: config.min_replace_ms };
}

type ReduceAction = Extract<RiskAction, { kind: 'reduce' }>;

function firstReduce(actions: readonly RiskAction[]): ReduceAction | undefined {
  for (const action of actions) if (action.kind === 'reduce') return action;
  return undefined;
}

function hasCancelAll(actions: readonly RiskAction[]): boolean {
  for (const action of actions) if (action.kind === 'cancelAll') return true;
  return false;
}

/** `target.push(...items)` without spreading the arguments. */
function pushAll<T>(target: T[], items: readonly T[]): void {
  for (const item of items) target.push(item);
}

function idleStatus(coin: string, bidReason: string, askReason = bidReason): CoinStatus {
  return {
    coin,
    state: 'ACTIVE',
    mid: NaN,
    position: 0,
    reservationPrice: NaN,
    halfSpread: NaN,
    bidReason,
    askReason,
    quotes: [],
  };
}

/** The status of a coin as its last step left it. */
function statusOf(runtime: CoinRuntime): CoinStatus {
  const coin = runtime.config.coin;
  const last = runtime.last;
  const { decision, mid, position, plan, desired } = last;
  if (decision === undefined) return idleStatus(coin, 'waiting for the first book');
  if (plan === undefined) {
    const haltReason = (verdict: SideVerdict) =>
      sideVerdictReason(verdict) ?? decision.actions.find((a) => a.kind === 'cancelAll')?.reason ?? decision.state;
    const bidWhy = last.notReady ?? haltReason(decision.bid);
    const askWhy = last.notReady ?? haltReason(decision.ask);
    return { ...idleStatus(coin, bidWhy, askWhy), state: decision.state, mid, position };
  }
  return {
    coin,
    state: decision.state,
    mid,
    position,
    reservationPrice: plan.reservationPrice,
    halfSpread: plan.halfSpread,
    bidReason: sideVerdictReason(decision.bid) ?? plan.bid.reason ?? (desired.some((q) => q.side === 'bid') ? null : 'no bid level left'),
    askReason: sideVerdictReason(decision.ask) ?? plan.ask.reason ?? (desired.some((q) => q.side === 'ask') ? null : 'no ask level left'),
    quotes: desired,
  };
}

function recordStep(
  last: Mutable<LastStep>,
  decision: CoinRiskDecision,
  mid: number,
  position: number,
  plan: QuotePlan | undefined,
  desired: readonly DesiredQuote[],
  notReady: string | undefined,
): void {
  last.decision = decision;
  last.mid = mid;
  last.position = position;
  last.plan = plan;
  last.desired = desired;
  last.notReady = notReady;
}

/** True when `previous` is `quote` with size `sz`. */
function sameQuote(previous: DesiredQuote | undefined, quote: DesiredQuote, sz: number): boolean {
  return previous !== undefined && previous.side === quote.side && previous.level === quote.level && previous.px === quote.px && previous.sz === sz;
}

function sameVerdict(a: SideVerdict, b: SideVerdict): boolean {
  return a === b || (a.allowed === b.allowed && a.reduceOnly === b.reduceOnly);
}

function notReadyReason(market: CoinMarket): string {
  if (!Number.isFinite(market.book.bestBid) || !Number.isFinite(market.book.bestAsk)) return 'waiting for a two-sided book';
  return `warming up volatility (${market.volatility.samples} samples)`;
}

/**
 * The gate's close prices step from the touch by a fraction of the price, off the tick grid the
 * venue accepts; each is rounded toward the touch so that no step goes beyond the slippage cap.
 */
function closeOnTickGrid(action: Extract<RiskAction, { kind: 'reduce' }>, rules: PriceRules): Extract<RiskAction, { kind: 'reduce' }> {
  const mode = action.side === 'bid' ? 'down' : 'up';
  return { ...action, pxChain: action.pxChain.map((px) => rules.roundPrice(px, mode)) };
}
