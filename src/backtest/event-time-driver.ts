import { FifoQueue } from '../core/fifo-queue.js';
import type { AccountEvent, MarketEvent } from '../core/types.js';
import type { StepResult } from '../strategy/market-maker.js';
import { strategyReceiveTs, type FeedLatency } from '../venues/sim/latency.js';
import type { SimVenue } from '../venues/sim/sim-venue.js';

/** What the driver runs: the strategy's side of one backtest. */
export interface DrivenStrategy {
  onMarketEvent(event: MarketEvent): void;
  onAccountEvent(event: AccountEvent, now: number): void;
  step(now: number): StepResult;
}

/** Observes everything that happens, in local time. */
export interface DriverObserver {
  onMarketEvent(event: MarketEvent, localNow: number): void;
  onAccountEvent(event: AccountEvent, localNow: number): void;
  onStep(result: StepResult, localNow: number): void;
}

/** A quiet stretch longer than this (no data, nothing in flight) is skipped instead of looped through. */
const IDLE_SKIP_MS = 60_000;

/**
 * Replays market data through the simulated exchange and the strategy on one millisecond
 * timeline, the way hftbacktest separates the exchange side from the local side:
 * - the exchange sees each market event at its exchange time, before any order arriving then;
 * - the strategy sees it at its local receive time (feed latency) and steps every loop_ms;
 * - its orders reach the exchange after the entry latency, replies come back after the response latency.
 * Feed events one at a time with `push` (from any stream), then call `finish`.
 */
export class EventTimeDriver {
  /** Market events on their way to the strategy, in receive-time order. */
  private readonly pending = new FifoQueue<MarketEvent>();
  private nextLoopTs = Infinity;
  private lastExchangeTs = -Infinity;

  constructor(
    private readonly venue: SimVenue,
    private readonly strategy: DrivenStrategy,
    private readonly feed: FeedLatency,
    private readonly loopMs: number,
    private readonly observer: DriverObserver,
  ) {}

  push(event: MarketEvent): void {
    this.runLocalBefore(event.exchTs);
    this.venue.onMarketEvent(event);
    this.pending.push(event);
    if (this.nextLoopTs === Infinity) this.nextLoopTs = strategyReceiveTs(event, this.feed);
    this.lastExchangeTs = Math.max(this.lastExchangeTs, event.exchTs);
  }

  /** Delivers what is still in flight up to the last event's time, then stops the loop. */
  finish(): void {
    this.runLocalBefore(this.lastExchangeTs + 1);
    this.nextLoopTs = Infinity;
    this.runLocalBefore(Infinity);
  }

  private runLocalBefore(limit: number): void {
    for (;;) {
      const pendingTs = this.firstPendingTs();
      const venueTs = this.venue.nextTs();
      const local = Math.min(pendingTs, venueTs, this.nextLoopTs);
      if (!(local < limit) || local === Infinity) return;
      // With nothing due at the venue by `local`, neither arrivals nor replies can happen now.
      const venueDue = venueTs <= local;
      if (venueDue) this.venue.advanceTo(local);
      this.deliverMarket(local);
      if (venueDue) this.deliverAccount(local);
      if (local >= this.nextLoopTs) this.loop(local, limit);
    }
  }

  /** Receive time of the first event on its way; Infinity when there is none. */
  private firstPendingTs(): number {
    const first = this.pending.peek();
    return first === undefined ? Infinity : strategyReceiveTs(first, this.feed);
  }

  private deliverMarket(local: number): void {
    while (this.firstPendingTs() <= local) {
      const event = this.pending.shift()!;
      this.strategy.onMarketEvent(event);
      this.observer.onMarketEvent(event, local);
    }
  }

  private deliverAccount(local: number): void {
    for (const event of this.venue.drainAccountEvents(local)) {
      this.strategy.onAccountEvent(event, local);
      this.observer.onAccountEvent(event, local);
    }
  }

  private loop(local: number, limit: number): void {
    const result = this.strategy.step(local);
    if (result.actions.length > 0) this.venue.submit(result.actions, local);
    this.observer.onStep(result, local);
    this.nextLoopTs = local + this.loopMs;
    const idle = this.firstPendingTs() === Infinity && this.venue.nextTs() === Infinity && result.actions.length === 0;
    if (idle && limit !== Infinity && limit - this.nextLoopTs > IDLE_SKIP_MS) this.nextLoopTs = limit;
  }
}
