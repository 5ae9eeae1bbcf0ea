import { InPlaceMap } from '../core/in-place-map.js';
import type { AccountEvent, DesiredQuote, OrderAction, OrderRequest, RejectKind, Side, Tif } from '../core/types.js';
import { CloidSequence } from './cloid.js';

/**
 * Turns the desired ladder into the fewest place / modify / cancel actions and follows each
 * order's life from the venue's answers. One tracked order per (coin, side, level) slot, plus
 * strays that no slot owns. A slot with an action in flight gets nothing new until the venue
 * answers, so an order is never doubled.
 */

/**
 * placing: sent, not acknowledged. live: resting with an oid. modifying: cancel-and-replace sent
 * (the old cloid awaits its cancel, the replacement awaits its ack). cancelling: cancel sent.
 */
export type OrderState = 'placing' | 'live' | 'modifying' | 'cancelling';

/** When a resting order is good enough to keep, per coin (the caller may change it any loop). */
export interface ReplacePolicy {
  /** Price step at the quoted price (on Hyperliquid it depends on the price). */
  readonly tick: number;
  /** Keep the order while its price is within this many ticks of the desired one. */
  readonly moveThresholdTicks: number;
  /** Also keep it while within this many bps of the desired price; 0 (default) = ticks only. */
  readonly priceToleranceBps?: number;
  /** Keep it while its remaining size is within this fraction of the desired size; default 0.2. */
  readonly sizeTolerance?: number;
  /** At most one replacement per slot in this many ms, counted from its last place or modify. */
  readonly minReplaceMs: number;
}

/** One open order as the venue lists it (reconciliation input for housekeeping). */
export interface VenueOpenOrder {
  readonly coin: string;
  /** Orders without a cloid cannot be cancelled through an OrderAction and are skipped. */
  readonly cloid: string | undefined;
  readonly oid: number;
  readonly side: Side;
  readonly px: number;
  /** Remaining size. */
  readonly sz: number;
}

export interface OrderManagerOptions {
  readonly botId: string;
  /** Distinguishes this run's cloids from an earlier run's; see CloidSequence. */
  readonly session?: number;
  /** Adopt and cancel orders the venue lists but no slot owns on every Nth diff of a coin. */
  readonly housekeepEveryN: number;
  /** Time in force of quotes; post-only by default. */
  readonly tif?: Tif;
}

export interface OrderView {
  readonly cloid: string;
  readonly oid: number | undefined;
  readonly side: Side;
  /** Ladder level of the slot, or null for a stray. */
  readonly level: number | null;
  readonly px: number;
  readonly sz: number;
  readonly remaining: number;
  readonly state: OrderState;
  /** While modifying: the cloid of the order that replaces this one. */
  readonly replacementCloid: string | undefined;
  /** When the manager last changed or heard about this order, ms. */
  readonly updatedAt: number;
}

export interface CoinOrderCounts {
  readonly placing: number;
  readonly live: number;
  readonly modifying: number;
  readonly cancelling: number;
  readonly strays: number;
}

export interface OrderManagerSnapshot {
  readonly coins: Readonly<Record<string, CoinOrderCounts>>;
  readonly cloidsIssued: number;
}

const DEFAULT_SIZE_TOLERANCE = 0.2;
/** Slack on price and size comparisons so float noise (100.03 - 100.01) does not cause requotes. */
const RELATIVE_SLACK = 1e-9;

interface Replacement {
  readonly cloid: string;
  readonly px: number;
  readonly sz: number;
}

interface TrackedOrder {
  readonly coin: string;
  readonly side: Side;
  readonly level: number | null;
  cloid: string;
  oid: number | undefined;
  px: number;
  sz: number;
  remaining: number;
  state: OrderState;
  replacement: Replacement | undefined;
  /** The cancel left before the venue acknowledged the order, so "unknown order" proves nothing. */
  cancelSentBeforeAck: boolean;
  /** When the current order, or its replacement, was sent: the min_replace_ms clock. */
  changedAt: number;
  updatedAt: number;
  /** The diff loop that last asked for this slot. */
  wantedInLoop: number;
}

interface CoinOrders {
  /**
   * The slot orders by slot key (see slotKey), so by level, bid before ask. An array rather than
   * a Map: slots are emptied and refilled by the hundred thousand in a day, and a Map with that
   * churn keeps rehashing into new tables (see InPlaceMap for what that costs).
   */
  readonly slots: (TrackedOrder | undefined)[];
  readonly strays: Set<TrackedOrder>;
  loops: number;
  /**
   * The ladder and policy of the last diff that found nothing to do and held nothing back for
   * min_replace_ms. Until an order changes, the same ladder under the same policy again needs
   * nothing, so that diff is skipped; any answer from the venue clears it.
   */
  settledDesired: readonly DesiredQuote[] | undefined;
  settledPolicy: ReplacePolicy | undefined;
}

/** Shared and kept unchanged by its type; not frozen, since V8 loops over frozen arrays slowly. */
const NO_ACTIONS: readonly OrderAction[] = [];

export class OrderManager {
  private readonly cloids: CloidSequence;
  private readonly housekeepEveryN: number;
  private readonly tif: Tif;
  private readonly byCoin = new Map<string, CoinOrders>();
  private readonly byCloid = new InPlaceMap<TrackedOrder>();

  constructor(options: OrderManagerOptions) {
    if (!Number.isInteger(options.housekeepEveryN) || options.housekeepEveryN < 1) {
      throw new RangeError(`housekeepEveryN must be a positive integer, got ${options.housekeepEveryN}`);
    }
    this.cloids = new CloidSequence(options.botId, options.session);
    this.housekeepEveryN = options.housekeepEveryN;
    this.tif = options.tif ?? 'Alo';
  }

  /**
   * One loop for one coin: the actions that bring the live orders to `desired`. Quotes with a
   * non-positive price or size, or a level that is not a non-negative integer, count as not
   * desired. `venueOpenOrders` is read only on housekeeping loops (see housekeepingDue).
   */
  diff(
    coin: string,
    desired: readonly DesiredQuote[],
    policy: ReplacePolicy,
    now: number,
    venueOpenOrders?: readonly VenueOpenOrder[],
  ): readonly OrderAction[] {
    const book = this.coinOrders(coin);
    book.loops += 1;
    const loop = book.loops;
    if (venueOpenOrders !== undefined && loop % this.housekeepEveryN === 0) {
      this.adoptStrays(book, coin, venueOpenOrders, now);
      book.settledDesired = undefined;
    }
    if (book.settledDesired === desired && book.settledPolicy === policy) return NO_ACTIONS;
    const actions: OrderAction[] = [];
    let heldBack = false;
    for (const quote of desired) {
      if (!isQuotable(quote)) continue;
      const key = slotKey(quote.side, quote.level);
      const order = book.slots[key];
      if (order === undefined) {
        actions.push(this.place(book, coin, key, quote, loop, now));
        continue;
      }
      order.wantedInLoop = loop;
      if (order.state !== 'live' || keeps(order, quote, policy)) continue;
      if (now - order.changedAt < policy.minReplaceMs) heldBack = true;
      else actions.push(this.modify(order, quote, now));
    }
    for (const order of book.slots) {
      if (order !== undefined && order.wantedInLoop !== loop && order.state === 'live') actions.push(this.cancel(order, now));
    }
    for (const order of book.strays) {
      if (order.state === 'live') actions.push(this.cancel(order, now));
    }
    const settled = actions.length === 0 && !heldBack;
    book.settledDesired = settled ? desired : undefined;
    book.settledPolicy = settled ? policy : undefined;
    return actions;
  }

  /** True when the next diff of `coin` is a housekeeping loop, so the caller can fetch open orders. */
  housekeepingDue(coin: string): boolean {
    return ((this.byCoin.get(coin)?.loops ?? 0) + 1) % this.housekeepEveryN === 0;
  }

  /** Follows the venue's answers. Events for cloids the manager does not track are ignored. */
  apply(event: AccountEvent, now: number): void {
    for (const book of this.byCoin.values()) book.settledDesired = undefined;
    switch (event.type) {
      case 'ack':
        this.onAck(event.cloid, event.oid, now);
        return;
      case 'reject':
        this.onReject(event.cloid, event.kind, now);
        return;
      case 'fill':
        this.onFill(event.cloid, event.oid, event.remaining, now);
        return;
      case 'canceled':
        this.onCanceled(event.cloid, now);
        return;
      case 'cancelReject':
        this.onCancelReject(event.cloid, event.kind, now);
        return;
      case 'funding':
        return;
    }
  }

  /**
   * Cancels every live or placing order (of one coin, or all), for the risk gate. A cancel may
   * overtake its own place, so a placing order's "unknown order" answer is not taken as proof it
   * is gone. Orders already modifying or cancelling are left to finish; call again once they have.
   */
  cancelAll(now: number, coin?: string): OrderAction[] {
    const actions: OrderAction[] = [];
    for (const [bookCoin, book] of this.byCoin) {
      if (coin !== undefined && bookCoin !== coin) continue;
      book.settledDesired = undefined;
      for (const order of book.slots) if (order !== undefined) this.cancelIfOpen(order, now, actions);
      for (const order of book.strays) this.cancelIfOpen(order, now, actions);
    }
    return actions;
  }

  openOrders(coin: string): OrderView[] {
    const book = this.byCoin.get(coin);
    if (book === undefined) return [];
    const views: OrderView[] = [];
    for (const order of book.slots) if (order !== undefined) views.push(viewOf(order));
    for (const order of book.strays) views.push(viewOf(order));
    return views;
  }

  /** Orders with an action in flight (placing, modifying or cancelling), for one coin or all. */
  inFlightCount(coin?: string): number {
    let count = 0;
    for (const [bookCoin, book] of this.byCoin) {
      if (coin !== undefined && bookCoin !== coin) continue;
      for (const order of book.slots) if (order !== undefined && order.state !== 'live') count += 1;
      for (const order of book.strays) if (order.state !== 'live') count += 1;
    }
    return count;
  }

  snapshot(): OrderManagerSnapshot {
    const coins: Record<string, CoinOrderCounts> = {};
    for (const [coin, book] of this.byCoin) {
      const counts = { placing: 0, live: 0, modifying: 0, cancelling: 0, strays: book.strays.size };
      for (const order of book.slots) if (order !== undefined) counts[order.state] += 1;
      for (const order of book.strays) counts[order.state] += 1;
      coins[coin] = counts;
    }
    return { coins, cloidsIssued: this.cloids.count };
  }

  private coinOrders(coin: string): CoinOrders {
    let book = this.byCoin.get(coin);
    if (book === undefined) {
      book = { slots: [], strays: new Set(), loops: 0, settledDesired: undefined, settledPolicy: undefined };
      this.byCoin.set(coin, book);
    }
    return book;
  }

  private place(book: CoinOrders, coin: string, key: number, quote: DesiredQuote, loop: number, now: number): OrderAction {
    const cloid = this.cloids.next();
    const order: TrackedOrder = {
      coin,
      side: quote.side,
      level: quote.level,
      cloid,
      oid: undefined,
      px: quote.px,
      sz: quote.sz,
      remaining: quote.sz,
      state: 'placing',
      replacement: undefined,
      cancelSentBeforeAck: false,
      changedAt: now,
      updatedAt: now,
      wantedInLoop: loop,
    };
    while (book.slots.length < key) book.slots.push(undefined);
    book.slots[key] = order;
    this.byCloid.set(cloid, order);
    return { kind: 'place', order: this.request(order.coin, cloid, quote) };
  }

  private modify(order: TrackedOrder, quote: DesiredQuote, now: number): OrderAction {
    const cloid = this.cloids.next();
    order.replacement = { cloid, px: quote.px, sz: quote.sz };
    order.state = 'modifying';
    order.changedAt = now;
    order.updatedAt = now;
    this.byCloid.set(cloid, order);
    return { kind: 'modify', targetCloid: order.cloid, order: this.request(order.coin, cloid, quote) };
  }

  private cancel(order: TrackedOrder, now: number): OrderAction {
    order.cancelSentBeforeAck = order.state === 'placing';
    order.state = 'cancelling';
    order.updatedAt = now;
    return { kind: 'cancel', coin: order.coin, cloid: order.cloid };
  }

  private cancelIfOpen(order: TrackedOrder, now: number, actions: OrderAction[]): void {
    if (order.state === 'live' || order.state === 'placing') actions.push(this.cancel(order, now));
  }

  private request(coin: string, cloid: string, quote: DesiredQuote): OrderRequest {
    return { cloid, coin, side: quote.side, px: quote.px, sz: quote.sz, tif: this.tif, reduceOnly: false };
  }

  private adoptStrays(book: CoinOrders, coin: string, venueOrders: readonly VenueOpenOrder[], now: number): void {
    for (const venueOrder of venueOrders) {
      if (venueOrder.coin !== coin || venueOrder.cloid === undefined || this.byCloid.has(venueOrder.cloid)) continue;
      const stray: TrackedOrder = {
        coin,
        side: venueOrder.side,
        level: null,
        cloid: venueOrder.cloid,
        oid: venueOrder.oid,
        px: venueOrder.px,
        sz: venueOrder.sz,
        remaining: venueOrder.sz,
        state: 'live',
        replacement: undefined,
        cancelSentBeforeAck: false,
        changedAt: now,
        updatedAt: now,
        wantedInLoop: 0,
      };
      book.strays.add(stray);
      this.byCloid.set(stray.cloid, stray);
    }
  }

  private onAck(cloid: string, oid: number, now: number): void {
    const order = this.byCloid.get(cloid);
    if (order === undefined) return;
    order.updatedAt = now;
    if (order.replacement?.cloid === cloid) {
      this.promoteReplacement(order, oid);
      order.state = 'live';
      return;
    }
    order.oid = oid;
    if (order.state === 'placing') order.state = 'live';
  }

  private onReject(cloid: string, kind: RejectKind, now: number): void {
    const order = this.byCloid.get(cloid);
    if (order === undefined) return;
    order.updatedAt = now;
    if (order.replacement?.cloid === cloid) {
      this.byCloid.delete(cloid);
      order.replacement = undefined;
      // "Unknown order" on a modify means the target had already filled or been cancelled.
      if (kind === 'unknownOrder') this.forget(order);
      else order.state = 'live';
      return;
    }
    if (order.oid === undefined) this.forget(order);
  }

  private onFill(cloid: string, oid: number, remaining: number, now: number): void {
    const order = this.byCloid.get(cloid);
    if (order === undefined) return;
    order.updatedAt = now;
    const isReplacement = order.replacement?.cloid === cloid;
    if (isReplacement) {
      // The replacement trades, so the modify went through.
      this.promoteReplacement(order, oid);
      order.state = 'live';
    } else {
      order.oid = oid;
    }
    order.remaining = remaining;
    if (remaining <= order.sz * RELATIVE_SLACK) {
      if (order.state === 'modifying') this.promoteReplacement(order, undefined);
      else this.forget(order);
      return;
    }
    if (order.state === 'placing') order.state = 'live';
  }

  private onCanceled(cloid: string, now: number): void {
    const order = this.byCloid.get(cloid);
    if (order === undefined) return;
    order.updatedAt = now;
    // A modify cancels its target before it places the replacement, so a cancelled
    // replacement leaves nothing behind; a cancelled target leaves the replacement pending.
    if (order.state === 'modifying' && order.replacement?.cloid !== cloid) this.promoteReplacement(order, undefined);
    else this.forget(order);
  }

  private onCancelReject(cloid: string, kind: RejectKind, now: number): void {
    const order = this.byCloid.get(cloid);
    if (order === undefined || order.cloid !== cloid) return;
    order.updatedAt = now;
    if (order.state === 'cancelling') {
      if (kind === 'unknownOrder' && !order.cancelSentBeforeAck) {
        // Already filled or cancelled; a fill still on its way changes nothing here.
        this.forget(order);
      } else {
        order.state = order.oid === undefined ? 'placing' : 'live';
        order.cancelSentBeforeAck = false;
      }
    } else if (order.state === 'modifying') {
      if (kind === 'unknownOrder') this.promoteReplacement(order, undefined);
      else this.splitOffReplacement(order, now);
    }
  }

  /** The replacement becomes the slot's order; the old cloid is done with. */
  private promoteReplacement(order: TrackedOrder, oid: number | undefined): void {
    const replacement = order.replacement;
    if (replacement === undefined) return;
    this.byCloid.delete(order.cloid);
    order.cloid = replacement.cloid;
    order.oid = oid;
    order.px = replacement.px;
    order.sz = replacement.sz;
    order.remaining = replacement.sz;
    order.state = oid === undefined ? 'placing' : 'live';
    order.replacement = undefined;
    order.cancelSentBeforeAck = false;
  }

  /**
   * The venue refused to cancel the modify's target, so the target stays in its slot; the
   * replacement, if it ever rests, is a stray and gets cancelled.
   */
  private splitOffReplacement(order: TrackedOrder, now: number): void {
    const replacement = order.replacement;
    if (replacement === undefined) return;
    const stray: TrackedOrder = {
      coin: order.coin,
      side: order.side,
      level: null,
      cloid: replacement.cloid,
      oid: undefined,
      px: replacement.px,
      sz: replacement.sz,
      remaining: replacement.sz,
      state: 'placing',
      replacement: undefined,
      cancelSentBeforeAck: false,
      changedAt: now,
      updatedAt: now,
      wantedInLoop: 0,
    };
    order.replacement = undefined;
    order.state = 'live';
    this.coinOrders(order.coin).strays.add(stray);
    this.byCloid.set(stray.cloid, stray);
  }

  private forget(order: TrackedOrder): void {
    this.byCloid.delete(order.cloid);
    if (order.replacement !== undefined) this.byCloid.delete(order.replacement.cloid);
    const book = this.byCoin.get(order.coin);
    if (book === undefined) return;
    if (order.level === null) {
      book.strays.delete(order);
    } else {
      const key = slotKey(order.side, order.level);
      if (book.slots[key] === order) book.slots[key] = undefined;
    }
  }
}

function slotKey(side: Side, level: number): number {
  return level * 2 + (side === 'bid' ? 0 : 1);
}

function isQuotable(quote: DesiredQuote): boolean {
  return quote.px > 0 && quote.sz > 0 && Number.isInteger(quote.level) && quote.level >= 0;
}

function keeps(order: TrackedOrder, quote: DesiredQuote, policy: ReplacePolicy): boolean {
  const priceGap = Math.abs(order.px - quote.px);
  const tickBand = policy.moveThresholdTicks * policy.tick + policy.tick * RELATIVE_SLACK;
  const bpsBand = (quote.px * (policy.priceToleranceBps ?? 0)) / 10_000;
  const sizeBand = quote.sz * ((policy.sizeTolerance ?? DEFAULT_SIZE_TOLERANCE) + RELATIVE_SLACK);
  return (priceGap <= tickBand || priceGap <= bpsBand) && Math.abs(order.remaining - quote.sz) <= sizeBand;
}

function viewOf(order: TrackedOrder): OrderView {
  return {
    cloid: order.cloid,
    oid: order.oid,
    side: order.side,
    level: order.level,
    px: order.px,
    sz: order.sz,
    remaining: order.remaining,
    state: order.state,
    replacementCloid: order.replacement?.cloid,
    updatedAt: order.updatedAt,
  };
}
