import { describe, expect, it } from 'vitest';
import type { RiskAction } from '../../src/core/risk/risk-types.js';
import type { AccountEvent, OrderAction, OrderRequest } from '../../src/core/types.js';
import { CloidSequence } from '../../src/strategy/cloid.js';
import { CloseExecutor } from '../../src/strategy/close-executor.js';

type ReduceAction = Extract<RiskAction, { kind: 'reduce' }>;

/** Selling 0.5 ETH: from the best bid 3000 down to 6 bps below it in three steps. */
function sellEth(overrides: Partial<ReduceAction> = {}): ReduceAction {
  return {
    kind: 'reduce',
    coin: 'ETH',
    side: 'ask',
    sz: 0.5,
    tif: 'Ioc',
    pxChain: [3000, 2999.4, 2998.8, 2998.2],
    cause: 'kill_switch',
    reason: 'kill switch engaged',
    ...overrides,
  };
}

const toLot = (sz: number): number => Math.floor(sz * 1e4) / 1e4;

function newExecutor(): CloseExecutor {
  return new CloseExecutor(new CloidSequence('eth-maker:close'));
}

function orderOf(action: OrderAction | undefined): OrderRequest {
  if (action?.kind !== 'place') throw new Error(`expected a place, got ${JSON.stringify(action)}`);
  return action.order;
}

function iocCanceled(order: OrderRequest): AccountEvent {
  return { type: 'canceled', ts: 0, cloid: order.cloid, oid: 1, reason: 'ioc' };
}

function fillOf(order: OrderRequest, sz: number, remaining: number): AccountEvent {
  const { cloid, coin, side, px } = order;
  return { type: 'fill', ts: 0, cloid, oid: 1, coin, side, px, sz, fee: 0.1, maker: false, remaining, tid: 1 };
}

describe('CloseExecutor', () => {
  it('sends a reduce-only IOC at the touch for the rounded size', () => {
    const executor = newExecutor();
    const order = orderOf(executor.act(sellEth({ sz: 0.123456 }), toLot));
    expect(order).toMatchObject({ coin: 'ETH', side: 'ask', px: 3000, sz: 0.1234, tif: 'Ioc', reduceOnly: true });
    expect(order.cloid).toMatch(/^0x[0-9a-f]{32}$/);
    expect(executor.owns(order.cloid)).toBe(true);
    expect(executor.owns('0x' + '0'.repeat(32))).toBe(false);
  });

  it('sends one IOC per coin at a time: nothing more until the venue answers the one in flight', () => {
    const executor = newExecutor();
    const first = orderOf(executor.act(sellEth(), toLot));
    expect(executor.act(sellEth(), toLot)).toBeUndefined();
    executor.apply({ type: 'ack', ts: 0, cloid: first.cloid, oid: 1 });
    expect(executor.act(sellEth(), toLot)).toBeUndefined();

    // Another coin is independent.
    const btc = orderOf(executor.act(sellEth({ coin: 'BTC', pxChain: [100_000] }), toLot));
    expect(btc.coin).toBe('BTC');

    executor.apply(iocCanceled(first));
    expect(executor.act(sellEth(), toLot)).toBeDefined();
  });

  it('steps one price further along the chain on each retry, and stays at the slippage cap', () => {
    const executor = newExecutor();
    const prices: number[] = [];
    for (let attempt = 0; attempt < 6; attempt++) {
      const order = orderOf(executor.act(sellEth(), toLot));
      prices.push(order.px);
      executor.apply(iocCanceled(order));
    }
    expect(prices).toEqual([3000, 2999.4, 2998.8, 2998.2, 2998.2, 2998.2]);
  });

  it('keeps a partly filled IOC in flight until its rest is cancelled; a full fill or a reject also ends it', () => {
    const executor = newExecutor();
    const first = orderOf(executor.act(sellEth(), toLot));
    executor.apply(fillOf(first, 0.2, 0.3));
    expect(executor.act(sellEth({ sz: 0.3 }), toLot)).toBeUndefined();
    executor.apply(iocCanceled(first));
    expect(executor.owns(first.cloid)).toBe(false);

    const second = orderOf(executor.act(sellEth({ sz: 0.3 }), toLot));
    expect(second).toMatchObject({ px: 2999.4, sz: 0.3 });
    executor.apply(fillOf(second, 0.3, 0));
    const third = orderOf(executor.act(sellEth({ sz: 0.1 }), toLot));
    executor.apply({ type: 'reject', ts: 0, cloid: third.cloid, kind: 'reduceOnly', message: 'Reduce only order would increase position.' });
    expect(executor.act(sellEth({ sz: 0.1 }), toLot)).toBeDefined();
  });

  it('starts again at the touch when the cause changes or the coin is reset', () => {
    const executor = newExecutor();
    executor.apply(iocCanceled(orderOf(executor.act(sellEth({ cause: 'take_profit' }), toLot))));
    const retry = orderOf(executor.act(sellEth({ cause: 'take_profit' }), toLot));
    expect(retry.px).toBe(2999.4);
    executor.apply(iocCanceled(retry));

    const bailout = orderOf(executor.act(sellEth({ cause: 'bailout_full' }), toLot));
    expect(bailout.px).toBe(3000);
    executor.apply(iocCanceled(bailout));

    executor.reset('ETH');
    expect(orderOf(executor.act(sellEth({ cause: 'bailout_full' }), toLot)).px).toBe(3000);
  });

  it('keeps a close of another cause until the one in flight is answered, then sends it', () => {
    const executor = newExecutor();
    const first = orderOf(executor.act(sellEth(), toLot));
    const bailout = sellEth({ cause: 'bailout_partial', sz: 0.2, reason: 'partial bailout' });
    expect(executor.act(bailout, toLot)).toBeUndefined();
    expect(executor.queuedFor('ETH')).toBe(bailout);
    executor.apply(iocCanceled(first));
    const second = orderOf(executor.act(executor.queuedFor('ETH')!, toLot));
    expect(second.sz).toBe(0.2);
    expect(executor.queuedFor('ETH')).toBeUndefined();
  });

  it('sends nothing for a size below one lot or an empty price chain', () => {
    const executor = newExecutor();
    expect(executor.act(sellEth({ sz: 0.00004 }), toLot)).toBeUndefined();
    expect(executor.act(sellEth({ pxChain: [] }), toLot)).toBeUndefined();
    expect(executor.act(sellEth(), toLot)).toBeDefined();
  });

  it('ignores events for orders it did not send', () => {
    const executor = newExecutor();
    const order = orderOf(executor.act(sellEth(), toLot));
    executor.apply({ type: 'canceled', ts: 0, cloid: '0x' + 'f'.repeat(32), oid: 9, reason: 'ioc' });
    expect(executor.owns(order.cloid)).toBe(true);
    expect(executor.act(sellEth(), toLot)).toBeUndefined();
  });
});
