import { describe, expect, it } from 'vitest';
import type { AccountEvent } from '../../../src/core/types.js';
import { BASE_PERP_FEES } from '../../../src/venues/sim/fees.js';
import { MatchingEngine, type MatchingEngineConfig } from '../../../src/venues/sim/matching-engine.js';
import { queueModel, type QueueModelName } from '../../../src/venues/sim/queue-models.js';
import { book, order, trade } from './market-events.js';

type Fill = Extract<AccountEvent, { type: 'fill' }>;

/** ETH-like asset: szDecimals 2 (lot 0.01), asset id 1, prices around 100 (tick 0.01). */
function ethEngine(overrides: Partial<MatchingEngineConfig> = {}) {
  const events: AccountEvent[] = [];
  let oid = 0;
  let tid = 0;
  const engine = new MatchingEngine({
    coin: 'ETH',
    assetId: 1,
    szDecimals: 2,
    fees: BASE_PERP_FEES,
    queueModel: queueModel('risk-averse'),
    inferExecutionsFromBook: false,
    nextOid: () => ++oid,
    nextTid: () => ++tid,
    emit: (event) => events.push(event),
    ...overrides,
  });
  const fills = (): Fill[] => events.filter((e): e is Fill => e.type === 'fill');
  const filledSize = (): number => fills().reduce((sum, f) => sum + f.sz, 0);
  return { engine, events, fills, filledSize };
}

const quiet = book(0, [[100, 5], [99.9, 5]], [[100.1, 5], [100.2, 5]]);

describe('queue position (risk-averse)', () => {
  it('an order behind 5 ETH fills only after 5 ETH trade at its price', () => {
    const { engine, fills, filledSize } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    expect(engine.openOrders()[0]!.ahead).toBe(5);

    engine.onTrade(trade(2, 100, 2, 'ask'), 2);
    engine.onTrade(trade(3, 100, 3, 'ask'), 3);
    expect(fills()).toEqual([]);
    expect(engine.openOrders()[0]!.ahead).toBe(0);

    engine.onTrade(trade(4, 100, 0.4, 'ask'), 4);
    expect(fills()).toMatchObject([{ px: 100, sz: 0.4, maker: true, remaining: 0.6, ts: 4 }]);
    expect(filledSize()).toBeCloseTo(0.4, 12);
  });

  it('trades by buyers at our bid price do not advance it', () => {
    const { engine } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    engine.onTrade(trade(2, 100, 3, 'bid'), 2);
    expect(engine.openOrders()[0]!.ahead).toBe(5);
  });

  it('a shrink with no trades is a cancellation and does not advance it', () => {
    const { engine } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    engine.onBook(book(2, [[100, 8], [99.9, 5]], [[100.1, 5]]), 2);
    engine.onBook(book(3, [[100, 6], [99.9, 5]], [[100.1, 5]]), 3);
    expect(engine.openOrders()[0]!.ahead).toBe(5);
    // A level smaller than what we think is ahead caps it.
    engine.onBook(book(4, [[100, 2], [99.9, 5]], [[100.1, 5]]), 4);
    expect(engine.openOrders()[0]!.ahead).toBe(2);
  });

  it('trades already seen are not counted again as cancellations when the book catches up', () => {
    const { engine } = ethEngine({ queueModel: queueModel('power2') });
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    engine.onTrade(trade(2, 100, 2, 'ask'), 2);
    engine.onBook(book(3, [[100, 3], [99.9, 5]], [[100.1, 5]]), 3);
    expect(engine.openOrders()[0]!.ahead).toBe(3);
  });

  it('a new price level puts the order at the front; later size joins behind', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100.05, 1, 'Gtc'), 1);
    engine.onBook(book(2, [[100.05, 4], [100, 5]], [[100.1, 5]]), 2);
    expect(engine.openOrders()[0]!.ahead).toBe(0);
    engine.onTrade(trade(3, 100.05, 0.3, 'ask'), 3);
    expect(fills()).toMatchObject([{ px: 100.05, sz: 0.3, maker: true }]);
  });

  it('a trade through the price fills the whole order at its own price', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('ask', 100.2, 1.5, 'Alo'), 1);
    engine.onTrade(trade(2, 100.3, 0.01, 'bid'), 2);
    expect(fills()).toMatchObject([{ side: 'ask', px: 100.2, sz: 1.5, maker: true, remaining: 0 }]);
    expect(engine.openOrders()).toEqual([]);
    expect(engine.position).toBe(-1.5);
  });

  it('a book that moves through the price without trades fills it at its price', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 99.9, 1, 'Alo'), 1);
    engine.onBook(book(2, [[99.7, 3]], [[99.8, 2]]), 2);
    expect(fills()).toMatchObject([{ side: 'bid', px: 99.9, sz: 1, maker: true, remaining: 0 }]);
  });
});

describe('queue position (probabilistic models)', () => {
  // Join with 4 ahead; 6 join behind (level 10); 2 are cancelled (level 8). A cancel came from
  // ahead with probability f(4) / (f(4) + f(6)).
  const cases: readonly [QueueModelName, number][] = [
    ['risk-averse', 4],
    ['power2', 4 - 2 * (16 / (16 + 36))],
    ['power3', 4 - 2 * (64 / (64 + 216))],
    ['log', 4 - 2 * (Math.log(5) / (Math.log(5) + Math.log(7)))],
  ];

  it.each(cases)('%s: cancellations advance the order to %f ahead', (name, expectedAhead) => {
    const { engine, fills } = ethEngine({ queueModel: queueModel(name) });
    engine.onBook(book(0, [[100, 4]], [[100.1, 5]]), 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    engine.onBook(book(2, [[100, 10]], [[100.1, 5]]), 2);
    engine.onBook(book(3, [[100, 8]], [[100.1, 5]]), 3);
    expect(engine.openOrders()[0]!.ahead).toBeCloseTo(expectedAhead, 12);

    // 4 ETH sold at 100: what is left after the estimated queue fills us, in whole lots.
    engine.onTrade(trade(4, 100, 4, 'ask'), 4);
    const expectedFill = Math.floor((4 - expectedAhead) * 100 + 1e-9) / 100;
    expect(fills().reduce((sum, f) => sum + f.sz, 0)).toBeCloseTo(expectedFill, 12);
  });
});

describe('order types', () => {
  it('rejects a post-only order that would cross with the exchange text', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    const alo = order('bid', 100.1, 1, 'Alo');
    engine.place(alo, 1);
    expect(events).toEqual([
      {
        type: 'reject',
        ts: 1,
        cloid: alo.cloid,
        kind: 'postOnlyWouldCross',
        message: 'Post only order would have immediately matched, bbo was 100@100.1. asset=1',
      },
    ]);
  });

  it('an IOC takes what crosses, at each level price, and cancels the rest', () => {
    const { engine, events } = ethEngine();
    engine.onBook(book(0, [[100, 5]], [[100.1, 0.3], [100.2, 0.2], [100.3, 9]]), 0);
    const ioc = order('bid', 100.25, 1, 'Ioc');
    engine.place(ioc, 1);
    expect(events.map((e) => e.type)).toEqual(['ack', 'fill', 'fill', 'canceled']);
    expect(events[1]).toMatchObject({ px: 100.1, sz: 0.3, maker: false, remaining: 0.7 });
    expect(events[2]).toMatchObject({ px: 100.2, sz: 0.2, maker: false, remaining: 0.5 });
    expect(events[3]).toMatchObject({ cloid: ioc.cloid, reason: 'ioc' });
    expect(engine.position).toBe(0.5);
    expect(engine.openOrders()).toEqual([]);
  });

  it('an IOC with nothing to take is rejected with the exchange text', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('ask', 100.1, 1, 'Ioc'), 1);
    expect(events).toMatchObject([
      {
        type: 'reject',
        kind: 'iocNoMatch',
        message: 'Order could not immediately match against any resting orders. asset=1',
      },
    ]);
  });

  it('a GTC takes what crosses and rests the remainder', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(book(0, [[100, 5]], [[100.1, 0.3], [100.2, 9]]), 0);
    engine.place(order('bid', 100.1, 1, 'Gtc'), 1);
    expect(fills()).toMatchObject([{ px: 100.1, sz: 0.3, maker: false, remaining: 0.7 }]);
    expect(engine.openOrders()).toMatchObject([{ side: 'bid', px: 100.1, sz: 0.7, ahead: 0 }]);
  });

  it('one displayed level cannot fill us twice within one book state', () => {
    const { engine, events, fills } = ethEngine();
    engine.onBook(book(0, [[100, 5]], [[100.1, 0.3], [100.2, 9]]), 0);
    engine.place(order('bid', 100.1, 0.2, 'Ioc'), 1);
    engine.place(order('bid', 100.1, 0.2, 'Ioc'), 2);
    expect(fills().map((f) => f.sz)).toEqual([0.2, 0.1]);
    engine.place(order('bid', 100.1, 0.2, 'Ioc'), 3);
    expect(events.at(-1)).toMatchObject({ type: 'reject', kind: 'iocNoMatch' });
    // A post-only order at the consumed price no longer crosses.
    engine.place(order('bid', 100.1, 0.2, 'Alo'), 4);
    expect(events.at(-1)).toMatchObject({ type: 'ack' });
  });

  it('liquidity we took stays taken while snapshots repeat its level, and returns when the level changes', () => {
    const { engine, fills } = ethEngine();
    const asks = book(0, [[100, 5]], [[100.1, 0.3], [100.2, 9]]);
    engine.onBook(asks, 0);
    engine.place(order('bid', 100.1, 1, 'Gtc'), 1);
    expect(fills()).toMatchObject([{ px: 100.1, sz: 0.3, maker: false, remaining: 0.7 }]);

    engine.onBook({ ...asks, exchTs: 2, localTs: 2 }, 2);
    engine.place(order('bid', 100.1, 0.2, 'Ioc'), 3);
    expect(fills()).toHaveLength(1);
    expect(engine.openOrders()).toMatchObject([{ px: 100.1, sz: 0.7 }]);

    // The feed now shows 0.5 at 100.1: new sellers there, who trade with our resting bid.
    engine.onBook(book(4, [[100, 5]], [[100.1, 0.5], [100.2, 9]]), 4);
    expect(fills().slice(1)).toMatchObject([{ px: 100.1, sz: 0.7, maker: true, remaining: 0, ts: 4 }]);
  });

  it('cancels a resting order, and refuses to cancel one it does not have', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    const resting = order('bid', 99.9, 1, 'Alo');
    engine.place(resting, 1);
    engine.cancel(resting.cloid, 2);
    engine.cancel(resting.cloid, 3);
    expect(events.slice(1)).toEqual([
      { type: 'canceled', ts: 2, cloid: resting.cloid, oid: 1, reason: 'user' },
      {
        type: 'cancelReject',
        ts: 3,
        cloid: resting.cloid,
        kind: 'unknownOrder',
        message: 'Order was never placed, already canceled, or filled. asset=1',
      },
    ]);
  });

  it('a modify cancels the target and places the replacement; a missing target refuses it', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    const first = order('bid', 99.9, 1, 'Alo');
    const second = order('bid', 99.95, 1, 'Alo');
    engine.place(first, 1);
    engine.modify(first.cloid, second, 2);
    expect(events.slice(1)).toMatchObject([
      { type: 'canceled', cloid: first.cloid, reason: 'user' },
      { type: 'ack', cloid: second.cloid, oid: 2 },
    ]);
    expect(engine.openOrders()).toMatchObject([{ cloid: second.cloid, px: 99.95 }]);

    const third = order('bid', 99.9, 1, 'Alo');
    engine.modify(first.cloid, third, 3);
    expect(events.at(-1)).toMatchObject({
      type: 'reject',
      cloid: third.cloid,
      kind: 'unknownOrder',
      message: 'Cannot modify canceled or filled order',
    });
  });
});

describe('validation', () => {
  const cases = [
    ['a price off the tick', order('bid', 100.005, 1, 'Alo'), 'tick', 'Price must be divisible by tick size. asset=1'],
    ['a size off the lot', order('bid', 99.9, 0.123, 'Alo'), 'lot', 'Order has invalid size.'],
    ['a zero size', order('bid', 99.9, 0, 'Alo'), 'lot', 'Order has invalid size.'],
    ['under $10', order('bid', 99.9, 0.1, 'Alo'), 'minNotional', 'Order must have minimum value of $10. asset=1'],
    [
      'reduce-only with no position',
      order('ask', 100.5, 1, 'Alo', { reduceOnly: true }),
      'reduceOnly',
      'Reduce only order would increase position. asset=1',
    ],
  ] as const;

  it.each(cases)('rejects %s', (_name, request, kind, message) => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(request, 1);
    expect(events).toEqual([{ type: 'reject', ts: 1, cloid: request.cloid, kind, message }]);
  });

  it('accepts exactly $10', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100, 0.1, 'Alo'), 1);
    expect(events).toMatchObject([{ type: 'ack' }]);
  });

  it('a reduce-only order fills only down to a flat position, then is canceled', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100.1, 0.5, 'Ioc'), 1);
    const close = order('ask', 100.1, 1, 'Alo', { reduceOnly: true });
    engine.place(close, 2);
    engine.onTrade(trade(3, 100.2, 1, 'bid'), 3);
    expect(events.slice(-2)).toMatchObject([
      { type: 'fill', cloid: close.cloid, sz: 0.5, remaining: 0.5 },
      { type: 'canceled', cloid: close.cloid, reason: 'system' },
    ]);
    expect(engine.position).toBe(0);
  });
});

describe('fees', () => {
  it('charges the maker rate when resting and the taker rate when crossing (base tier)', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 100.1, 1, 'Ioc'), 1);
    engine.place(order('ask', 100.2, 1, 'Alo'), 2);
    engine.onTrade(trade(3, 100.3, 1, 'bid'), 3);
    const [taker, maker] = fills();
    expect(taker).toMatchObject({ maker: false });
    expect(taker!.fee).toBeCloseTo(0.00045 * 100.1, 12);
    expect(maker).toMatchObject({ maker: true });
    expect(maker!.fee).toBeCloseTo(0.00015 * 100.2, 12);
  });

  it('reports a negative maker rate as a negative fee (a rebate)', () => {
    const { engine, fills } = ethEngine({ fees: { makerRate: -0.00002, takerRate: 0.0003 } });
    engine.onBook(quiet, 0);
    engine.place(order('ask', 100.2, 2, 'Alo'), 1);
    engine.onTrade(trade(2, 100.3, 1, 'bid'), 2);
    expect(fills()[0]!.fee).toBeCloseTo(-0.00002 * 100.2 * 2, 12);
  });
});

describe('inferred executions (book-only data)', () => {
  // Join with 5 ahead, 3 join behind (8), then the level drops to 2.5 with no trade printed.
  const stream = [
    book(2, [[100, 8]], [[100.1, 5]]),
    book(3, [[100, 2.5]], [[100.1, 5]]),
  ];

  it('treats the shrink at our price as traded volume: 5 clear the queue, 0.5 fill us', () => {
    const { engine, fills } = ethEngine({ inferExecutionsFromBook: true });
    engine.onBook(book(0, [[100, 5]], [[100.1, 5]]), 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    for (const event of stream) engine.onBook(event, event.exchTs);
    expect(fills()).toMatchObject([{ px: 100, sz: 0.5, maker: true, remaining: 0.5, ts: 3 }]);
    expect(engine.openOrders()[0]!.ahead).toBe(0);
  });

  it('without inference the same books are cancellations and fill nothing', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(book(0, [[100, 5]], [[100.1, 5]]), 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    for (const event of stream) engine.onBook(event, event.exchTs);
    expect(fills()).toEqual([]);
  });

  it('never fills more than the order even when the whole level vanishes', () => {
    const { engine, filledSize } = ethEngine({ inferExecutionsFromBook: true });
    engine.onBook(book(0, [[100, 1]], [[100.1, 5]]), 0);
    engine.place(order('bid', 100, 1, 'Alo'), 1);
    engine.onBook(book(2, [[100, 30]], [[100.1, 5]]), 2);
    engine.onBook(book(3, [[99.9, 30]], [[100.1, 5]]), 3);
    expect(filledSize()).toBe(1);
  });
});

describe('prices beyond the displayed depth', () => {
  // Two levels a side are displayed: a bid below 99.9 is out of view.
  it('an order that joins out of view is behind whatever its level shows when it comes into view', () => {
    const { engine, fills } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('bid', 99.8, 1, 'Alo'), 1);
    expect(engine.openOrders()[0]!.ahead).toBe(Number.POSITIVE_INFINITY);
    engine.onTrade(trade(2, 99.8, 0.5, 'ask'), 2);
    expect(fills()).toEqual([]);

    engine.onBook(book(3, [[99.9, 5], [99.8, 3]], [[100, 5], [100.1, 5]]), 3);
    expect(engine.openOrders()[0]!.ahead).toBe(3);
    engine.onTrade(trade(4, 99.8, 3.25, 'ask'), 4);
    expect(fills()).toMatchObject([{ px: 99.8, sz: 0.25, maker: true }]);
  });

  it('a level that scrolls out of view keeps the order in its place instead of reading as emptied', () => {
    const { engine, fills } = ethEngine({ inferExecutionsFromBook: true });
    engine.onBook(book(0, [[100, 5], [99.9, 1]], [[100.1, 5], [100.2, 5]]), 0);
    engine.place(order('bid', 99.9, 1, 'Alo'), 1);
    engine.onBook(book(2, [[100, 5], [99.9, 4]], [[100.1, 5], [100.2, 5]]), 2);
    expect(engine.openOrders()[0]!.ahead).toBe(1);

    engine.onBook(book(3, [[100.2, 5], [100.1, 5]], [[100.3, 5], [100.4, 5]]), 3);
    engine.onBook(book(4, [[100, 2], [99.9, 2]], [[100.1, 5], [100.2, 5]]), 4);
    expect(fills()).toEqual([]);
    expect(engine.openOrders()[0]!.ahead).toBe(1);
  });
});

describe('our own orders', () => {
  it('count in the post-only check, as the exchange book holds them', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    engine.place(order('ask', 100.05, 1, 'Alo'), 1);
    const alo = order('bid', 100.05, 1, 'Alo');
    engine.place(alo, 2);
    expect(events.at(-1)).toEqual({
      type: 'reject',
      ts: 2,
      cloid: alo.cloid,
      kind: 'postOnlyWouldCross',
      message: 'Post only order would have immediately matched, bbo was 100@100.05. asset=1',
    });
  });

  it('an order that reaches one of ours cancels it unfilled (selfTradeCanceled) and goes on to the book', () => {
    const { engine, events, fills } = ethEngine();
    engine.onBook(quiet, 0);
    const ask = order('ask', 100.05, 1, 'Alo');
    engine.place(ask, 1);
    engine.place(order('bid', 100.1, 0.5, 'Gtc'), 2);
    expect(events.slice(1).map((e) => e.type)).toEqual(['canceled', 'ack', 'fill']);
    expect(events[1]).toMatchObject({ cloid: ask.cloid, reason: 'selfTrade', ts: 2 });
    expect(fills()).toMatchObject([{ side: 'bid', px: 100.1, sz: 0.5, maker: false }]);
    expect(engine.openOrders()).toEqual([]);
  });

  it('leaves ours alone where the arriving order is met before it, and cancels ours that it reaches', () => {
    const { engine, events } = ethEngine();
    engine.onBook(quiet, 0);
    const ask = order('ask', 100.2, 1, 'Alo');
    engine.place(ask, 1);
    // 5 ETH at 100.1 meet this bid before it gets to 100.2; 6 ETH are met at 100.2, where ours
    // is behind the displayed 5.
    engine.place(order('bid', 100.2, 1, 'Ioc'), 2);
    engine.place(order('bid', 100.2, 6, 'Ioc'), 3);
    expect(engine.openOrders()).toMatchObject([{ cloid: ask.cloid }]);
    // 11 ETH are more than the 10 displayed within 100.2: the bid reaches ours.
    engine.place(order('bid', 100.2, 11, 'Ioc'), 4);
    expect(events.find((event) => event.type === 'canceled' && event.cloid === ask.cloid)).toMatchObject({ reason: 'selfTrade', ts: 4 });
    expect(engine.openOrders()).toEqual([]);
  });
});
