import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random.js';
import type { AccountEvent, MarketEvent, OrderAction, OrderRequest, Side, Tif } from '../../../src/core/types.js';
import { latencyModel, strategyReceiveTs, type FeedLatency } from '../../../src/venues/sim/latency.js';
import { queueModel, type QueueModelName } from '../../../src/venues/sim/queue-models.js';
import { SimVenue, type SimVenueOptions } from '../../../src/venues/sim/sim-venue.js';
import { book, funding, order, trade } from './market-events.js';

const ETH = { ETH: { assetId: 1, szDecimals: 2 } };
const MISSING_ORDER = 'Order was never placed, already canceled, or filled. asset=1';

function constantLatencies(entryMs: number, responseMs: number): Partial<SimVenueOptions> {
  const rng = new Rng(1);
  return {
    entryLatency: latencyModel({ kind: 'constant', ms: entryMs }, rng),
    responseLatency: latencyModel({ kind: 'constant', ms: responseMs }, rng),
  };
}

const place = (request: OrderRequest): OrderAction => ({ kind: 'place', order: request });
const cancel = (request: OrderRequest): OrderAction => ({ kind: 'cancel', coin: request.coin, cloid: request.cloid });

describe('SimVenue latency', () => {
  it('an order reaches the exchange after its entry latency; the ack returns after the response latency', () => {
    const venue = new SimVenue({ assets: ETH, ...constantLatencies(10, 5) });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    venue.submit([place(order('bid', 100, 1, 'Alo'))], 0);
    expect(venue.nextTs()).toBe(10);
    expect(venue.openOrders('ETH')).toEqual([]);

    venue.advanceTo(10);
    expect(venue.openOrders('ETH')).toHaveLength(1);
    expect(venue.nextTs()).toBe(15);
    expect(venue.drainAccountEvents(14)).toEqual([]);
    expect(venue.drainAccountEvents(15)).toMatchObject([{ type: 'ack', ts: 10 }]);
    expect(venue.nextTs()).toBe(Infinity);
  });

  it('a post-only order is checked against the book at the time it arrives', () => {
    const venue = new SimVenue({ assets: ETH, ...constantLatencies(10, 0) });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    venue.submit([place(order('bid', 100, 1, 'Alo'))], 0);
    venue.onMarketEvent(book(5, [[99.9, 5]], [[100, 5]]));
    venue.advanceTo(10);
    expect(venue.drainAccountEvents(10)).toMatchObject([
      {
        type: 'reject',
        ts: 10,
        kind: 'postOnlyWouldCross',
        message: 'Post only order would have immediately matched, bbo was 99.9@100. asset=1',
      },
    ]);
  });

  it('a cancel in flight loses to a fill that happens before it arrives', () => {
    const venue = new SimVenue({ assets: ETH, ...constantLatencies(10, 5) });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    const bid = order('bid', 100, 1, 'Alo');
    venue.submit([place(bid)], 0);
    venue.advanceTo(10);
    venue.submit([cancel(bid)], 20);
    venue.onMarketEvent(trade(25, 100, 2, 'ask'));
    venue.advanceTo(30);
    expect(venue.drainAccountEvents(40)).toMatchObject([
      { type: 'ack', ts: 10 },
      { type: 'fill', ts: 25, sz: 1, maker: true },
      { type: 'cancelReject', ts: 30, cloid: bid.cloid, kind: 'unknownOrder', message: MISSING_ORDER },
    ]);
    expect(venue.position('ETH')).toBe(1);
  });

  it('a cancel that arrives first wins, and the later trade fills nothing', () => {
    const venue = new SimVenue({ assets: ETH, ...constantLatencies(10, 5) });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    const bid = order('bid', 100, 1, 'Alo');
    venue.submit([place(bid)], 0);
    venue.submit([cancel(bid)], 20);
    venue.onMarketEvent(trade(31, 100, 2, 'ask'));
    expect(venue.drainAccountEvents(40).map((e) => e.type)).toEqual(['ack', 'canceled']);
    expect(venue.position('ETH')).toBe(0);
  });

  it('market data at an exchange time comes before an order arriving at that time', () => {
    const venue = new SimVenue({ assets: ETH, ...constantLatencies(5, 0) });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    const bid = order('bid', 100, 1, 'Alo');
    venue.submit([place(bid)], 0);
    venue.advanceTo(5);
    venue.submit([cancel(bid)], 20);
    venue.onMarketEvent(trade(25, 100, 2, 'ask'));
    venue.advanceTo(25);
    expect(venue.drainAccountEvents(25).map((e) => e.type)).toEqual(['ack', 'fill', 'cancelReject']);
  });

  it('a later batch never overtakes an earlier one', () => {
    const rng = new Rng(3);
    const venue = new SimVenue({
      assets: ETH,
      entryLatency: latencyModel({ kind: 'uniform', minMs: 0, maxMs: 50 }, rng),
      responseLatency: latencyModel({ kind: 'uniform', minMs: 0, maxMs: 50 }, rng),
    });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    const orders = Array.from({ length: 20 }, (_, i) => order('bid', 99 + i * 0.01, 1, 'Alo'));
    orders.forEach((request, i) => venue.submit([place(request)], i));
    venue.advanceTo(1_000);
    const acks = venue.drainAccountEvents(1_000);
    expect(acks.map((e) => (e.type === 'ack' ? e.cloid : e.type))).toEqual(orders.map((o) => o.cloid));
    expect(acks.map((e) => e.ts)).toEqual([...acks.map((e) => e.ts)].sort((a, b) => a - b));
  });
});

describe('SimVenue funding', () => {
  function venueWithPosition(side: Side): SimVenue {
    const venue = new SimVenue({ assets: ETH });
    venue.onMarketEvent(book(0, [[99.9, 5]], [[100.1, 5]]));
    venue.submit([place(order(side, side === 'bid' ? 100.1 : 99.9, 1, 'Ioc'))], 0);
    venue.advanceTo(0);
    venue.drainAccountEvents(0);
    return venue;
  }

  it('a long pays a positive rate: −position × oracle × rate', () => {
    const venue = venueWithPosition('bid');
    venue.onMarketEvent(funding(3_600_000, 0.0001, 2000));
    const payments = venue.drainAccountEvents(3_600_000);
    expect(payments).toMatchObject([{ type: 'funding', coin: 'ETH', rate: 0.0001 }]);
    expect(payments[0]?.type === 'funding' && payments[0].amount).toBeCloseTo(-0.2, 12);
  });

  it('a short receives a positive rate and pays a negative one, at the mid without an oracle price', () => {
    const venue = venueWithPosition('ask');
    venue.onMarketEvent(funding(1, 0.0001));
    venue.onMarketEvent(funding(2, -0.0001));
    const amounts = venue.drainAccountEvents(2).map((e) => (e.type === 'funding' ? e.amount : NaN));
    expect(amounts[0]).toBeCloseTo(100 * 0.0001, 12);
    expect(amounts[1]).toBeCloseTo(-100 * 0.0001, 12);
  });

  it('no position, no payment', () => {
    const venue = new SimVenue({ assets: ETH });
    venue.onMarketEvent(funding(1, 0.0001, 2000));
    expect(venue.drainAccountEvents(1)).toEqual([]);
  });
});

describe('SimVenue routing and flags', () => {
  it('refuses orders and cancels for a coin without metadata', () => {
    const venue = new SimVenue({ assets: ETH });
    const doge = order('bid', 0.2, 100, 'Alo', { coin: 'DOGE' });
    venue.submit([place(doge), cancel(doge)], 0);
    venue.advanceTo(0);
    expect(venue.drainAccountEvents(0)).toMatchObject([
      { type: 'reject', kind: 'other', cloid: doge.cloid },
      { type: 'cancelReject', kind: 'other', cloid: doge.cloid },
    ]);
  });

  it('reports whether executions are inferred from the book', () => {
    expect(new SimVenue({ assets: ETH }).inferredExecutionCoins).toEqual([]);
    expect(new SimVenue({ assets: { ETH: { ...ETH.ETH, inferExecutionsFromBook: true } } }).inferredExecutionCoins).toEqual(['ETH']);
    const both = { ETH: ETH.ETH, BTC: { assetId: 0, szDecimals: 5, inferExecutionsFromBook: true } };
    expect(new SimVenue({ assets: both }).inferredExecutionCoins).toEqual(['BTC']);
  });
});

/**
 * The loop a backtest runner drives: exchange-side market events at exchTs, the strategy at
 * local times (market data at its receive time, account events when delivered).
 */
function runBacktest(
  venue: SimVenue,
  events: readonly MarketEvent[],
  feed: FeedLatency,
  strategy: (localNow: number, market: readonly MarketEvent[], account: readonly AccountEvent[]) => OrderAction[],
): void {
  const inFlight: { readonly at: number; readonly event: MarketEvent }[] = [];
  let next = 0;
  for (;;) {
    const exchangeTs = events[next]?.exchTs ?? Infinity;
    const localTs = Math.min(inFlight[0]?.at ?? Infinity, venue.nextTs());
    if (exchangeTs === Infinity && localTs === Infinity) return;
    if (exchangeTs <= localTs) {
      const event = events[next++]!;
      venue.onMarketEvent(event);
      inFlight.push({ at: strategyReceiveTs(event, feed), event });
      continue;
    }
    venue.advanceTo(localTs);
    const market: MarketEvent[] = [];
    while (inFlight.length > 0 && inFlight[0]!.at <= localTs) market.push(inFlight.shift()!.event);
    const actions = strategy(localTs, market, venue.drainAccountEvents(localTs));
    venue.submit(actions, localTs);
  }
}

describe('SimVenue in a runner loop', () => {
  const marketEvents: MarketEvent[] = [];
  for (let i = 0; i < 200; i++) {
    const ts = i * 100;
    const mid = 100 + Math.round(Math.sin(i / 7) * 30) / 100;
    marketEvents.push(book(ts, [[Math.round((mid - 0.05) * 100) / 100, 3]], [[Math.round((mid + 0.05) * 100) / 100, 3]]));
    if (i % 3 === 0) marketEvents.push(trade(ts + 50, Math.round((mid - 0.05) * 100) / 100, 2, 'ask'));
    if (i % 5 === 0) marketEvents.push(trade(ts + 60, Math.round((mid + 0.05) * 100) / 100, 2, 'bid'));
  }

  /** Quotes one post-only order per side at the touch, replacing both on every book it sees. */
  function quoter(): Parameters<typeof runBacktest>[3] {
    const live = new Set<string>();
    let sent = 0;
    const quote = (side: Side, px: number): OrderAction =>
      place(order(side, px, 0.5, 'Alo', { cloid: `0x${(++sent).toString(16).padStart(32, '0')}` }));
    return (_now, market, account) => {
      for (const event of account) {
        if (event.type === 'ack') live.add(event.cloid);
        if (event.type === 'canceled' || event.type === 'reject') live.delete(event.cloid);
        if (event.type === 'fill' && event.remaining === 0) live.delete(event.cloid);
      }
      const snapshot = market.findLast((e) => e.type === 'book');
      if (!snapshot || snapshot.type !== 'book') return [];
      const actions: OrderAction[] = [...live].map((cloid) => ({ kind: 'cancel', coin: 'ETH', cloid }));
      actions.push(quote('bid', snapshot.bidPx[0]!), quote('ask', snapshot.askPx[0]!));
      return actions;
    };
  }

  function run(seed: number): AccountEvent[] {
    const rng = new Rng(seed);
    const venue = new SimVenue({
      assets: ETH,
      queueModel: queueModel('power2'),
      entryLatency: latencyModel({ kind: 'lognormal', medianMs: 30, sigma: 0.6 }, rng),
      responseLatency: latencyModel({ kind: 'uniform', minMs: 5, maxMs: 40 }, rng),
    });
    const seen: AccountEvent[] = [];
    const strategy = quoter();
    runBacktest(venue, marketEvents, { kind: 'constant', ms: 15 }, (now, market, account) => {
      seen.push(...account);
      return strategy(now, market, account);
    });
    return seen;
  }

  it('same inputs and seed give the same account events', () => {
    const first = run(11);
    expect(first.filter((e) => e.type === 'fill').length).toBeGreaterThan(5);
    expect(run(11)).toEqual(first);
  });
});

describe('SimVenue properties', () => {
  const bookStep = fc.record({
    kind: fc.constant('book' as const),
    bestBidCents: fc.integer({ min: 9_900, max: 10_100 }),
    spreadCents: fc.integer({ min: 1, max: 5 }),
    bidLots: fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 5 }),
    askLots: fc.array(fc.integer({ min: 1, max: 1_000 }), { minLength: 1, maxLength: 5 }),
  });
  const tradeStep = fc.record({
    kind: fc.constant('trade' as const),
    pxCents: fc.integer({ min: 9_890, max: 10_110 }),
    lots: fc.integer({ min: 1, max: 1_000 }),
    aggressor: fc.constantFrom<Side>('bid', 'ask'),
  });
  const orderStep = fc.record({
    kind: fc.constant('order' as const),
    side: fc.constantFrom<Side>('bid', 'ask'),
    pxCents: fc.integer({ min: 9_890, max: 10_110 }),
    lots: fc.integer({ min: 10, max: 500 }),
    tif: fc.constantFrom<Tif>('Alo', 'Ioc', 'Gtc'),
    reduceOnly: fc.constantFrom(false, false, false, true),
  });
  const cancelStep = fc.record({ kind: fc.constant('cancel' as const), pick: fc.nat() });
  const step = fc.oneof(
    { weight: 2, arbitrary: bookStep },
    { weight: 3, arbitrary: tradeStep },
    { weight: 4, arbitrary: orderStep },
    { weight: 1, arbitrary: cancelStep },
  );

  it('never overfills, never fills beyond the limit, and the position is the sum of fills', () => {
    fc.assert(
      fc.property(
        fc.array(step, { minLength: 5, maxLength: 80 }),
        fc.integer(),
        fc.constantFrom<QueueModelName>('risk-averse', 'power2', 'log'),
        fc.boolean(),
        (steps, seed, model, infer) => {
          const rng = new Rng(seed);
          const venue = new SimVenue({
            assets: { ETH: { ...ETH.ETH, inferExecutionsFromBook: infer } },
            queueModel: queueModel(model),
            entryLatency: latencyModel({ kind: 'uniform', minMs: 0, maxMs: 3 }, rng),
            responseLatency: latencyModel({ kind: 'uniform', minMs: 0, maxMs: 3 }, rng),
          });
          const sent: OrderRequest[] = [];
          venue.onMarketEvent(book(-1, [[100, 5]], [[100.01, 5]]));
          steps.forEach((s, i) => {
            const ts = i * 2;
            if (s.kind === 'book') {
              const bids = s.bidLots.map((lots, level) => [(s.bestBidCents - level) / 100, lots / 100] as const);
              const asks = s.askLots.map(
                (lots, level) => [(s.bestBidCents + s.spreadCents + level) / 100, lots / 100] as const,
              );
              venue.onMarketEvent(book(ts, bids, asks));
            } else if (s.kind === 'trade') {
              venue.onMarketEvent(trade(ts, s.pxCents / 100, s.lots / 100, s.aggressor));
            } else if (s.kind === 'order') {
              const request = order(s.side, s.pxCents / 100, s.lots / 100, s.tif, { reduceOnly: s.reduceOnly });
              sent.push(request);
              venue.submit([place(request)], ts);
            } else if (sent.length > 0) {
              venue.submit([cancel(sent[s.pick % sent.length]!)], ts);
            }
          });
          venue.advanceTo(Infinity);
          const events = venue.drainAccountEvents(Infinity);

          const byCloid = new Map(sent.map((request) => [request.cloid, request]));
          const filled = new Map<string, number>();
          let position = 0;
          for (const event of events) {
            if (event.type !== 'fill') continue;
            const request = byCloid.get(event.cloid)!;
            const total = (filled.get(event.cloid) ?? 0) + event.sz;
            filled.set(event.cloid, total);
            position += event.side === 'bid' ? event.sz : -event.sz;
            expect(event.side).toBe(request.side);
            expect(total).toBeLessThanOrEqual(request.sz + 1e-9);
            expect(event.remaining).toBeCloseTo(request.sz - total, 9);
            if (request.side === 'bid') expect(event.px).toBeLessThanOrEqual(request.px);
            else expect(event.px).toBeGreaterThanOrEqual(request.px);
            const rate = event.maker ? 0.00015 : 0.00045;
            expect(event.fee).toBeCloseTo(rate * event.px * event.sz, 12);
          }
          expect(venue.position('ETH')).toBeCloseTo(position, 9);
        },
      ),
      { numRuns: 300 },
    );
  });
});
