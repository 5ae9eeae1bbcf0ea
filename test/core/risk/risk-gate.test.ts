import { describe, expect, it } from 'vitest';
import { CoinLedger } from '../../../src/core/ledger.js';
import { RiskGate } from '../../../src/core/risk/risk-gate.js';
import { BOT_PARAMS, COIN_PARAMS, T0, coin, exposure, inputs, messages, only } from './gate-fixtures.js';

const MINUTE = 60_000;

describe('RiskGate: a quiet market', () => {
  it('quotes both sides with no actions, no events and neutral multipliers', () => {
    const decision = new RiskGate().evaluate(inputs(T0), T0);
    expect(decision.state).toBe('ACTIVE');
    expect(decision.reason).toBe('ok');
    expect(decision.events).toEqual([]);
    expect(only(decision)).toEqual({
      coin: 'BTC',
      state: 'ACTIVE',
      bid: { allowed: true, reduceOnly: false, reason: 'bid: quoting' },
      ask: { allowed: true, reduceOnly: false, reason: 'ask: quoting' },
      spreadMultiplier: 1,
      sizeMultiplier: 1,
      actions: [],
    });
  });

  it('refuses a non-positive starting equity instead of silently skipping the portfolio rules', () => {
    expect(() => new RiskGate().evaluate(inputs(T0, { startingEquity: 0 }), T0)).toThrow(RangeError);
  });
});

describe('RiskGate: per-coin notional cap', () => {
  it('blocks the side that adds to a long at 400 USD and lets the reducing side quote', () => {
    const gate = new RiskGate();
    const below = only(gate.evaluate(inputs(T0, { coins: [coin(T0, { exposure: exposure(3.9999, 100) })] }), T0));
    expect(below.bid.allowed).toBe(true);

    const decision = gate.evaluate(inputs(T0, { coins: [coin(T0, { exposure: exposure(4.12, 100) })] }), T0 + 1);
    expect(only(decision).bid).toEqual({
      allowed: false,
      reduceOnly: false,
      reason: 'bid: per-coin notional cap 400 USD reached (412 USD long)',
    });
    expect(only(decision).ask.reason).toBe('ask: quoting');
    expect(only(decision).state).toBe('ACTIVE');
    expect(decision.events).toEqual([
      { ts: T0 + 1, severity: 'info', kind: 'coin_cap', coin: 'BTC', message: 'bid: per-coin notional cap 400 USD reached (412 USD long)' },
    ]);

    const cleared = gate.evaluate(inputs(T0, { coins: [coin(T0, { exposure: exposure(3.8, 100) })] }), T0 + 2);
    expect(only(cleared).bid.allowed).toBe(true);
    expect(messages(cleared)).toEqual(['coin_cap: cleared: per-coin notional 380 USD long below cap 400 USD']);
  });

  it('blocks the ask of a short beyond the cap', () => {
    const decision = only(new RiskGate().evaluate(inputs(T0, { coins: [coin(T0, { exposure: exposure(-4.0001, 100) })] }), T0));
    expect(decision.ask.reason).toBe('ask: per-coin notional cap 400 USD reached (400.01 USD short)');
    expect(decision.bid.allowed).toBe(true);
  });
});

describe('RiskGate: gross notional cap', () => {
  const params = { ...COIN_PARAMS, max_per_coin_notional: 1000 };
  const book = (now: number, name: string, position: number) => coin(now, { coin: name, params, exposure: exposure(position, 100) });

  it('blocks every side that adds exposure once the bot holds 800 USD gross, flat coins on both sides', () => {
    const gate = new RiskGate();
    const under = gate.evaluate(inputs(T0, { coins: [book(T0, 'BTC', 4), book(T0, 'ETH', -3.9999)] }), T0);
    expect(under.coins.every((c) => c.bid.allowed && c.ask.allowed)).toBe(true);

    const over = gate.evaluate(
      inputs(T0, { coins: [book(T0, 'BTC', 4.05), book(T0, 'ETH', -4), book(T0, 'SOL', 0)] }),
      T0 + 1,
    );
    const [btc, eth, sol] = over.coins;
    expect(btc!.bid.reason).toBe('bid: gross notional cap 800 USD reached (805 USD)');
    expect(btc!.ask.allowed).toBe(true);
    expect(eth!.ask.allowed).toBe(false);
    expect(eth!.bid.allowed).toBe(true);
    expect(sol!.bid.allowed || sol!.ask.allowed).toBe(false);
    expect(messages(over)).toEqual(['gross_cap: gross notional cap 800 USD reached (805 USD)']);
  });
});

describe('RiskGate: margin cap on resting orders (10x, 20% of 1000 USD free collateral = 200 USD margin)', () => {
  it('strict: allows exactly 2000 USD of orders and refuses both sides beyond', () => {
    const gate = new RiskGate();
    const strict = { ...BOT_PARAMS, margin_cap_mode: 'strict' as const };
    expect(only(gate.evaluate(inputs(T0, { params: strict, desiredOrderNotional: 2000 }), T0)).bid.allowed).toBe(true);

    const over = gate.evaluate(inputs(T0, { params: strict, desiredOrderNotional: 2000.2 }), T0 + 1);
    const reason = 'margin cap: resting orders need 200.02 USD margin at 10x, beyond 20% of free collateral 1000 USD (200 USD)';
    expect(only(over).bid).toEqual({ allowed: false, reduceOnly: false, reason: `bid: ${reason}` });
    expect(only(over).ask.reason).toBe(`ask: ${reason}`);
    expect(only(over).sizeMultiplier).toBe(1);
    expect(messages(over)).toEqual([`margin_cap: ${reason}`]);
  });

  it('auto: scales sizes down so the orders fit, and refuses only when there is no free collateral', () => {
    const gate = new RiskGate();
    const scaled = only(gate.evaluate(inputs(T0, { desiredOrderNotional: 4000 }), T0));
    expect(scaled.sizeMultiplier).toBe(0.5);
    expect(scaled.bid.allowed && scaled.ask.allowed).toBe(true);

    const broke = only(gate.evaluate(inputs(T0, { desiredOrderNotional: 100, freeCollateral: -5 }), T0 + 1));
    expect(broke.sizeMultiplier).toBe(0);
    expect(broke.bid.allowed || broke.ask.allowed).toBe(false);
  });

  it('off: ignores the cap', () => {
    const off = { ...BOT_PARAMS, margin_cap_mode: 'off' as const };
    const decision = new RiskGate().evaluate(inputs(T0, { params: off, desiredOrderNotional: 1e9, freeCollateral: 0 }), T0);
    expect(only(decision).sizeMultiplier).toBe(1);
    expect(only(decision).bid.allowed).toBe(true);
    expect(decision.events).toEqual([]);
  });
});

describe('RiskGate: daily loss limit (50 USD, UTC days)', () => {
  it('halts beyond the limit until the next UTC midnight even if equity recovers, then measures from the new day', () => {
    const gate = new RiskGate();
    gate.evaluate(inputs(T0, { equity: 1000 }), T0);
    expect(gate.evaluate(inputs(T0, { equity: 950 }), T0 + 1).state).toBe('ACTIVE');

    const halted = gate.evaluate(inputs(T0, { equity: 949.99 }), T0 + 2);
    const reason = 'daily loss 50.01 USD beyond max_daily_loss 50 USD; halted until 2024-01-02T00:00:00Z';
    expect(halted.state).toBe('HALTED');
    expect(halted.reason).toBe(reason);
    expect(only(halted).bid.reason).toBe(`bid: ${reason}`);
    expect(only(halted).actions).toEqual([{ kind: 'cancelAll', coin: 'BTC', reason }]);
    expect(halted.events).toEqual([
      { ts: T0 + 2, severity: 'critical', kind: 'daily_loss', coin: null, message: reason },
      { ts: T0 + 2, severity: 'critical', kind: 'state', coin: null, message: `ACTIVE -> HALTED: ${reason}` },
    ]);

    const lastMs = Date.UTC(2024, 0, 1, 23, 59, 59, 999);
    expect(gate.evaluate(inputs(lastMs, { equity: 1010 }), lastMs).state).toBe('HALTED');

    const midnight = Date.UTC(2024, 0, 2);
    const nextDay = gate.evaluate(inputs(midnight, { equity: 1010 }), midnight);
    expect(nextDay.state).toBe('ACTIVE');
    expect(messages(nextDay)[0]).toBe('daily_loss: cleared: daily loss halt lifted: new UTC day 2024-01-02');

    expect(gate.evaluate(inputs(midnight, { equity: 960 }), midnight + 1).state).toBe('ACTIVE');
    expect(gate.evaluate(inputs(midnight, { equity: 959.98 }), midnight + 2).reason).toBe(
      'daily loss 50.02 USD beyond max_daily_loss 50 USD; halted until 2024-01-03T00:00:00Z',
    );
  });
});

describe('RiskGate: portfolio pause (-8%) and emergency stop (-15%)', () => {
  const params = { ...BOT_PARAMS, max_daily_loss: 1e9 };
  const long = (now: number) => [coin(now, { exposure: exposure(1, 100) })];

  it('goes REDUCING at exactly -8%: only the side that shrinks the position quotes, reduce-only', () => {
    const gate = new RiskGate();
    expect(gate.evaluate(inputs(T0, { params, equity: 920.01, coins: long(T0) }), T0).state).toBe('ACTIVE');

    const paused = gate.evaluate(inputs(T0, { params, equity: 920, coins: long(T0) }), T0 + 1);
    const reason = 'portfolio return -8% at or below portfolio_pause_threshold_pct -8%';
    expect(paused.state).toBe('REDUCING');
    expect(only(paused).bid).toEqual({ allowed: false, reduceOnly: false, reason: `bid: reduce only: ${reason}` });
    expect(only(paused).ask).toEqual({ allowed: true, reduceOnly: true, reason: `ask: reduce only: ${reason}` });
    expect(only(paused).actions).toEqual([]);
    expect(messages(paused)[0]).toBe(`portfolio_pause: ${reason}: reduce only`);

    const flat = only(gate.evaluate(inputs(T0, { params, equity: 920 }), T0 + 2));
    expect(flat.bid.allowed || flat.ask.allowed).toBe(false);

    const resumed = gate.evaluate(inputs(T0, { params, equity: 930 }), T0 + 3);
    expect(resumed.state).toBe('ACTIVE');
    expect(messages(resumed)).toContain('portfolio_pause: cleared: portfolio return -7% above portfolio_pause_threshold_pct -8%');
  });

  it('halts at exactly -15%, cancels everything and closes every position with an IOC chain', () => {
    const gate = new RiskGate();
    expect(gate.evaluate(inputs(T0, { params, equity: 850.01, coins: long(T0) }), T0).state).toBe('REDUCING');

    const stopped = gate.evaluate(inputs(T0, { params, equity: 850, coins: long(T0) }), T0 + 1);
    const reason = 'emergency stop: portfolio return -15% at or below emergency_stop_loss_pct -15%';
    expect(stopped.state).toBe('HALTED');
    const [cancel, close] = only(stopped).actions;
    expect(cancel).toMatchObject({ kind: 'cancelAll', coin: 'BTC' });
    expect(close).toMatchObject({ kind: 'reduce', coin: 'BTC', side: 'ask', sz: 1, tif: 'Ioc', cause: 'emergency_stop', reason });
    expect(close?.kind === 'reduce' && close.pxChain[0]).toBe(99.99);
    expect(messages(stopped)[0]).toBe(`emergency_stop: ${reason}: cancel all orders and close all positions`);

    const recovered = gate.evaluate(inputs(T0, { params, equity: 860 }), T0 + 2);
    expect(recovered.state).toBe('REDUCING');
    expect(messages(recovered)[0]).toBe('emergency_stop: cleared: portfolio return -14% above emergency_stop_loss_pct -15%');
  });
});

describe('RiskGate: kill switch', () => {
  it('halts with cancel-all and close-all while engaged, and resumes when released', () => {
    const gate = new RiskGate();
    const short = [coin(T0, { exposure: exposure(-2, 100) })];
    const killed = gate.evaluate(inputs(T0, { killSwitch: true, coins: short }), T0);
    expect(killed.state).toBe('HALTED');
    expect(killed.reason).toBe('kill switch engaged');
    expect(only(killed).actions).toEqual([
      { kind: 'cancelAll', coin: 'BTC', reason: 'kill switch engaged' },
      {
        kind: 'reduce',
        coin: 'BTC',
        side: 'bid',
        sz: 2,
        tif: 'Ioc',
        pxChain: [100.01, 100.01 * (1 + 0.0002), 100.01 * (1 + 0.0004), 100.01 * (1 + 0.0006)],
        cause: 'kill_switch',
        reason: 'kill switch engaged',
      },
    ]);
    expect(messages(killed)[0]).toBe('kill_switch: kill switch engaged: cancel all orders and close all positions');

    const released = gate.evaluate(inputs(T0, { killSwitch: false }), T0 + 1);
    expect(released.state).toBe('ACTIVE');
    expect(messages(released)).toEqual(['kill_switch: cleared: kill switch released', 'state: HALTED -> ACTIVE: ok']);
  });
});

describe('RiskGate: per-coin bailout (partial 30 bps after 90 s, full 60 bps or 180 s)', () => {
  const underwater = (now: number, maeBps: number, episode = 1) =>
    inputs(now, { coins: [coin(now, { mid: 99, exposure: exposure(3, 100, { maeBps, underwaterSinceTs: T0, episode }) })] });

  it('takes a partial bailout once per position, at 30 bps after 90 s underwater', () => {
    const gate = new RiskGate();
    expect(only(gate.evaluate(underwater(T0 + 89_999, 35), T0 + 89_999)).actions).toEqual([]);
    expect(only(gate.evaluate(underwater(T0 + 90_000, 29.9), T0 + 90_000)).actions).toEqual([]);

    const partial = gate.evaluate(underwater(T0 + 90_000, 30), T0 + 90_000);
    const reason =
      'partial bailout: adverse excursion 30 bps reached bailout_partial_mae_bps 30 bps after 90 s underwater; closing 33% of the position';
    expect(only(partial).actions).toEqual([
      expect.objectContaining({ kind: 'reduce', side: 'ask', sz: 0.99, tif: 'Ioc', cause: 'bailout_partial', reason }),
    ]);
    expect(partial.events).toEqual([{ ts: T0 + 90_000, severity: 'warning', kind: 'bailout_partial', coin: 'BTC', message: reason }]);
    expect(only(partial).state).toBe('ACTIVE');

    expect(only(gate.evaluate(underwater(T0 + 100_000, 40), T0 + 100_000)).actions).toEqual([]);
    const nextPosition = only(gate.evaluate(underwater(T0 + 100_001, 40, 2), T0 + 100_001));
    expect(nextPosition.actions).toHaveLength(1);
  });

  it('closes in full at 60 bps and keeps closing, reduce-only, until the position is flat', () => {
    const gate = new RiskGate();
    expect(only(gate.evaluate(underwater(T0 + 1000, 59.9), T0 + 1000)).actions).toEqual([]);

    const full = gate.evaluate(underwater(T0 + 2000, 60), T0 + 2000);
    const reason = 'full bailout: adverse excursion 60 bps reached bailout_full_mae_bps 60 bps';
    expect(only(full).state).toBe('REDUCING');
    expect(only(full).actions).toEqual([expect.objectContaining({ kind: 'reduce', side: 'ask', sz: 3, cause: 'bailout_full', reason })]);
    expect(only(full).bid.reason).toBe(`bid: reduce only: ${reason}`);
    expect(only(full).ask).toEqual({ allowed: true, reduceOnly: true, reason: `ask: reduce only: ${reason}` });
    expect(messages(full)).toEqual([`bailout_full: ${reason}: closing the position`, `state: ACTIVE -> REDUCING: ${reason}`]);

    const recovered = [coin(T0, { mid: 101, exposure: exposure(1, 100, { maeBps: 60, underwaterSinceTs: null }) })];
    expect(only(gate.evaluate(inputs(T0, { coins: recovered }), T0 + 3000)).actions).toEqual([
      expect.objectContaining({ sz: 1, cause: 'bailout_full' }),
    ]);

    const flat = gate.evaluate(inputs(T0), T0 + 4000);
    expect(only(flat).state).toBe('ACTIVE');
    expect(messages(flat)).toEqual(['bailout_full: cleared: full bailout finished: position closed', 'state: REDUCING -> ACTIVE: ok']);
  });

  it('closes in full after 180 s underwater whatever the excursion', () => {
    const gate = new RiskGate();
    const shallow = (now: number) =>
      inputs(now, { coins: [coin(now, { mid: 99.9, exposure: exposure(-1, 99.8, { maeBps: 10, underwaterSinceTs: T0 }) })] });
    expect(only(gate.evaluate(shallow(T0 + 179_999), T0 + 179_999)).actions).toEqual([]);
    const full = only(gate.evaluate(shallow(T0 + 180_000), T0 + 180_000));
    expect(full.actions).toEqual([
      expect.objectContaining({
        side: 'bid',
        sz: 1,
        cause: 'bailout_full',
        reason: 'full bailout: underwater for 180 s reached bailout_full_max_seconds 180 s',
      }),
    ]);
  });

  it('reads a CoinLedger directly as the exposure', () => {
    const ledger = new CoinLedger();
    ledger.applyFill({ side: 'bid', px: 100, sz: 2, fee: 0.03, maker: true, ts: T0 });
    ledger.mark(99.65, T0 + 1000);
    const gate = new RiskGate();
    const evaluateAt = (now: number) => only(gate.evaluate(inputs(now, { coins: [coin(now, { mid: 99.65, exposure: ledger })] }), now));
    expect(evaluateAt(T0 + 90_999).actions).toEqual([]);
    expect(evaluateAt(T0 + 91_000).actions).toEqual([expect.objectContaining({ cause: 'bailout_partial', sz: 0.66 })]);
  });
});

describe('RiskGate: take-profit (30 bps and 25 USD)', () => {
  const longAt = (mid: number, position = 100, params = COIN_PARAMS) => [coin(T0, { mid, params, exposure: exposure(position, 100) })];

  it('needs both thresholds: 30 bps and 25 USD', () => {
    const gate = new RiskGate();
    expect(only(gate.evaluate(inputs(T0, { coins: longAt(100.29) }), T0)).actions).toEqual([]);
    expect(only(gate.evaluate(inputs(T0, { coins: longAt(100.31, 80) }), T0)).actions).toEqual([]);
    const taking = gate.evaluate(inputs(T0, { coins: longAt(100.31) }), T0);
    const reason = 'take-profit: gain 31 bps and 31 USD reached take_profit_min_bps 30 bps and take_profit_min_usd 25 USD';
    expect(only(taking).actions).toEqual([expect.objectContaining({ side: 'ask', sz: 100, cause: 'take_profit', reason })]);
    expect(messages(taking)).toEqual([`take_profit: ${reason}`]);

    const gone = gate.evaluate(inputs(T0, { coins: longAt(100.2) }), T0 + 1);
    expect(only(gone).actions).toEqual([]);
    expect(messages(gone)).toEqual(['take_profit: cleared: take-profit no longer sent']);
  });

  it('sends an IOC chain from the bid toward the slippage cap when enhanced, else a reduce-only Alo at the ask', () => {
    const enhanced = only(new RiskGate().evaluate(inputs(T0, { coins: longAt(100.5) }), T0)).actions[0]!;
    expect(enhanced).toMatchObject({ tif: 'Ioc' });
    const chain = enhanced.kind === 'reduce' ? enhanced.pxChain : [];
    expect(chain[0]).toBe(100.49);
    expect(chain.at(-1)).toBeCloseTo(100.49 * (1 - 0.0006), 9);

    const plain = { ...COIN_PARAMS, enhanced_take_profit_enabled: false };
    const limit = only(new RiskGate().evaluate(inputs(T0, { coins: longAt(100.5, 100, plain) }), T0)).actions[0];
    expect(limit).toMatchObject({ kind: 'reduce', side: 'ask', tif: 'Alo', pxChain: [100.51], cause: 'take_profit' });
  });

  it('emergency take-profit closes at 25 USD unrealized regardless of bps, when enabled', () => {
    const params = { ...COIN_PARAMS, emergency_take_profit_enabled: true };
    const gate = new RiskGate();
    const shortAt = (mid: number) => [coin(T0, { mid, params, exposure: exposure(-1000, 100) })];
    expect(only(gate.evaluate(inputs(T0, { coins: shortAt(99.97501) }), T0)).actions).toEqual([]);
    const decision = only(gate.evaluate(inputs(T0, { coins: shortAt(99.97499) }), T0 + 1));
    expect(decision.actions).toEqual([
      expect.objectContaining({ side: 'bid', sz: 1000, tif: 'Ioc', cause: 'emergency_take_profit' }),
    ]);
  });
});

describe('RiskGate: price-move circuit breakers', () => {
  it('widens the spread x3 for 5 minutes after a move beyond 1% within a minute', () => {
    const gate = new RiskGate();
    const at = (now: number, mid: number) => gate.evaluate(inputs(now, { coins: [coin(now, { mid })] }), now);
    at(T0, 100);
    expect(only(at(T0 + 30_000, 100.99)).spreadMultiplier).toBe(1);

    const tripped = at(T0 + 31_000, 101.01);
    expect(only(tripped).spreadMultiplier).toBe(3);
    expect(only(tripped).bid.allowed).toBe(true);
    expect(messages(tripped)).toEqual([
      'price_move_widen: price moved 1.01% within 60 s (beyond 1%): spread x3 until 2024-01-01T12:05:31Z',
    ]);

    expect(only(at(T0 + 31_000 + 5 * MINUTE - 1, 101.01)).spreadMultiplier).toBe(3);
    const expired = at(T0 + 31_000 + 5 * MINUTE, 101.01);
    expect(only(expired).spreadMultiplier).toBe(1);
    expect(messages(expired)).toEqual(['price_move_widen: cleared: spread widening expired after 300 s']);
  });

  it('ignores a move between mids more than a minute apart', () => {
    const gate = new RiskGate();
    gate.evaluate(inputs(T0, { coins: [coin(T0, { mid: 100 })] }), T0);
    const later = T0 + 61_000;
    expect(only(gate.evaluate(inputs(later, { coins: [coin(later, { mid: 102 })] }), later)).spreadMultiplier).toBe(1);
  });

  it('cancels the coin for 15 minutes after a move beyond 3% within 5 minutes', () => {
    const gate = new RiskGate();
    const at = (now: number, mid: number) => gate.evaluate(inputs(now, { coins: [coin(now, { mid })] }), now);
    at(T0, 100);
    expect(only(at(T0 + 4 * MINUTE, 102.99)).state).toBe('ACTIVE');

    const tripped = at(T0 + 4 * MINUTE + 1000, 103.01);
    const reason = 'price moved 3.01% within 300 s (beyond 3%): orders cancelled until 2024-01-01T12:19:01Z';
    expect(tripped.state).toBe('ACTIVE');
    expect(only(tripped).state).toBe('HALTED');
    expect(only(tripped).actions).toEqual([{ kind: 'cancelAll', coin: 'BTC', reason }]);
    expect(only(tripped).ask.reason).toBe(`ask: ${reason}`);

    const end = T0 + 4 * MINUTE + 1000 + 15 * MINUTE;
    expect(only(at(end - 1, 103.01)).state).toBe('HALTED');
    const expired = at(end, 103.01);
    expect(only(expired).state).toBe('ACTIVE');
    expect(messages(expired)).toEqual([
      'price_move_cancel: cleared: price-move cancel expired after 900 s',
      'state: HALTED -> ACTIVE: ok',
    ]);
  });
});

describe('RiskGate: API error burst (more than 5 within a minute pauses 2 minutes)', () => {
  it('pauses at the sixth error within 60 s and resumes 2 minutes after the trip', () => {
    const gate = new RiskGate();
    expect(gate.evaluate(inputs(T0, { newApiErrors: 5 }), T0).state).toBe('ACTIVE');
    const tripAt = T0 + 59_999;
    const paused = gate.evaluate(inputs(tripAt, { newApiErrors: 1 }), tripAt);
    const reason = '6 API errors within 60 s (more than 5): paused until 2024-01-01T12:02:59.999Z';
    expect(paused.state).toBe('HALTED');
    expect(only(paused).actions).toEqual([{ kind: 'cancelAll', coin: 'BTC', reason }]);

    expect(gate.evaluate(inputs(tripAt + 2 * MINUTE - 1), tripAt + 2 * MINUTE - 1).state).toBe('HALTED');
    const resumed = gate.evaluate(inputs(tripAt + 2 * MINUTE), tripAt + 2 * MINUTE);
    expect(resumed.state).toBe('ACTIVE');
    expect(messages(resumed)[0]).toBe('api_errors: cleared: API error pause of 120 s expired');
  });

  it('does not count errors a full minute old', () => {
    const gate = new RiskGate();
    gate.evaluate(inputs(T0, { newApiErrors: 5 }), T0);
    expect(gate.evaluate(inputs(T0 + MINUTE, { newApiErrors: 1 }), T0 + MINUTE).state).toBe('ACTIVE');
  });

  it('sends no closing orders while paused, even for the kill switch', () => {
    const gate = new RiskGate();
    const position = [coin(T0, { exposure: exposure(1, 100) })];
    const decision = gate.evaluate(inputs(T0, { newApiErrors: 6, killSwitch: true, coins: position }), T0);
    expect(only(decision).actions.map((a) => a.kind)).toEqual(['cancelAll']);
  });
});

describe('RiskGate: stale book', () => {
  it('cancels the coin when its book is older than stale_book_ms, and quotes again once fresh', () => {
    const gate = new RiskGate();
    const position = exposure(1, 100);
    const aged = (now: number, age: number) => inputs(now, { coins: [coin(now, { lastBookTs: now - age, exposure: position })] });
    expect(only(gate.evaluate(aged(T0, 5000), T0)).state).toBe('ACTIVE');

    const stale = gate.evaluate({ ...aged(T0 + 1, 5001), killSwitch: true }, T0 + 1);
    const reason = 'book stale for 5 s (beyond stale_book_ms 5000 ms)';
    expect(only(stale).state).toBe('HALTED');
    expect(only(stale).actions).toEqual([{ kind: 'cancelAll', coin: 'BTC', reason: `kill switch engaged; ${reason}` }]);
    expect(messages(stale)).toContain(`stale_book: ${reason}: cancel all until fresh`);

    const fresh = gate.evaluate(aged(T0 + 2, 0), T0 + 2);
    expect(only(fresh).state).toBe('ACTIVE');
    expect(messages(fresh)).toContain('stale_book: cleared: book fresh again');
  });

  it('treats a book with an empty side as unusable', () => {
    const decision = only(new RiskGate().evaluate(inputs(T0, { coins: [coin(T0, { bestAsk: Number.NaN })] }), T0));
    expect(decision.bid.reason).toBe('bid: book not two-sided');
  });
});

describe('RiskGate: decisions shared while nothing changes', () => {
  it('returns the same frozen decision on quiet loops, and a new one when a rule trips or clears', () => {
    const gate = new RiskGate();
    const quiet = gate.evaluate(inputs(T0), T0);
    expect(Object.isFrozen(quiet)).toBe(true);
    expect(Object.isFrozen(only(quiet))).toBe(true);
    expect(gate.evaluate(inputs(T0 + 1), T0 + 1)).toBe(quiet);

    const capped = gate.evaluate(inputs(T0, { coins: [coin(T0 + 2, { exposure: exposure(4.12, 100) })] }), T0 + 2);
    expect(capped).not.toBe(quiet);
    expect(only(capped).bid.allowed).toBe(false);
    expect(messages(capped)).toEqual(['coin_cap: bid: per-coin notional cap 400 USD reached (412 USD long)']);

    const cleared = gate.evaluate(inputs(T0 + 3), T0 + 3);
    expect(only(cleared).bid).toEqual({ allowed: true, reduceOnly: false, reason: 'bid: quoting' });
    expect(messages(cleared)).toEqual(['coin_cap: cleared: per-coin notional 0 USD flat below cap 400 USD']);
    const after = gate.evaluate(inputs(T0 + 4), T0 + 4);
    expect(after).not.toBe(cleared);
    expect(after.events).toEqual([]);
    expect(after.coins[0]).toBe(cleared.coins[0]);
    expect(gate.evaluate(inputs(T0 + 5), T0 + 5)).toBe(after);
  });

  it('keeps a decision with actions or a new multiplier apart from the shared one', () => {
    const gate = new RiskGate();
    const at = (now: number, mid: number, overrides: Parameters<typeof inputs>[1] = {}) =>
      gate.evaluate(inputs(now, { coins: [coin(now, { mid })], ...overrides }), now);
    const quiet = at(T0, 100);
    const widened = at(T0 + 1000, 101.5);
    expect(only(widened).spreadMultiplier).toBe(3);
    const stillWidened = at(T0 + 2000, 101.5);
    expect(stillWidened.events).toEqual([]);
    expect(only(stillWidened)).toBe(only(widened));
    expect(at(T0 + 2500, 101.5)).toBe(stillWidened);
    // 100 USD of orders at 10x need 10 USD margin; 20% of 25 USD free collateral allows 5.
    const scaled = only(at(T0 + 3000, 101.5, { freeCollateral: 25 }));
    expect(scaled.sizeMultiplier).toBe(0.5);
    expect(scaled.spreadMultiplier).toBe(3);
    expect(only(at(T0 + 4000, 101.5)).sizeMultiplier).toBe(1);
    expect(only(quiet).spreadMultiplier).toBe(1);

    const closing = (now: number) =>
      gate.evaluate(inputs(now, { killSwitch: true, coins: [coin(now, { mid: 101.5, exposure: exposure(1, 100) })] }), now);
    const first = closing(T0 + 5000);
    const second = closing(T0 + 6000);
    expect(only(second)).not.toBe(only(first));
    expect(only(second).actions).toHaveLength(2);
  });

  it('shares the decision of a coin that did not change while another coin trips a rule', () => {
    const gate = new RiskGate();
    const both = (now: number, ethMid: number) =>
      gate.evaluate(inputs(now, { coins: [coin(now), coin(now, { coin: 'ETH', mid: ethMid })] }), now);
    const quiet = both(T0, 100);
    const moved = both(T0 + 1000, 102);
    expect(moved.coins[0]).toBe(quiet.coins[0]);
    expect(moved.coins[1]).not.toBe(quiet.coins[1]);
    expect(moved.coins[1]!.spreadMultiplier).toBe(3);
  });
});
