/**
 * The simulated venue: matching engines per coin (exchange side) joined to the strategy (local
 * side) by latencies. An order batch reaches the engines `entryLatency` after it is submitted
 * and is handled there at that exchange time (so a post-only order is checked against the book
 * of that moment, and a cancel arriving after a fill is refused). Account events reach the
 * strategy `responseLatency` after they happen, in the order they happened.
 *
 * Equal times: market data at an exchange time is applied before orders arriving at that time.
 * Same inputs, same latency seeds: same outputs.
 */
import { FifoQueue } from '../../core/fifo-queue.js';
import type { AccountEvent, MarketEvent, OrderAction, OrderRequest } from '../../core/types.js';
import { exchangeErrors } from './exchange-errors.js';
import { BASE_PERP_FEES, type FeeSchedule } from './fees.js';
import { ZERO_LATENCY, type LatencyModel } from './latency.js';
import { MatchingEngine, type OpenOrder } from './matching-engine.js';
import { queueModel, type QueueModel } from './queue-models.js';

export interface AssetMeta {
  /** Index in meta.universe: the `asset=` in exchange error texts. */
  readonly assetId: number;
  readonly szDecimals: number;
  /** This coin's fee rates. Default: Hyperliquid base tier (maker 0.015%, taker 0.045%). */
  readonly fees?: FeeSchedule;
  /** This coin's data has no trades: treat unexplained shrinks at our price as executions. Default false. */
  readonly inferExecutionsFromBook?: boolean;
}

export interface SimVenueOptions {
  /** Exchange metadata per coin; orders for any other coin are rejected. */
  readonly assets: Readonly<Record<string, AssetMeta>>;
  /** Default: risk-averse (only trades advance a resting order). */
  readonly queueModel?: QueueModel;
  /** Local → exchange delay of each submitted batch. Default: 0. */
  readonly entryLatency?: LatencyModel;
  /** Exchange → local delay of each account event. Default: 0. */
  readonly responseLatency?: LatencyModel;
}

interface PendingBatch {
  readonly arrivesAt: number;
  readonly actions: readonly OrderAction[];
}

interface OutgoingEvent {
  readonly deliverAt: number;
  readonly event: AccountEvent;
}

/** Shared and kept unchanged by its type; not frozen, since V8 loops over frozen arrays slowly. */
const NO_EVENTS: readonly AccountEvent[] = [];

export class SimVenue {
  /** Coins whose executions are inferred from book changes; backtest reports must say so. */
  readonly inferredExecutionCoins: readonly string[];
  private readonly engines = new Map<string, MatchingEngine>();
  private readonly entryLatency: LatencyModel;
  private readonly responseLatency: LatencyModel;
  private readonly batches = new FifoQueue<PendingBatch>();
  private readonly outbox = new FifoQueue<OutgoingEvent>();
  private lastArrival = -Infinity;
  private lastDelivery = -Infinity;
  private exchangeNow = -Infinity;
  private oids = 0;
  private tids = 0;

  constructor(options: SimVenueOptions) {
    const inferred: string[] = [];
    this.entryLatency = options.entryLatency ?? ZERO_LATENCY;
    this.responseLatency = options.responseLatency ?? ZERO_LATENCY;
    const emit = (event: AccountEvent): void => this.schedule(event);
    for (const [coin, meta] of Object.entries(options.assets)) {
      const inferExecutionsFromBook = meta.inferExecutionsFromBook ?? false;
      if (inferExecutionsFromBook) inferred.push(coin);
      this.engines.set(
        coin,
        new MatchingEngine({
          coin,
          assetId: meta.assetId,
          szDecimals: meta.szDecimals,
          fees: meta.fees ?? BASE_PERP_FEES,
          queueModel: options.queueModel ?? queueModel('risk-averse'),
          inferExecutionsFromBook,
          nextOid: () => ++this.oids,
          nextTid: () => ++this.tids,
          emit,
        }),
      );
    }
    this.inferredExecutionCoins = inferred;
  }

  /** Per coin, how many book states and trades reached the exchange. */
  marketDataSeen(): { coin: string; books: number; trades: number }[] {
    return [...this.engines].map(([coin, engine]) => ({ coin, ...engine.marketDataSeen }));
  }

  /** Coins where some of our orders came to rest beyond the displayed depth, with how many. */
  ordersJoinedOutOfView(): { coin: string; orders: number }[] {
    return [...this.engines]
      .map(([coin, engine]) => ({ coin, orders: engine.ordersJoinedOutOfView }))
      .filter((entry) => entry.orders > 0);
  }

  /**
   * Applies one market event at its exchange time, after handling the order batches that
   * reach the exchange strictly before it. Feed events in exchange-time order.
   */
  onMarketEvent(event: MarketEvent): void {
    this.handleArrivals(event.exchTs, false);
    const ts = Math.max(this.exchangeNow, event.exchTs);
    this.exchangeNow = ts;
    const engine = this.engines.get(event.coin);
    if (!engine) return;
    switch (event.type) {
      case 'book':
        engine.onBook(event, ts);
        break;
      case 'bookDelta':
        engine.onBookDelta(event, ts);
        break;
      case 'trade':
        engine.onTrade(event, ts);
        break;
      case 'funding':
        engine.onFunding(event, ts);
        break;
    }
  }

  /** Sends one batch (one signed action) at local time `localNow`. */
  submit(actions: readonly OrderAction[], localNow: number): void {
    if (actions.length === 0) return;
    // One connection: a later batch never overtakes an earlier one.
    const arrivesAt = Math.max(localNow + this.entryLatency.sample(), this.lastArrival);
    this.lastArrival = arrivesAt;
    this.batches.push({ arrivesAt, actions: actions.slice() });
  }

  /** Handles the order batches that reach the exchange at or before `ts`. */
  advanceTo(ts: number): void {
    this.handleArrivals(ts, true);
  }

  /** Earliest time something is due (a batch arriving or an event to deliver); Infinity if none. */
  nextTs(): number {
    return Math.min(this.batches.peek()?.arrivesAt ?? Infinity, this.nextDelivery());
  }

  /** Account events that reach the strategy by local time `localNow`, oldest first. */
  drainAccountEvents(localNow: number): readonly AccountEvent[] {
    if (!this.deliveryDue(localNow)) return NO_EVENTS;
    const due: AccountEvent[] = [];
    while (this.deliveryDue(localNow)) due.push(this.outbox.shift()!.event);
    return due;
  }

  /** Signed position in coins (long > 0); 0 for an unknown coin. */
  position(coin: string): number {
    return this.engines.get(coin)?.position ?? 0;
  }

  /** Orders resting on the simulated exchange now (exchange side, not yet told to the strategy). */
  openOrders(coin: string): OpenOrder[] {
    return this.engines.get(coin)?.openOrders() ?? [];
  }

  private handleArrivals(limit: number, inclusive: boolean): void {
    for (;;) {
      const batch = this.batches.peek();
      if (!batch || batch.arrivesAt > limit || (!inclusive && batch.arrivesAt === limit)) break;
      this.batches.shift();
      const ts = Math.max(this.exchangeNow, batch.arrivesAt);
      this.exchangeNow = ts;
      for (const action of batch.actions) this.execute(action, ts);
    }
  }

  private nextDelivery(): number {
    return this.outbox.peek()?.deliverAt ?? Infinity;
  }

  private deliveryDue(localNow: number): boolean {
    return this.outbox.length > 0 && this.nextDelivery() <= localNow;
  }

  private execute(action: OrderAction, ts: number): void {
    if (action.kind === 'cancel') {
      const engine = this.engines.get(action.coin);
      if (engine) engine.cancel(action.cloid, ts);
      else this.refuseUnknownCoin('cancelReject', action.cloid, action.coin, ts);
      return;
    }
    const engine = this.engineFor(action.order, ts);
    if (!engine) return;
    if (action.kind === 'place') engine.place(action.order, ts);
    else engine.modify(action.targetCloid, action.order, ts);
  }

  private engineFor(order: OrderRequest, ts: number): MatchingEngine | undefined {
    const engine = this.engines.get(order.coin);
    if (!engine) this.refuseUnknownCoin('reject', order.cloid, order.coin, ts);
    return engine;
  }

  private refuseUnknownCoin(type: 'reject' | 'cancelReject', cloid: string, coin: string, ts: number): void {
    this.schedule({ type, ts, cloid, kind: 'other', message: exchangeErrors.unknownCoin(coin) });
  }

  private schedule(event: AccountEvent): void {
    // One stream back to the strategy: events arrive in the order they happened.
    const deliverAt = Math.max(event.ts + this.responseLatency.sample(), this.lastDelivery);
    this.lastDelivery = deliverAt;
    this.outbox.push({ deliverAt, event });
  }
}
