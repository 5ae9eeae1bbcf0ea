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
 * Market events on their way to the strategy, first in first out, with their receive times. A
 * ring of doubling size: no allocation per event, and a delivered event is let go at once, so
 * that it dies young instead of being kept (and promoted by the GC) until a compaction.
 */
class PendingEvents {
  private times = new Float64Array(1024);
  private events: (MarketEvent | undefined)[] = new Array<MarketEvent | undefined>(1024).fill(undefined);
  private head = 0;
  private count = 0;

  /** Receive time of the first event; Infinity when there is none. */
  get firstTs(): number {
    return this.count > 0 ? this.times[this.head]! : Infinity;
  }

  push(receiveTs: number, event: MarketEvent): void {
    if (this.count === this.times.length) this.grow();
    const at = (this.head + this.count) % this.times.length;
    this.times[at] = receiveTs;
    this.events[at] = event;
    this.count += 1;
  }

  /** Removes and returns the first event; call only when there is one. */
  shift(): MarketEvent {
    const event = this.events[this.head]!;
    this.events[this.head] = undefined;
    this.head = (this.head + 1) % this.times.length;
    this.count -= 1;
    return event;
  }

  private grow(): void {
    const capacity = this.times.length * 2;
    const times = new Float64Array(capacity);
    const events = new Array<MarketEvent | undefined>(capacity).fill(undefined);
    for (let i = 0; i < this.count; i += 1) {
      const from = (this.head + i) % this.times.length;
      times[i] = this.times[from]!;
      events[i] = this.events[from];
    }
    this.times = times;
    this.events = events;
    this.head = 0;
  }
}

/**
 * Replays market data through the simulated exchange and the strategy on one millisecond
 * timeline, the way hftbacktest separates the exchange side from the local side:
 * - the exchange sees each market event at its exchange time, before any order arriving then;
 * - the strategy sees it at its local receive time (feed latency) and steps every loop_ms;
 * - its orders reach the exchange after the entry latency, replies come back after the response latency.
 * Feed events one at a time with `push` (from any stream), then call `finish`.
 */
export class EventTimeDriver {
  private readonly pending = new PendingEvents();
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
    const receiveTs = strategyReceiveTs(event, this.feed);
    this.pending.push(receiveTs, event);
    if (this.nextLoopTs === Infinity) this.nextLoopTs = receiveTs;
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
      const pendingTs = this.pending.firstTs;
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

  private deliverMarket(local: number): void {
    while (this.pending.firstTs <= local) {
      const event = this.pending.shift();
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
    const idle = this.pending.firstTs === Infinity && this.venue.nextTs() === Infinity && result.actions.length === 0;
    if (idle && limit !== Infinity && limit - this.nextLoopTs > IDLE_SKIP_MS) this.nextLoopTs = limit;
  }
}
