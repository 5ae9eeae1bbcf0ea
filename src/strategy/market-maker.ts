import type { L2Book } from '../core/book.js';
import { PortfolioLedger } from '../core/ledger.js';
import { priceRules, type PriceRules } from '../core/price-rules.js';
import { planQuotes, type QuotePlan, type QuoteSetup } from '../core/quote/plan.js';
import { quoteSetupFromSettings, singleSidedParamsFromSettings } from '../core/quote/quote-settings.js';
import { SingleSidedSelector } from '../core/quote/single-sided.js';
import { RiskGate } from '../core/risk/risk-gate.js';
import type { CoinRiskDecision, CoinRiskInput, RiskAction, RiskDecision, RiskEvent, SideVerdict, TradingState } from '../core/risk/risk-types.js';
import type { AccountEvent, DesiredQuote, MarketEvent, OrderAction } from '../core/types.js';
import type { BotConfig, CoinConfig } from '../config/settings.js';
import { CloidSequence } from './cloid.js';
import { CloseExecutor } from './close-executor.js';
import { CoinMarket } from './coin-market.js';
import { OrderManager, type ReplacePolicy } from './order-manager.js';

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

interface CoinRuntime {
  readonly config: CoinConfig;
  readonly market: CoinMarket;
  readonly rules: PriceRules;
  readonly selector: SingleSidedSelector;
  setup: QuoteSetup;
  loops: number;
  status: CoinStatus;
  /** The order manager's replace policy, rebuilt only when the tick changes. */
  policy: ReplacePolicy;
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
  private readonly gate = new RiskGate();
  private readonly orders: OrderManager;
  private readonly closes: CloseExecutor;
  private readonly coins = new Map<string, CoinRuntime>();
  private apiErrorsSinceStep = 0;
  private killSwitch = false;
  private lastDecision: RiskDecision | undefined;

  constructor(private readonly options: MarketMakerOptions) {
    const session = options.session ?? 0;
    this.orders = new OrderManager({ botId: options.bot.bot_id, session, housekeepEveryN: options.bot.housekeep_every_n });
    this.closes = new CloseExecutor(new CloidSequence(`${options.bot.bot_id}:close`, session));
    for (const config of options.coins) {
      const asset = options.assets[config.coin];
      if (!asset) throw new RangeError(`no exchange metadata for coin ${config.coin}`);
      const market = new CoinMarket(config);
      this.coins.set(config.coin, {
        config,
        market,
        rules: priceRules(asset.szDecimals),
        selector: new SingleSidedSelector(singleSidedParamsFromSettings(config)),
        setup: quoteSetupFromSettings(config),
        loops: 0,
        status: idleStatus(config.coin, 'waiting for the first book'),
        policy: replacePolicy(config, 1),
      });
    }
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
    return [...this.coins.values()].map((runtime) => runtime.status);
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

  private evaluateRisk(now: number): RiskDecision {
    const coins: CoinRiskInput[] = [];
    let intended = 0;
    for (const runtime of this.coins.values()) {
      const { book } = runtime.market;
      const ledger = this.ledger.coin(runtime.config.coin);
      if (Number.isFinite(book.mid)) ledger.mark(book.mid, now);
      coins.push({
        coin: runtime.config.coin,
        params: runtime.config,
        exposure: ledger,
        bestBid: book.bestBid,
        bestAsk: book.bestAsk,
        lastBookTs: book.lastUpdateTs,
      });
    }
    for (const runtime of this.coins.values()) intended += 2 * runtime.setup.ladder.orderSizeUsd;
    const totals = this.ledger.totals();
    const equity = this.options.bot.capital_usd + totals.netPnl;
    const newApiErrors = this.apiErrorsSinceStep;
    this.apiErrorsSinceStep = 0;
    return this.gate.evaluate(
      {
        params: this.options.bot,
        coins,
        equity,
        startingEquity: this.options.bot.capital_usd,
        freeCollateral: Math.max(0, equity - totals.grossNotional / this.options.bot.assumed_leverage),
        desiredOrderNotional: intended,
        newApiErrors,
        killSwitch: this.killSwitch,
      },
      now,
    );
  }

  /** Appends the coin's actions to `actions`. */
  private stepCoin(runtime: CoinRuntime, decision: CoinRiskDecision, now: number, actions: OrderAction[]): void {
    const { market, config, rules } = runtime;
    const coin = config.coin;
    runtime.loops++;
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
    const position = this.ledger.coin(coin).position;
    if (cancelAll || !market.ready) {
      const haltReason = (verdict: SideVerdict) =>
        sideVerdictReason(verdict) ?? decision.actions.find((a) => a.kind === 'cancelAll')?.reason ?? decision.state;
      const bidWhy = cancelAll ? haltReason(decision.bid) : notReadyReason(market);
      const askWhy = cancelAll ? haltReason(decision.ask) : bidWhy;
      runtime.status = { ...idleStatus(coin, bidWhy, askWhy), state: decision.state, mid: market.book.mid, position };
      const idleTick = Number.isFinite(market.book.mid) ? rules.tickAt(market.book.mid) : 1;
      pushAll(actions, this.orders.diff(coin, [], this.policyAt(runtime, idleTick), now));
      return;
    }
    if (config.fill_intensity_calibrate && config.quote_model !== 'fixed' && runtime.loops % REFIT_EVERY_LOOPS === 0) {
      const fit = market.fittedIntensity(now);
      if (fit) runtime.setup = quoteSetupFromSettings({ ...config, fill_intensity_a: fit.a, fill_intensity_k: fit.k });
    }
    const mid = market.book.mid;
    const tick = rules.tickAt(mid);
    const plan = planQuotes(runtime.setup, {
      mid,
      sigma: market.volatility.priceSigma(mid),
      position,
      tick,
      timeRemainingSec: config.horizon_sec - (((now - this.options.startTs) / 1000) % config.horizon_sec),
      bestBid: market.book.bestBid,
      bestAsk: market.book.bestAsk,
      toxicityBid: decision.spreadMultiplier,
      toxicityAsk: decision.spreadMultiplier,
      // Read only when used: reading the percentile sorts its window.
      dynamicMinSpreadBps: config.dynamic_min_spread_enabled ? market.spreads.value : undefined,
      sides: runtime.selector.select({ position, flowBias: market.flow.bias, makerShare: market.makerShare.share }),
    });
    const desired = this.applyVerdicts(plan, decision, position, rules);
    if (restingClose) this.replaceSideWithClose(desired, restingClose, rules);
    runtime.status = {
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
    pushAll(actions, this.orders.diff(coin, desired, this.policyAt(runtime, tick), now));
  }

  /**
   * A resting (post-only) take-profit becomes the reducing side's only quote, so the order
   * manager keeps it at the touch, replaces it as the price moves and cancels it with the rest.
   */
  private replaceSideWithClose(desired: DesiredQuote[], close: Extract<RiskAction, { kind: 'reduce' }>, rules: PriceRules): void {
    const px = close.pxChain[0];
    const sz = rules.roundSize(close.sz);
    for (let i = desired.length - 1; i >= 0; i--) if (desired[i]!.side === close.side) desired.splice(i, 1);
    if (px !== undefined && sz > 0 && rules.meetsMinNotional(px, sz)) desired.push({ side: close.side, level: 0, px, sz });
  }

  /** Drops refused sides, caps reduce-only sides at the position, scales sizes, rounds to the lot. */
  private applyVerdicts(plan: QuotePlan, decision: CoinRiskDecision, position: number, rules: PriceRules): DesiredQuote[] {
    let remainingBid = decision.bid.reduceOnly ? (position < 0 ? -position : 0) : Infinity;
    let remainingAsk = decision.ask.reduceOnly ? (position > 0 ? position : 0) : Infinity;
    const desired: DesiredQuote[] = [];
    for (const quote of plan.quotes) {
      const isBid = quote.side === 'bid';
      if (!(isBid ? decision.bid : decision.ask).allowed) continue;
      const sz = rules.roundSize(Math.min(quote.sz * decision.sizeMultiplier, isBid ? remainingBid : remainingAsk));
      if (!(sz > 0) || !rules.meetsMinNotional(quote.px, sz) || !rules.isValidPrice(quote.px)) continue;
      if (isBid) remainingBid -= sz;
      else remainingAsk -= sz;
      desired.push(sz === quote.sz ? quote : { side: quote.side, level: quote.level, px: quote.px, sz });
    }
    return desired;
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
