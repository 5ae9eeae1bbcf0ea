import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { AccountEvent, DesiredQuote, OrderAction, OrderRequest, Side } from '../../src/core/types.js';
import { OrderManager, type ReplacePolicy, type VenueOpenOrder } from '../../src/strategy/order-manager.js';

/** ETH-like: tick 0.1 at 3000, keep within 1 tick, at most one replace per 300 ms. */
const policy: ReplacePolicy = { tick: 0.1, moveThresholdTicks: 1, minReplaceMs: 300 };

function ladder(bestBid: number, bestAsk: number, sz = 1, levels = 2): DesiredQuote[] {
  const quotes: DesiredQuote[] = [];
  for (let level = 0; level < levels; level += 1) {
    quotes.push({ side: 'bid', level, px: bestBid - level, sz });
    quotes.push({ side: 'ask', level, px: bestAsk + level, sz });
  }
  return quotes;
}

function bidsOnly(quotes: DesiredQuote[]): DesiredQuote[] {
  return quotes.filter((quote) => quote.side === 'bid');
}

function requests(actions: readonly OrderAction[]): OrderRequest[] {
  return actions.flatMap((action) => (action.kind === 'cancel' ? [] : [action.order]));
}

function newManager(housekeepEveryN = 300): OrderManager {
  return new OrderManager({ botId: 'eth-maker', housekeepEveryN });
}

let nextOid = 1000;
function ackAll(manager: OrderManager, actions: readonly OrderAction[], now: number): void {
  for (const order of requests(actions)) manager.apply({ type: 'ack', ts: now, cloid: order.cloid, oid: nextOid++ }, now);
}

function fill(order: OrderRequest, sz: number, remaining: number, now: number): AccountEvent {
  return {
    type: 'fill',
    ts: now,
    cloid: order.cloid,
    oid: 1,
    coin: order.coin,
    side: order.side,
    px: order.px,
    sz,
    fee: 0.01,
    maker: true,
    remaining,
    tid: now,
  };
}

/** A manager quoting the default two-level ladder, every order acknowledged at t=0. */
function liveLadder(): { manager: OrderManager; placed: OrderRequest[] } {
  const manager = newManager();
  const actions = manager.diff('ETH', ladder(2999.9, 3000.1), policy, 0);
  ackAll(manager, actions, 0);
  return { manager, placed: requests(actions) };
}

function stateOf(manager: OrderManager, side: Side, level: number): string | undefined {
  return manager.openOrders('ETH').find((order) => order.side === side && order.level === level)?.state;
}

describe('OrderManager.diff', () => {
  it('places the whole ladder on the first loop, post-only, each order with its own cloid', () => {
    const manager = newManager();
    const actions = manager.diff('ETH', ladder(2999.9, 3000.1), policy, 0);

    expect(actions.map((action) => action.kind)).toEqual(['place', 'place', 'place', 'place']);
    const orders = requests(actions);
    expect(orders.map((order) => [order.side, order.px, order.sz])).toEqual([
      ['bid', 2999.9, 1],
      ['ask', 3000.1, 1],
      ['bid', 2998.9, 1],
      ['ask', 3001.1, 1],
    ]);
    expect(orders.every((order) => order.tif === 'Alo' && !order.reduceOnly && order.coin === 'ETH')).toBe(true);
    expect(orders.every((order) => /^0x[0-9a-f]{32}$/.test(order.cloid))).toBe(true);
    expect(new Set(orders.map((order) => order.cloid)).size).toBe(4);
    expect(manager.openOrders('ETH').map((order) => order.state)).toEqual(['placing', 'placing', 'placing', 'placing']);
    expect(manager.inFlightCount()).toBe(4);
  });

  it('uses the configured time in force', () => {
    const manager = new OrderManager({ botId: 'gtc-bot', housekeepEveryN: 10, tif: 'Gtc' });
    const orders = requests(manager.diff('ETH', ladder(2999.9, 3000.1, 1, 1), policy, 0));
    expect(orders.map((order) => order.tif)).toEqual(['Gtc', 'Gtc']);
  });

  it('moves placing orders to live on their acks', () => {
    const { manager } = liveLadder();
    expect(manager.openOrders('ETH').map((order) => order.state)).toEqual(['live', 'live', 'live', 'live']);
    expect(manager.openOrders('ETH').every((order) => order.oid !== undefined)).toBe(true);
    expect(manager.inFlightCount()).toBe(0);
  });

  it('keeps orders whose price moved by no more than move_threshold_ticks', () => {
    const { manager } = liveLadder();
    expect(manager.diff('ETH', ladder(3000.0, 3000.2), policy, 1000)).toEqual([]);
    expect(manager.diff('ETH', ladder(2999.8, 3000.0), policy, 2000)).toEqual([]);
  });

  it('keeps orders within the bps tolerance when one is given', () => {
    const { manager } = liveLadder();
    const wide: ReplacePolicy = { ...policy, priceToleranceBps: 2 };
    // 0.5 is 5 ticks but under 2 bps of 3000 (0.6).
    expect(manager.diff('ETH', ladder(3000.4, 3000.6), wide, 1000)).toEqual([]);
    expect(manager.diff('ETH', ladder(3000.6, 3000.8), wide, 1000)).toHaveLength(4);
  });

  it('modifies an order that is more than the threshold away, as cancel-and-replace with a new cloid', () => {
    const { manager, placed } = liveLadder();
    const moved = ladder(2999.9, 3000.1);
    moved[0] = { side: 'bid', level: 0, px: 2999.7, sz: 1 };

    const actions = manager.diff('ETH', moved, policy, 1000);

    expect(actions).toHaveLength(1);
    const [modify] = actions;
    if (modify?.kind !== 'modify') throw new Error('expected a modify');
    expect(modify.targetCloid).toBe(placed[0]!.cloid);
    expect(modify.order.px).toBe(2999.7);
    expect(modify.order.cloid).not.toBe(placed[0]!.cloid);
    expect(stateOf(manager, 'bid', 0)).toBe('modifying');

    manager.apply({ type: 'canceled', ts: 1001, cloid: placed[0]!.cloid, oid: 1, reason: 'user' }, 1001);
    manager.apply({ type: 'ack', ts: 1001, cloid: modify.order.cloid, oid: 77 }, 1001);
    const bid = manager.openOrders('ETH').find((order) => order.side === 'bid' && order.level === 0);
    expect(bid).toMatchObject({ cloid: modify.order.cloid, oid: 77, px: 2999.7, state: 'live' });
  });

  it('modifies an order whose remaining size left the size tolerance', () => {
    const { manager } = liveLadder();
    expect(manager.diff('ETH', ladder(2999.9, 3000.1, 1.15), policy, 1000)).toEqual([]);
    expect(manager.diff('ETH', ladder(2999.9, 3000.1, 1.5), policy, 1000).map((action) => action.kind)).toEqual([
      'modify',
      'modify',
      'modify',
      'modify',
    ]);
  });

  it('replaces a slot at most once per min_replace_ms', () => {
    const { manager } = liveLadder();
    const far = ladder(2995, 3005);
    expect(manager.diff('ETH', far, policy, 299)).toEqual([]);
    const actions = manager.diff('ETH', far, policy, 300);
    expect(actions.map((action) => action.kind)).toEqual(['modify', 'modify', 'modify', 'modify']);
    ackAll(manager, actions, 310);
    expect(manager.diff('ETH', ladder(2990, 3010), policy, 599)).toEqual([]);
    expect(manager.diff('ETH', ladder(2990, 3010), policy, 600)).toHaveLength(4);
  });

  it('cancels the orders of a side that is no longer wanted', () => {
    const { manager, placed } = liveLadder();
    const actions = manager.diff('ETH', bidsOnly(ladder(2999.9, 3000.1)), policy, 1000);
    expect(actions).toEqual([
      { kind: 'cancel', coin: 'ETH', cloid: placed[1]!.cloid },
      { kind: 'cancel', coin: 'ETH', cloid: placed[3]!.cloid },
    ]);
    expect(stateOf(manager, 'ask', 0)).toBe('cancelling');
    manager.apply({ type: 'canceled', ts: 1001, cloid: placed[1]!.cloid, oid: 1, reason: 'user' }, 1001);
    expect(stateOf(manager, 'ask', 0)).toBeUndefined();
  });

  it('does not double a slot while its action is in flight, however often it is asked', () => {
    const manager = newManager();
    const first = manager.diff('ETH', ladder(2999.9, 3000.1), policy, 0);
    expect(first).toHaveLength(4);
    expect(manager.diff('ETH', ladder(2999.9, 3000.1), policy, 1000)).toEqual([]);
    expect(manager.diff('ETH', ladder(2990, 3010), policy, 2000)).toEqual([]);
    expect(manager.diff('ETH', [], policy, 3000)).toEqual([]);
    expect(manager.openOrders('ETH')).toHaveLength(4);
  });

  it('ignores quotes with no size, so a zero-size level counts as not wanted', () => {
    const { manager, placed } = liveLadder();
    const quotes = ladder(2999.9, 3000.1).map((quote) => (quote.level === 1 ? { ...quote, sz: 0 } : quote));
    const actions = manager.diff('ETH', quotes, policy, 1000);
    expect(actions.map((action) => (action.kind === 'cancel' ? action.cloid : ''))).toEqual([placed[2]!.cloid, placed[3]!.cloid]);
  });
});

describe('OrderManager.apply', () => {
  it('tracks a partial fill, then frees the slot on the full fill', () => {
    const { manager, placed } = liveLadder();
    const bid = placed[0]!;
    manager.apply(fill(bid, 0.4, 0.6, 500), 500);
    expect(manager.openOrders('ETH')[0]).toMatchObject({ cloid: bid.cloid, remaining: 0.6, state: 'live' });

    manager.apply(fill(bid, 0.6, 0, 600), 600);
    expect(stateOf(manager, 'bid', 0)).toBeUndefined();

    const actions = manager.diff('ETH', ladder(2999.9, 3000.1), policy, 700);
    expect(requests(actions).map((order) => [order.side, order.px])).toEqual([['bid', 2999.9]]);
  });

  it('frees the slot when the venue rejects the place, so the next loop places again', () => {
    const manager = newManager();
    const [first] = requests(manager.diff('ETH', ladder(2999.9, 3000.1, 1, 1), policy, 0));
    manager.apply({ type: 'reject', ts: 5, cloid: first!.cloid, kind: 'postOnlyWouldCross', message: 'Post only order would have immediately matched' }, 5);
    expect(stateOf(manager, 'bid', 0)).toBeUndefined();
    expect(stateOf(manager, 'ask', 0)).toBe('placing');

    const retry = requests(manager.diff('ETH', ladder(2999.9, 3000.1, 1, 1), policy, 10));
    expect(retry).toHaveLength(1);
    expect(retry[0]!.side).toBe('bid');
    expect(retry[0]!.cloid).not.toBe(first!.cloid);
  });

  it('keeps the old order when the replacement of a modify is rejected', () => {
    const { manager, placed } = liveLadder();
    const [modify] = manager.diff('ETH', ladder(2995, 3000.1, 1, 1), policy, 1000);
    if (modify?.kind !== 'modify') throw new Error('expected a modify');
    manager.apply({ type: 'reject', ts: 1001, cloid: modify.order.cloid, kind: 'postOnlyWouldCross', message: 'bbo' }, 1001);
    expect(manager.openOrders('ETH')[0]).toMatchObject({ cloid: placed[0]!.cloid, px: 2999.9, state: 'live' });
    // The refused replace still counts against min_replace_ms.
    expect(manager.diff('ETH', ladder(2995, 3000.1, 1, 1), policy, 1200).filter((action) => action.kind === 'modify')).toEqual([]);
  });

  it('frees the slot when a modify finds its target already filled', () => {
    const { manager } = liveLadder();
    const [modify] = manager.diff('ETH', ladder(2995, 3000.1, 1, 1), policy, 1000);
    if (modify?.kind !== 'modify') throw new Error('expected a modify');
    manager.apply({ type: 'reject', ts: 1001, cloid: modify.order.cloid, kind: 'unknownOrder', message: 'Cannot modify canceled or filled order' }, 1001);
    expect(stateOf(manager, 'bid', 0)).toBeUndefined();
  });

  it('applies a fill that beats a cancel, and the late cancel reject changes nothing', () => {
    const { manager, placed } = liveLadder();
    const ask = placed[1]!;
    manager.diff('ETH', bidsOnly(ladder(2999.9, 3000.1)), policy, 1000);
    expect(stateOf(manager, 'ask', 0)).toBe('cancelling');

    manager.apply(fill(ask, 1, 0, 1001), 1001);
    expect(stateOf(manager, 'ask', 0)).toBeUndefined();
    manager.apply({ type: 'cancelReject', ts: 1002, cloid: ask.cloid, kind: 'unknownOrder', message: 'Order was never placed, already canceled, or filled.' }, 1002);
    expect(manager.openOrders('ETH').filter((order) => order.side === 'ask').map((order) => order.state)).toEqual(['cancelling']);
  });

  it('resolves a cancel reject that arrives before the fill: the order is gone either way', () => {
    const { manager, placed } = liveLadder();
    const ask = placed[1]!;
    manager.diff('ETH', bidsOnly(ladder(2999.9, 3000.1)), policy, 1000);
    manager.apply({ type: 'cancelReject', ts: 1001, cloid: ask.cloid, kind: 'unknownOrder', message: 'Order was never placed, already canceled, or filled.' }, 1001);
    expect(stateOf(manager, 'ask', 0)).toBeUndefined();
    manager.apply(fill(ask, 1, 0, 1002), 1002);
    expect(manager.diff('ETH', ladder(2999.9, 3000.1), policy, 1100).map((action) => action.kind)).toEqual(['place']);
  });

  it('applies a partial fill to an order being cancelled, then its cancel', () => {
    const { manager, placed } = liveLadder();
    const ask = placed[1]!;
    manager.diff('ETH', bidsOnly(ladder(2999.9, 3000.1)), policy, 1000);
    manager.apply(fill(ask, 0.3, 0.7, 1001), 1001);
    expect(manager.openOrders('ETH').find((order) => order.cloid === ask.cloid)).toMatchObject({ remaining: 0.7, state: 'cancelling' });
    manager.apply({ type: 'canceled', ts: 1002, cloid: ask.cloid, oid: 1, reason: 'user' }, 1002);
    expect(stateOf(manager, 'ask', 0)).toBeUndefined();
  });

  it('retries a cancel the venue refused for a reason other than an unknown order', () => {
    const { manager, placed } = liveLadder();
    manager.diff('ETH', bidsOnly(ladder(2999.9, 3000.1)), policy, 1000);
    manager.apply({ type: 'cancelReject', ts: 1001, cloid: placed[1]!.cloid, kind: 'rateLimited', message: 'Too many cumulative requests' }, 1001);
    expect(stateOf(manager, 'ask', 0)).toBe('live');
    const retry = manager.diff('ETH', bidsOnly(ladder(2999.9, 3000.1)), policy, 1100);
    expect(retry).toContainEqual({ kind: 'cancel', coin: 'ETH', cloid: placed[1]!.cloid });
  });

  it('keeps the slot in a modify until the target is gone and the replacement answered', () => {
    const { manager, placed } = liveLadder();
    const [modify] = manager.diff('ETH', ladder(2995, 3000.1, 1, 1), policy, 1000);
    if (modify?.kind !== 'modify') throw new Error('expected a modify');
    manager.apply(fill(placed[0]!, 1, 0, 1001), 1001);
    expect(manager.openOrders('ETH')[0]).toMatchObject({ cloid: modify.order.cloid, state: 'placing' });
    expect(manager.diff('ETH', ladder(2990, 3000.1, 1, 1), policy, 2000)).toEqual([]);
    manager.apply({ type: 'ack', ts: 2001, cloid: modify.order.cloid, oid: 5 }, 2001);
    expect(stateOf(manager, 'bid', 0)).toBe('live');
  });

  it('turns the replacement into a stray when the venue refuses to cancel the modify target', () => {
    const { manager, placed } = liveLadder();
    const [modify] = manager.diff('ETH', ladder(2995, 3000.1, 1, 1), policy, 1000);
    if (modify?.kind !== 'modify') throw new Error('expected a modify');
    manager.apply({ type: 'cancelReject', ts: 1001, cloid: placed[0]!.cloid, kind: 'other', message: 'busy' }, 1001);
    manager.apply({ type: 'ack', ts: 1002, cloid: modify.order.cloid, oid: 9 }, 1002);
    expect(manager.openOrders('ETH').slice(0, 1)).toMatchObject([{ cloid: placed[0]!.cloid, level: 0, state: 'live' }]);
    const actions = manager.diff('ETH', ladder(2999.9, 3000.1, 1, 1), policy, 1100);
    expect(actions).toContainEqual({ kind: 'cancel', coin: 'ETH', cloid: modify.order.cloid });
  });
});

describe('OrderManager housekeeping', () => {
  const foreign: VenueOpenOrder = { coin: 'ETH', cloid: `0x${'ab'.repeat(16)}`, oid: 42, side: 'ask', px: 3050, sz: 2 };

  it('cancels orders the venue lists but no slot owns, on every Nth loop only', () => {
    const manager = newManager(3);
    const quotes = ladder(2999.9, 3000.1, 1, 1);
    const first = manager.diff('ETH', quotes, policy, 0, [foreign]);
    ackAll(manager, first, 0);
    const venue: VenueOpenOrder[] = [
      ...requests(first).map((order, i) => ({ coin: 'ETH', cloid: order.cloid, oid: i, side: order.side, px: order.px, sz: order.sz })),
      foreign,
      { ...foreign, coin: 'BTC', cloid: `0x${'cd'.repeat(16)}` },
      { ...foreign, cloid: undefined, oid: 43 },
    ];

    expect(manager.housekeepingDue('ETH')).toBe(false);
    expect(manager.diff('ETH', quotes, policy, 100, venue)).toEqual([]);
    expect(manager.housekeepingDue('ETH')).toBe(true);
    expect(manager.diff('ETH', quotes, policy, 200, venue)).toEqual([{ kind: 'cancel', coin: 'ETH', cloid: foreign.cloid }]);
    expect(manager.openOrders('ETH').find((order) => order.cloid === foreign.cloid)).toMatchObject({ level: null, state: 'cancelling' });
    expect(manager.snapshot().coins.ETH).toEqual({ placing: 0, live: 2, modifying: 0, cancelling: 1, strays: 1 });

    manager.apply({ type: 'canceled', ts: 201, cloid: foreign.cloid!, oid: 42, reason: 'user' }, 201);
    expect(manager.openOrders('ETH')).toHaveLength(2);
  });
});

describe('OrderManager.cancelAll', () => {
  it('cancels every live and placing order of one coin, or of all coins', () => {
    const manager = newManager();
    ackAll(manager, manager.diff('ETH', ladder(2999.9, 3000.1, 1, 1), policy, 0), 0);
    manager.diff('ETH', ladder(2999.9, 3000.1, 1, 2), policy, 10);
    manager.diff('BTC', [{ side: 'bid', level: 0, px: 60_000, sz: 0.01 }], { ...policy, tick: 1 }, 10);

    const eth = manager.cancelAll(20, 'ETH');
    expect(eth).toHaveLength(4);
    expect(eth.every((action) => action.kind === 'cancel' && action.coin === 'ETH')).toBe(true);
    expect(manager.cancelAll(30)).toEqual([{ kind: 'cancel', coin: 'BTC', cloid: manager.openOrders('BTC')[0]!.cloid }]);
    expect(manager.inFlightCount('ETH')).toBe(4);
  });

  it('does not take "unknown order" as proof a cancel that overtook its own place worked', () => {
    const manager = newManager();
    const [place] = requests(manager.diff('ETH', ladder(2999.9, 3000.1, 1, 1), policy, 0));
    manager.cancelAll(1);
    manager.apply({ type: 'cancelReject', ts: 2, cloid: place!.cloid, kind: 'unknownOrder', message: 'never placed' }, 2);
    expect(stateOf(manager, 'bid', 0)).toBe('placing');
    manager.apply({ type: 'ack', ts: 3, cloid: place!.cloid, oid: 8 }, 3);
    expect(manager.diff('ETH', [], policy, 4)).toContainEqual({ kind: 'cancel', coin: 'ETH', cloid: place!.cloid });
  });
});

/**
 * A venue that answers in its own time: requests wait in a queue, resting orders can fill at
 * any moment, and answers can reach the manager in any order.
 */
class ScriptedVenue {
  readonly resting = new Map<string, { coin: string; oid: number; side: Side; px: number; remaining: number }>();
  readonly requests: OrderAction[] = [];
  readonly outbox: AccountEvent[] = [];
  private oid = 1;

  /** Handles one waiting request, not necessarily the oldest: a cancel may overtake its place. */
  process(pick: number, rejectNew: boolean, refusedModifyCancelsTarget: boolean, ts: number): void {
    if (this.requests.length === 0) return;
    const [action] = this.requests.splice(pick % this.requests.length, 1);
    if (action === undefined) return;
    if (action.kind === 'cancel') {
      const order = this.resting.get(action.cloid);
      if (order === undefined) {
        this.outbox.push({ type: 'cancelReject', ts, cloid: action.cloid, kind: 'unknownOrder', message: 'never placed, already canceled, or filled' });
      } else {
        this.resting.delete(action.cloid);
        this.outbox.push({ type: 'canceled', ts, cloid: action.cloid, oid: order.oid, reason: 'user' });
      }
      return;
    }
    if (action.kind === 'modify') {
      const target = this.resting.get(action.targetCloid);
      if (target === undefined) {
        this.outbox.push({ type: 'reject', ts, cloid: action.order.cloid, kind: 'unknownOrder', message: 'Cannot modify canceled or filled order' });
        return;
      }
      if (!rejectNew || refusedModifyCancelsTarget) {
        this.resting.delete(action.targetCloid);
        this.outbox.push({ type: 'canceled', ts, cloid: action.targetCloid, oid: target.oid, reason: 'user' });
      }
    }
    const order = action.order;
    if (rejectNew) {
      this.outbox.push({ type: 'reject', ts, cloid: order.cloid, kind: 'postOnlyWouldCross', message: 'Post only order would have immediately matched' });
      return;
    }
    const oid = this.oid++;
    this.resting.set(order.cloid, { coin: order.coin, oid, side: order.side, px: order.px, remaining: order.sz });
    this.outbox.push({ type: 'ack', ts, cloid: order.cloid, oid });
  }

  fillOne(pick: number, full: boolean, ts: number): void {
    const cloids = [...this.resting.keys()];
    const cloid = cloids[pick % Math.max(cloids.length, 1)];
    const order = cloid === undefined ? undefined : this.resting.get(cloid);
    if (cloid === undefined || order === undefined) return;
    const sz = full ? order.remaining : order.remaining / 2;
    order.remaining -= sz;
    if (full) this.resting.delete(cloid);
    this.outbox.push({
      type: 'fill', ts, cloid, oid: order.oid, coin: order.coin, side: order.side, px: order.px, sz, fee: 0, maker: true, remaining: order.remaining, tid: ts,
    });
  }

  takeEvent(pick: number): AccountEvent | undefined {
    if (this.outbox.length === 0) return undefined;
    return this.outbox.splice(pick % this.outbox.length, 1)[0];
  }

  openOrders(): VenueOpenOrder[] {
    return [...this.resting].map(([cloid, order]) => ({ cloid, coin: order.coin, oid: order.oid, side: order.side, px: order.px, sz: order.remaining }));
  }
}

type Step =
  | { readonly t: 'diff'; readonly bids: number; readonly asks: number; readonly shift: number; readonly sz: number }
  | { readonly t: 'process'; readonly pick: number; readonly rejectNew: boolean; readonly cancelsTarget: boolean }
  | { readonly t: 'settle' }
  | { readonly t: 'deliver'; readonly pick: number }
  | { readonly t: 'fill'; readonly pick: number; readonly full: boolean }
  | { readonly t: 'wait'; readonly ms: number }
  | { readonly t: 'cancelAll' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  {
    arbitrary: fc.record({ t: fc.constant('diff' as const), bids: fc.integer({ min: 0, max: 3 }), asks: fc.integer({ min: 0, max: 3 }), shift: fc.integer({ min: -4, max: 4 }), sz: fc.constantFrom(1, 2) }),
    weight: 3,
  },
  { arbitrary: fc.constant({ t: 'settle' as const }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('process' as const), pick: fc.nat(20), rejectNew: fc.nat(3).map((n) => n === 0), cancelsTarget: fc.boolean() }), weight: 4 },
  { arbitrary: fc.record({ t: fc.constant('deliver' as const), pick: fc.nat(20) }), weight: 5 },
  { arbitrary: fc.record({ t: fc.constant('fill' as const), pick: fc.nat(20), full: fc.boolean() }), weight: 2 },
  { arbitrary: fc.record({ t: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 400 }) }), weight: 2 },
  { arbitrary: fc.constant({ t: 'cancelAll' as const }), weight: 1 },
);

describe('OrderManager under any interleaving of ladders and venue answers', () => {
  const unitTick: ReplacePolicy = { tick: 1, moveThresholdTicks: 1, minReplaceMs: 200 };

  function quotesFor(step: Extract<Step, { t: 'diff' }>): DesiredQuote[] {
    const quotes: DesiredQuote[] = [];
    for (let level = 0; level < step.bids; level += 1) quotes.push({ side: 'bid', level, px: 100 + step.shift - 2 * level, sz: step.sz });
    for (let level = 0; level < step.asks; level += 1) quotes.push({ side: 'ask', level, px: 102 + step.shift + 2 * level, sz: step.sz });
    return quotes;
  }

  it('never holds two orders for one slot at the venue, never acts on an in-flight slot, and converges', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 10, maxLength: 150, size: 'medium' }), (steps) => {
        const manager = new OrderManager({ botId: 'prop', housekeepEveryN: 3 });
        const venue = new ScriptedVenue();
        venue.resting.set(`0x${'ee'.repeat(16)}`, { coin: 'ETH', oid: 999_999, side: 'bid', px: 90, remaining: 1 });
        const slotOfCloid = new Map<string, string>();
        const lastChangeOfSlot = new Map<string, number>();
        let now = 0;

        const runDiff = (quotes: DesiredQuote[]): readonly OrderAction[] => {
          const before = manager.openOrders('ETH');
          const busySlots = new Set(before.filter((o) => o.level !== null && o.state !== 'live').map((o) => `${o.side}:${o.level}`));
          const busyCloids = new Set(before.filter((o) => o.state !== 'live').map((o) => o.cloid));
          const actions = manager.diff('ETH', quotes, unitTick, now, venue.openOrders());
          const after = manager.openOrders('ETH');
          for (const action of actions) {
            if (action.kind === 'cancel') {
              expect(busyCloids.has(action.cloid)).toBe(false);
              continue;
            }
            const owner = after.find((o) => o.cloid === action.order.cloid || o.replacementCloid === action.order.cloid);
            expect(owner?.level).not.toBeNull();
            const slot = `${owner!.side}:${owner!.level}`;
            expect(busySlots.has(slot)).toBe(false);
            if (action.kind === 'modify') expect(now - (lastChangeOfSlot.get(slot) ?? -Infinity)).toBeGreaterThanOrEqual(unitTick.minReplaceMs);
            lastChangeOfSlot.set(slot, now);
            slotOfCloid.set(action.order.cloid, slot);
          }
          venue.requests.push(...actions);
          return actions;
        };

        const checkVenue = (): void => {
          const perSlot = new Map<string, number>();
          const count = (cloid: string): void => {
            const slot = slotOfCloid.get(cloid);
            if (slot !== undefined) perSlot.set(slot, (perSlot.get(slot) ?? 0) + 1);
          };
          for (const cloid of venue.resting.keys()) count(cloid);
          for (const request of venue.requests) if (request.kind === 'place') count(request.order.cloid);
          for (const n of perSlot.values()) expect(n).toBeLessThanOrEqual(1);
          const tracked = manager.openOrders('ETH').flatMap((o) => (o.replacementCloid === undefined ? [o.cloid] : [o.cloid, o.replacementCloid]));
          expect(new Set(tracked).size).toBe(tracked.length);
        };

        const settle = (): void => {
          while (venue.requests.length > 0) venue.process(0, false, false, now);
          for (let event = venue.takeEvent(0); event !== undefined; event = venue.takeEvent(0)) manager.apply(event, now);
        };

        let finalQuotes: DesiredQuote[] = [];
        for (const step of steps) {
          switch (step.t) {
            case 'diff':
              finalQuotes = quotesFor(step);
              runDiff(finalQuotes);
              break;
            case 'process':
              venue.process(step.pick, step.rejectNew, step.cancelsTarget, now);
              break;
            case 'settle':
              settle();
              break;
            case 'deliver': {
              const event = venue.takeEvent(step.pick);
              if (event !== undefined) manager.apply(event, now);
              break;
            }
            case 'fill':
              venue.fillOne(step.pick, step.full, now);
              break;
            case 'wait':
              now += step.ms;
              break;
            case 'cancelAll':
              venue.requests.push(...manager.cancelAll(now));
              break;
          }
          checkVenue();
        }

        // Once the venue answers everything, the manager's orders are exactly the venue's.
        let lastActions: readonly OrderAction[] = [];
        for (let round = 0; round < 8; round += 1) {
          now += 1000;
          lastActions = runDiff(finalQuotes);
          settle();
          checkVenue();
        }
        expect(lastActions).toEqual([]);
        expect(manager.inFlightCount()).toBe(0);
        const tracked = manager.openOrders('ETH');
        expect(new Set(tracked.map((o) => o.cloid))).toEqual(new Set(venue.resting.keys()));
        expect(tracked).toHaveLength(finalQuotes.length);
        for (const quote of finalQuotes) {
          const order = tracked.find((o) => o.side === quote.side && o.level === quote.level);
          expect(Math.abs(order!.px - quote.px)).toBeLessThanOrEqual(unitTick.moveThresholdTicks * unitTick.tick);
        }
      }),
      { numRuns: 300 },
    );
  });

  it('skips a repeated ladder only when that changes nothing: the same steps with a fresh copy of the ladder each loop act the same', () => {
    const lockstepStep = fc.oneof({ arbitrary: stepArb, weight: 4 }, { arbitrary: fc.constant({ t: 'repeat' as const }), weight: 2 });
    fc.assert(
      fc.property(fc.array(lockstepStep, { minLength: 10, maxLength: 150, size: 'medium' }), (steps) => {
        const reusing = { manager: new OrderManager({ botId: 'lockstep', housekeepEveryN: 1_000 }), venue: new ScriptedVenue() };
        const copying = { manager: new OrderManager({ botId: 'lockstep', housekeepEveryN: 1_000 }), venue: new ScriptedVenue() };
        const both = [reusing, copying];
        let ladder: readonly DesiredQuote[] = [];
        let now = 0;
        const diffBoth = (): void => {
          const reused = reusing.manager.diff('ETH', ladder, unitTick, now);
          const copied = copying.manager.diff('ETH', ladder.map((quote) => ({ ...quote })), unitTick, now);
          expect(reused).toEqual(copied);
          reusing.venue.requests.push(...reused);
          copying.venue.requests.push(...copied);
        };
        for (const step of steps) {
          switch (step.t) {
            case 'diff':
              ladder = quotesFor(step);
              diffBoth();
              break;
            case 'repeat':
              diffBoth();
              break;
            case 'process':
              for (const side of both) side.venue.process(step.pick, step.rejectNew, step.cancelsTarget, now);
              break;
            case 'settle':
              for (const side of both) {
                while (side.venue.requests.length > 0) side.venue.process(0, false, false, now);
                for (let event = side.venue.takeEvent(0); event !== undefined; event = side.venue.takeEvent(0)) side.manager.apply(event, now);
              }
              break;
            case 'deliver':
              for (const side of both) {
                const event = side.venue.takeEvent(step.pick);
                if (event !== undefined) side.manager.apply(event, now);
              }
              break;
            case 'fill':
              for (const side of both) side.venue.fillOne(step.pick, step.full, now);
              break;
            case 'wait':
              now += step.ms;
              break;
            case 'cancelAll':
              for (const side of both) side.venue.requests.push(...side.manager.cancelAll(now));
              break;
          }
        }
        expect(reusing.manager.openOrders('ETH')).toEqual(copying.manager.openOrders('ETH'));
      }),
      { numRuns: 300 },
    );
  });
});
