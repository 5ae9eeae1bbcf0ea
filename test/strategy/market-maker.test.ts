import { describe, expect, it } from 'vitest';
import { parseConfig } from '../../src/config/load.js';
import { priceRules } from '../../src/core/price-rules.js';
import type { AccountEvent, BookSnapshotEvent, MarketEvent, OrderAction, OrderRequest, Side } from '../../src/core/types.js';
import { syntheticL2Market } from '../../src/data/synthetic/l2-market.js';
import { MarketMaker, type CoinStatus } from '../../src/strategy/market-maker.js';
import { SimVenue } from '../../src/venues/sim/sim-venue.js';

/** BTC on Hyperliquid: szDecimals 5, so around 100 000 the price step is 1 USD. */
const BTC = { BTC: { szDecimals: 5 } };
const TICK = 1;
const LOT = 1e-5;
const rules = priceRules(5);
/** Book updates 100 ms apart; 21 of them give the 20 returns the volatility estimate needs. */
const BOOK_EVERY_MS = 100;
const WARMUP_BOOKS = 21;

function newMaker(settings: Record<string, unknown> = {}): MarketMaker {
  const loaded = parseConfig('test-mm.json', { coins: ['BTC'], single_sided_mode: 'off', ...settings }, 'test-mm');
  return new MarketMaker({ bot: loaded.bot, coins: [loaded.coins.BTC!], assets: BTC, startTs: 0 });
}

/**
 * A BTC book whose mid is `mid` and whose best ask is `spreadTicks` above its best bid, with
 * `levels` levels one tick apart on each side.
 */
function bookAround(mid: number, spreadTicks: number, ts: number, levels = 5): BookSnapshotEvent {
  const bestBid = Math.floor(mid - (spreadTicks * TICK) / 2);
  const bestAsk = bestBid + spreadTicks * TICK;
  const bidPx = Float64Array.from({ length: levels }, (_, i) => bestBid - i * TICK);
  const askPx = Float64Array.from({ length: levels }, (_, i) => bestAsk + i * TICK);
  const sizes = new Float64Array(levels).fill(1);
  return { type: 'book', coin: 'BTC', exchTs: ts, localTs: ts, bidPx, bidSz: sizes, askPx, askSz: sizes.slice() };
}

/** Feeds enough identical books (mid 100 000, 2-tick spread) to warm up; returns the last book time. */
function warmUp(maker: MarketMaker, mid = 100_000): number {
  let ts = 0;
  for (let i = 0; i < WARMUP_BOOKS; i++) {
    ts = i * BOOK_EVERY_MS;
    maker.onMarketEvent(bookAround(mid, 2, ts));
  }
  return ts;
}

function btcStatus(maker: MarketMaker): CoinStatus {
  const [status] = maker.status();
  if (!status) throw new Error('no BTC status');
  return status;
}

function sentOrders(actions: readonly OrderAction[]): OrderRequest[] {
  return actions.flatMap((action) => (action.kind === 'cancel' ? [] : [action.order]));
}

let nextOid = 1;
/** Answers every place and modify with an ack, every cancel (and modify target) with a cancel. */
function acknowledge(maker: MarketMaker, actions: readonly OrderAction[], now: number): void {
  for (const action of actions) {
    if (action.kind !== 'place') {
      const cloid = action.kind === 'cancel' ? action.cloid : action.targetCloid;
      maker.onAccountEvent({ type: 'canceled', ts: now, cloid, oid: 0, reason: 'user' }, now);
    }
    if (action.kind !== 'cancel') maker.onAccountEvent({ type: 'ack', ts: now, cloid: action.order.cloid, oid: nextOid++ }, now);
  }
}

function fillOf(order: OrderRequest, now: number, sz = order.sz, maker = true): AccountEvent {
  return {
    type: 'fill',
    ts: now,
    cloid: order.cloid,
    oid: 0,
    coin: order.coin,
    side: order.side,
    px: order.px,
    sz,
    fee: order.px * sz * 0.00015,
    maker,
    remaining: order.sz - sz,
    tid: now,
  };
}

function orderAt(orders: readonly OrderRequest[], side: Side, px: number): OrderRequest {
  const found = orders.find((order) => order.side === side && order.px === px);
  if (!found) throw new Error(`no ${side} at ${px} among ${orders.map((o) => `${o.side}@${o.px}`).join(', ')}`);
  return found;
}

/** A maker warmed up at mid 100 000 whose first ladder has been placed and acknowledged. */
function quotingMaker(settings: Record<string, unknown> = {}): { maker: MarketMaker; placed: OrderRequest[]; now: number } {
  const maker = newMaker(settings);
  const now = warmUp(maker);
  const { actions } = maker.step(now);
  acknowledge(maker, actions, now);
  return { maker, placed: sentOrders(actions), now };
}

describe('MarketMaker before it has a market', () => {
  it('quotes nothing without a book and says the book is missing', () => {
    const maker = newMaker();
    expect(btcStatus(maker).bidReason).toBe('waiting for the first book');

    const { actions } = maker.step(0);
    expect(actions).toEqual([]);
    const status = btcStatus(maker);
    expect(status.quotes).toEqual([]);
    expect(status.bidReason).toBe('bid: book not two-sided');
    expect(status.askReason).toBe('ask: book not two-sided');
  });

  it('quotes nothing while the volatility estimate warms up, and counts the samples', () => {
    const maker = newMaker();
    for (let i = 0; i < WARMUP_BOOKS - 1; i++) {
      maker.onMarketEvent(bookAround(100_000, 2, i * BOOK_EVERY_MS));
      const { actions } = maker.step(i * BOOK_EVERY_MS);
      expect(actions).toEqual([]);
      expect(btcStatus(maker).bidReason).toBe(`warming up volatility (${i} samples)`);
    }
    maker.onMarketEvent(bookAround(100_000, 2, (WARMUP_BOOKS - 1) * BOOK_EVERY_MS));
    expect(maker.step((WARMUP_BOOKS - 1) * BOOK_EVERY_MS).actions.length).toBeGreaterThan(0);
  });
});

describe('MarketMaker quoting', () => {
  it('places the configured ladder: num_levels post-only orders a side, sized size_notional_usd at the mid', () => {
    const maker = newMaker({ num_levels: 3, size_notional_usd: 25 });
    const now = warmUp(maker);
    const { actions } = maker.step(now);

    expect(actions.map((action) => action.kind)).toEqual(Array(6).fill('place'));
    const orders = sentOrders(actions);
    const lotsOf25Usd = Math.floor(25 / 100_000 / LOT) * LOT;
    for (const order of orders) {
      expect(order).toMatchObject({ coin: 'BTC', tif: 'Alo', reduceOnly: false });
      expect(order.sz).toBeCloseTo(lotsOf25Usd, 12);
      expect(rules.isValidSize(order.sz)).toBe(true);
      expect(rules.isValidPrice(order.px)).toBe(true);
    }
    // Spread 4 bps (min_spread_bps, also the fee guard) around 100 000: level 0 is 20 USD from
    // the mid, and levels are level_spacing_bps = 1 bp = 10 USD apart.
    const bids = orders.filter((order) => order.side === 'bid').map((order) => order.px);
    const asks = orders.filter((order) => order.side === 'ask').map((order) => order.px);
    expect(bids).toEqual([99_980, 99_970, 99_960]);
    expect(asks).toEqual([100_020, 100_030, 100_040]);
    expect(Math.max(...bids)).toBeLessThan(100_001);
    expect(Math.min(...asks)).toBeGreaterThan(99_999);

    const status = btcStatus(maker);
    expect(status).toMatchObject({ state: 'ACTIVE', mid: 100_000, position: 0, bidReason: null, askReason: null });
    expect(status.quotes).toHaveLength(6);
  });

  it('keeps acknowledged orders through a move within move_threshold_ticks and modifies them after a large one', () => {
    const { maker, placed, now } = quotingMaker({ num_levels: 2, move_threshold_ticks: 3, min_replace_ms: 300 });

    maker.onMarketEvent(bookAround(100_001, 2, now + 100));
    expect(maker.step(now + 100).actions).toEqual([]);

    maker.onMarketEvent(bookAround(100_010, 2, now + 400));
    const { actions } = maker.step(now + 400);
    expect(actions.map((action) => action.kind)).toEqual(Array(4).fill('modify'));
    const targets = actions.map((action) => (action.kind === 'modify' ? action.targetCloid : ''));
    expect(new Set(targets)).toEqual(new Set(placed.map((order) => order.cloid)));
    for (const action of actions) {
      if (action.kind !== 'modify') continue;
      const before = placed.find((order) => order.cloid === action.targetCloid)!;
      expect(action.order.side).toBe(before.side);
      expect(action.order.px - before.px).toBeGreaterThanOrEqual(9);
      expect(action.order.px - before.px).toBeLessThanOrEqual(11);
    }
  });

  it('does not replace an order sooner than min_replace_ms after placing it', () => {
    const { maker, now } = quotingMaker({ min_replace_ms: 1_000 });
    maker.onMarketEvent(bookAround(100_050, 2, now + 500));
    expect(maker.step(now + 500).actions).toEqual([]);
    maker.onMarketEvent(bookAround(100_050, 2, now + 1_000));
    expect(maker.step(now + 1_000).actions.length).toBeGreaterThan(0);
  });
});

describe('MarketMaker inventory', () => {
  it('books a fill in the ledger and skews the next plan against the position', () => {
    // 100 USD orders and a 400 USD cap: one filled bid is a quarter of the cap.
    const { maker, placed, now } = quotingMaker({ size_notional_usd: 100, max_per_coin_notional: 400, inventory_skew_factor: 0.3 });
    const bid = orderAt(placed, 'bid', 99_980);
    maker.onAccountEvent(fillOf(bid, now + 50), now + 50);

    const ledger = maker.ledger.coin('BTC');
    expect(ledger.position).toBeCloseTo(0.001, 12);
    expect(ledger.avgEntry).toBe(99_980);
    expect(ledger.makerFills).toBe(1);

    maker.onMarketEvent(bookAround(100_000, 2, now + 100));
    const { actions } = maker.step(now + 100);
    const status = btcStatus(maker);
    // Fixed model: a full position shifts the reservation price 0.3 half spreads (0.3 × 20 USD);
    // a quarter of it shifts 1.5 USD down.
    expect(status.position).toBeCloseTo(0.001, 12);
    expect(status.reservationPrice).toBeCloseTo(100_000 - 1.5, 6);
    const levelZero = (side: Side) => status.quotes.find((quote) => quote.side === side && quote.level === 0)!.px;
    expect(levelZero('bid')).toBe(99_978);
    expect(levelZero('ask')).toBe(100_019);
    // The filled slot gets a new, lower bid.
    expect(sentOrders(actions)).toContainEqual(expect.objectContaining({ side: 'bid', px: 99_978 }));
  });

  it('stops the side that adds at max_per_coin_notional and keeps quoting the side that reduces', () => {
    const { maker, placed, now } = quotingMaker({ size_notional_usd: 100, max_per_coin_notional: 200 });
    for (const bid of placed.filter((order) => order.side === 'bid')) maker.onAccountEvent(fillOf(bid, now + 50), now + 50);
    expect(maker.ledger.coin('BTC').position).toBeCloseTo(0.002, 12);

    maker.onMarketEvent(bookAround(100_000, 2, now + 400));
    const { actions, events } = maker.step(now + 400);
    const status = btcStatus(maker);
    expect(status.bidReason).toBe('bid: per-coin notional cap 200 USD reached (200 USD long)');
    expect(status.askReason).toBeNull();
    expect(status.quotes.length).toBeGreaterThan(0);
    expect(status.quotes.every((quote) => quote.side === 'ask')).toBe(true);
    expect(sentOrders(actions).every((order) => order.side === 'ask')).toBe(true);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'coin_cap', coin: 'BTC' }));
  });
});

describe('MarketMaker take-profit', () => {
  it('rests a post-only take-profit at the best ask as the only ask quote when IOC take-profit is off', () => {
    const { maker, placed, now } = quotingMaker({
      size_notional_usd: 100,
      max_per_coin_notional: 1000,
      take_profit_min_bps: 5,
      take_profit_min_usd: 0.05,
      enhanced_take_profit_enabled: false,
      emergency_take_profit_enabled: false,
    });
    maker.onAccountEvent(fillOf(orderAt(placed, 'bid', 99_980), now + 50), now + 50);
    // The mid is 12 bps above the entry: 0.12 USD on 0.001 BTC.
    maker.onMarketEvent(bookAround(100_100, 2, now + 400));
    const { actions } = maker.step(now + 400);
    const asks = btcStatus(maker).quotes.filter((quote) => quote.side === 'ask');
    expect(asks).toEqual([{ side: 'ask', level: 0, px: 100_101, sz: 0.001 }]);
    expect(sentOrders(actions).filter((order) => order.tif === 'Ioc')).toEqual([]);
  });
});

describe('MarketMaker kill switch', () => {
  it('cancels every quote and closes the position with one reduce-only IOC at a time, stepping along the price chain', () => {
    const { maker, placed, now } = quotingMaker({ size_notional_usd: 100, flatten_max_slippage_bps: 6 });
    const bid = orderAt(placed, 'bid', 99_980);
    maker.onAccountEvent(fillOf(bid, now + 50), now + 50);
    maker.setKillSwitch(true);

    let t = now + 100;
    maker.onMarketEvent(bookAround(100_000, 2, t));
    const first = maker.step(t);
    const live = placed.filter((order) => order !== bid).map((order) => order.cloid);
    const cancels = first.actions.filter((action) => action.kind === 'cancel');
    expect(new Set(cancels.map((action) => (action.kind === 'cancel' ? action.cloid : '')))).toEqual(new Set(live));
    const closes = sentOrders(first.actions);
    // Selling 0.001 BTC into the best bid (99 999) first.
    expect(closes).toEqual([expect.objectContaining({ side: 'ask', px: 99_999, sz: 0.001, tif: 'Ioc', reduceOnly: true })]);
    expect(first.events).toContainEqual(expect.objectContaining({ kind: 'kill_switch', severity: 'critical' }));
    const status = btcStatus(maker);
    expect(status.state).toBe('HALTED');
    expect(status.bidReason).toBe('bid: kill switch engaged');
    expect(status.askReason).toBe('ask: kill switch engaged');

    // Nothing new while the IOC is in flight.
    t += 100;
    expect(maker.step(t).actions).toEqual([]);

    // Unfilled: each retry goes one step further along the chain (6 bps in 3 steps), on the tick grid.
    const prices = [99_999];
    let close = closes[0]!;
    for (let attempt = 0; attempt < 4; attempt++) {
      maker.onAccountEvent({ type: 'canceled', ts: t, cloid: close.cloid, oid: 0, reason: 'ioc' }, t);
      t += 100;
      maker.onMarketEvent(bookAround(100_000, 2, t));
      const retry = sentOrders(maker.step(t).actions);
      expect(retry).toHaveLength(1);
      close = retry[0]!;
      expect(rules.isValidPrice(close.px)).toBe(true);
      prices.push(close.px);
    }
    expect(prices).toEqual([99_999, 99_980, 99_960, 99_940, 99_940]);

    maker.onAccountEvent(fillOf(close, t + 10, close.sz, false), t + 10);
    expect(maker.ledger.coin('BTC').position).toBe(0);
    t += 100;
    maker.onMarketEvent(bookAround(100_000, 2, t));
    expect(maker.step(t).actions).toEqual([]);
    expect(maker.riskState?.state).toBe('HALTED');
  });

  it('quotes again once the kill switch is released', () => {
    const { maker, now } = quotingMaker();
    maker.setKillSwitch(true);
    maker.onMarketEvent(bookAround(100_000, 2, now + 100));
    const halted = maker.step(now + 100).actions;
    expect(halted.every((action) => action.kind === 'cancel')).toBe(true);
    acknowledge(maker, halted, now + 100);

    maker.setKillSwitch(false);
    maker.onMarketEvent(bookAround(100_000, 2, now + 200));
    const resumed = maker.step(now + 200);
    expect(resumed.actions.length).toBe(halted.length);
    expect(resumed.actions.every((action) => action.kind === 'place')).toBe(true);
    expect(btcStatus(maker).state).toBe('ACTIVE');
  });

  it('cancelAll cancels every order the maker has resting', () => {
    const { maker, placed, now } = quotingMaker();
    const cancels = maker.cancelAll(now + 10);
    const canceled = cancels.map((action) => (action.kind === 'cancel' ? action.cloid : ''));
    expect(canceled.sort()).toEqual(placed.map((order) => order.cloid).sort());
  });
});

/**
 * The strategy joined to the simulated venue with zero latencies, as a backtest drives it: each
 * market event reaches the venue, then the account events due, then the strategy; every book
 * update is a loop whose batch goes to the venue at once.
 */
class SimHarness {
  readonly venue = new SimVenue({ assets: { BTC: { assetId: 0, szDecimals: 5 } } });
  /** Account events the strategy received, by type ('reject:<kind>' for rejects). */
  readonly answers = new Map<string, number>();

  constructor(readonly maker: MarketMaker) {}

  feed(event: MarketEvent): void {
    this.venue.onMarketEvent(event);
    this.deliver(event.localTs);
    this.maker.onMarketEvent(event);
    if (event.type !== 'book') return;
    this.venue.submit(this.maker.step(event.localTs).actions, event.localTs);
    this.venue.advanceTo(event.localTs);
    this.deliver(event.localTs);
  }

  private deliver(now: number): void {
    for (const event of this.venue.drainAccountEvents(now)) {
      const key = event.type === 'reject' ? `reject:${event.kind}` : event.type;
      this.answers.set(key, (this.answers.get(key) ?? 0) + 1);
      this.maker.onAccountEvent(event, now);
    }
  }
}

describe('MarketMaker against the simulated venue', () => {
  it('closes a position larger than the touch on kill: IOCs walk down the book on valid prices until flat', () => {
    const sim = new SimHarness(newMaker({ size_notional_usd: 100 }));
    // Only 0.0004 BTC at the best bid: the first IOC cannot close 0.001 BTC there.
    const thinTouch = (ts: number): BookSnapshotEvent => {
      const event = bookAround(100_000, 2, ts, 30);
      event.bidSz[0] = 0.0004;
      return event;
    };
    let ts = 0;
    for (; ts <= 3_000; ts += BOOK_EVERY_MS) sim.feed(thinTouch(ts));
    // A seller sweeps below our closest bid (99 980): it fills all 0.001 BTC of it.
    sim.feed({ type: 'trade', coin: 'BTC', exchTs: ts, localTs: ts, px: 99_975, sz: 0.5, side: 'ask' });
    expect(sim.venue.position('BTC')).toBeCloseTo(0.001, 12);

    sim.maker.setKillSwitch(true);
    for (let i = 0; i < 10; i++) sim.feed(thinTouch((ts += BOOK_EVERY_MS)));

    expect(sim.venue.position('BTC')).toBe(0);
    expect(sim.maker.ledger.coin('BTC').position).toBe(0);
    // 0.0004 at the touch (99 999); the retry, one step down the chain (99 980), finds the touch
    // still taken while the books repeat it, and takes the last 0.0006 at 99 998.
    expect(sim.maker.ledger.coin('BTC').takerFills).toBe(2);
    expect(sim.maker.ledger.coin('BTC').realizedPnl).toBeCloseTo(0.0004 * 19 + 0.0006 * 18, 9);
    expect(sim.venue.openOrders('BTC')).toEqual([]);
    expect(sim.answers.get('reject:tick')).toBeUndefined();
  });

  it('trades a synthetic BTC market: fills happen, the ledger position follows the venue, and the kill switch leaves it flat', () => {
    const sim = new SimHarness(
      newMaker({
        // Tight and fee-free so that ten minutes of a quiet synthetic market give fills.
        base_spread_bps: 0.5,
        vol_multiplier: 0,
        min_spread_bps: 0.5,
        max_spread_bps: 5,
        min_spread_guard_enabled: false,
        maker_fee: 0,
        num_levels: 2,
        level_spacing_bps: 0.5,
        size_notional_usd: 20,
      }),
    );
    const startMs = 1_700_000_000_000;
    const killAt = startMs + 10 * 60_000;
    let loops = 0;
    for (const event of syntheticL2Market({ seed: 7, coin: 'BTC', startMs, durationMs: 11 * 60_000 })) {
      if (event.localTs >= killAt) sim.maker.setKillSwitch(true);
      sim.feed(event);
      if (event.type !== 'book') continue;
      loops++;
      expect(sim.maker.ledger.coin('BTC').position).toBeCloseTo(sim.venue.position('BTC'), 9);
      expect(sim.venue.openOrders('BTC').length).toBeLessThanOrEqual(4);
    }

    expect(loops).toBeGreaterThan(1_000);
    const ledger = sim.maker.ledger.coin('BTC');
    expect(ledger.makerFills).toBeGreaterThan(50);
    expect(sim.answers.get('fill')).toBeGreaterThanOrEqual(ledger.makerFills);
    for (const kind of ['tick', 'lot', 'minNotional', 'reduceOnly', 'other']) expect(sim.answers.get(`reject:${kind}`)).toBeUndefined();
    expect(sim.venue.position('BTC')).toBe(0);
    expect(ledger.position).toBeCloseTo(0, 12);
    expect(sim.venue.openOrders('BTC')).toEqual([]);
  });
});

describe('MarketMaker circuit breakers from the config', () => {
  /** Quotes around 100 000, then sees the mid jump 0.5% and steps. */
  function afterHalfPercentJump(settings: Record<string, unknown>) {
    const { maker, now } = quotingMaker(settings);
    maker.onMarketEvent(bookAround(100_500, 2, now + 100));
    return { result: maker.step(now + 100), status: btcStatus(maker) };
  }

  it('keeps quoting through a 0.5% jump under the seed thresholds (1% widens, 3% cancels)', () => {
    const { result } = afterHalfPercentJump({});
    expect(result.events.map((event) => event.message).join('\n')).not.toContain('price moved');
  });

  it('cancels on the same jump when breaker_cancel_move_pct is 0.4%, for breaker_cancel_cooldown_sec', () => {
    const { result } = afterHalfPercentJump({ breaker_cancel_move_pct: 0.004, breaker_cancel_cooldown_sec: 30 });
    expect(result.actions.length).toBeGreaterThan(0);
    expect(result.actions.every((action) => action.kind === 'cancel')).toBe(true);
    expect(result.events.map((event) => event.message).join('\n')).toContain('price moved 0.5% within 300 s (beyond 0.4%): orders cancelled until 1970-01-01T00:00:32.100Z');
  });

  it('widens instead when only breaker_widen_move_pct is lowered, by breaker_widen_multiplier', () => {
    const { result } = afterHalfPercentJump({ breaker_widen_move_pct: 0.004, breaker_widen_multiplier: 5 });
    expect(result.events.map((event) => event.message).join('\n')).toContain('price moved 0.5% within 60 s (beyond 0.4%): spread x5 until');
  });
});
