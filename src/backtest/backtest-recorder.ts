import type { RiskEvent } from '../core/risk/risk-types.js';
import type { AccountEvent, MarketEvent, RejectKind, Side } from '../core/types.js';
import type { MarketMaker, StepResult } from '../strategy/market-maker.js';
import type { DriverObserver } from './event-time-driver.js';
import { RunStatistics } from './run-statistics.js';
import { BoundedSeries } from './series.js';

/** One of our fills, for the report's fill markers. */
export interface RecordedFill {
  readonly ts: number;
  readonly coin: string;
  readonly side: Side;
  readonly px: number;
  readonly sz: number;
  readonly maker: boolean;
}

/** Where the engine's facts go besides the summary (the database, in `--db` runs). */
export interface BacktestSink {
  onMarketEvent(event: MarketEvent, localNow: number): void;
  onAccountEvent(event: AccountEvent, localNow: number): void;
  onStep(result: StepResult, localNow: number): void;
  /** The run is over: write whatever is still being aggregated. */
  finish(): void;
}

const FILLS_KEPT_FOR_CHARTS = 20_000;

/** Counts and samples what a backtest does, in bounded memory. */
export class BacktestRecorder implements DriverObserver {
  events = 0;
  firstExchangeTs = Infinity;
  lastExchangeTs = -Infinity;
  orders = 0;
  cancels = 0;
  fills = 0;
  makerFills = 0;
  takerFills = 0;
  /** Our resting orders the venue canceled because another of our orders reached them. */
  selfTradeCancels = 0;
  /** Strategy loops run (one every loop_ms of local time while there is data). */
  steps = 0;
  readonly rejects: Partial<Record<RejectKind, number>> = {};
  readonly riskEvents: RiskEvent[] = [];
  riskEventsDropped = 0;
  readonly chartFills: RecordedFill[] = [];
  readonly equity: BoundedSeries;
  /** Drawdown and Sharpe from every step, where the equity series keeps a thinning sample. */
  readonly statistics: RunStatistics;
  /** Per coin: mid, position, our best bid and best ask quote (NaN when not quoting). */
  readonly coinSeries = new Map<string, BoundedSeries>();
  private lastStepTs = -Infinity;
  private lastSampleTs = -Infinity;

  constructor(
    private readonly maker: MarketMaker,
    private readonly capital: number,
    coins: readonly string[],
    private readonly sink?: BacktestSink,
  ) {
    this.equity = new BoundedSeries(['equity']);
    this.statistics = new RunStatistics(capital);
    for (const coin of coins) this.coinSeries.set(coin, new BoundedSeries(['mid', 'position', 'bidQuote', 'askQuote']));
  }

  onMarketEvent(event: MarketEvent, localNow: number): void {
    this.events++;
    if (event.exchTs < this.firstExchangeTs) this.firstExchangeTs = event.exchTs;
    if (event.exchTs > this.lastExchangeTs) this.lastExchangeTs = event.exchTs;
    this.sink?.onMarketEvent(event, localNow);
  }

  onAccountEvent(event: AccountEvent, localNow: number): void {
    if (event.type === 'fill') {
      this.fills++;
      if (event.maker) this.makerFills++;
      else this.takerFills++;
      if (this.chartFills.length < FILLS_KEPT_FOR_CHARTS) {
        this.chartFills.push({ ts: event.ts, coin: event.coin, side: event.side, px: event.px, sz: event.sz, maker: event.maker });
      }
    } else if (event.type === 'reject') {
      this.rejects[event.kind] = (this.rejects[event.kind] ?? 0) + 1;
    } else if (event.type === 'canceled' && event.reason === 'selfTrade') {
      this.selfTradeCancels++;
    }
    this.sink?.onAccountEvent(event, localNow);
  }

  onStep(result: StepResult, localNow: number): void {
    this.steps++;
    this.lastStepTs = localNow;
    for (const action of result.actions) {
      if (action.kind === 'cancel') this.cancels++;
      else this.orders++;
    }
    for (const event of result.events) {
      if (this.riskEvents.length < 1000) this.riskEvents.push(event);
      else this.riskEventsDropped++;
    }
    this.sink?.onStep(result, localNow);
    this.statistics.observe(localNow, this.capital + this.maker.ledger.totals().netPnl);
    if (this.equity.due(localNow)) this.sample(localNow);
  }

  /** Ends the series on the state of the last step, so charts and the summary agree. */
  finish(): void {
    if (this.lastStepTs > this.lastSampleTs) this.sample(this.lastStepTs);
    this.sink?.finish();
  }

  private sample(now: number): void {
    this.lastSampleTs = now;
    this.equity.add(now, [this.capital + this.maker.ledger.totals().netPnl]);
    for (const status of this.maker.status()) {
      let bid = NaN;
      let ask = NaN;
      for (const quote of status.quotes) {
        if (quote.level !== 0) continue;
        if (quote.side === 'bid') bid = quote.px;
        else ask = quote.px;
      }
      this.coinSeries.get(status.coin)?.add(now, [status.mid, this.maker.ledger.coin(status.coin).position, bid, ask]);
    }
  }
}
