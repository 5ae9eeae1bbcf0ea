import { InPlaceMap } from '../core/in-place-map.js';
import type { RiskSeverity } from '../core/risk/risk-types.js';
import type { AccountEvent, MarketEvent, OrderAction } from '../core/types.js';
import type { Severity } from '../store/schema.js';
import type { StoreWriter } from '../store/writer.js';
import type { MarketMaker, StepResult } from '../strategy/market-maker.js';
import type { BacktestSink } from './backtest-recorder.js';

interface MinuteCounts {
  makerFills: number;
  takerFills: number;
  fees: number;
  ordersPlaced: number;
  ordersCancelled: number;
  spreadBpsSum: number;
  spreadSamples: number;
  netPnlAtStart: number;
}

const SEVERITY: Record<RiskSeverity, Severity> = { info: 'info', warning: 'warning', critical: 'critical' };
const MINUTE_MS = 60_000;

/**
 * Writes a backtest's orders, fills, risk events, book snapshots at each placement and a
 * per-minute PnL snapshot per coin into the store, through the batched writer. Times are
 * simulated times, so a backtest's rows read like a live bot's.
 */
export class StoreSink implements BacktestSink {
  private nextPnlTs = -Infinity;
  private minuteStart = -Infinity;
  private readonly minute = new Map<string, MinuteCounts>();
  private readonly realizedSeen = new Map<string, number>();
  /**
   * The coin of each order (by cloid) until it ends, and of each cancel until it is answered:
   * the venue's answers other than fills do not name the coin. Kept only while open, so that a
   * long backtest does not remember every order it ever placed.
   */
  private readonly orderCoins = new InPlaceMap<string>();
  private readonly cancelCoins = new InPlaceMap<string>();

  constructor(
    private readonly writer: StoreWriter,
    private readonly botId: string,
    private readonly maker: MarketMaker,
  ) {}

  onMarketEvent(_event: MarketEvent, _localNow: number): void {}

  onStep(result: StepResult, now: number): void {
    this.rollMinute(now);
    for (const action of result.actions) this.recordAction(action, now);
    for (const status of this.maker.status()) {
      const spread = Number.isFinite(status.mid) ? this.maker.bookOf(status.coin).spreadBps : NaN;
      if (Number.isFinite(spread)) {
        const counts = this.countsOf(status.coin);
        counts.spreadBpsSum += spread;
        counts.spreadSamples++;
      }
    }
    for (const event of result.events) {
      this.writer.enqueue('system_events', {
        bot_id: this.botId,
        coin: event.coin,
        ts: event.ts,
        severity: SEVERITY[event.severity],
        kind: `risk.${event.kind}`,
        message: event.message,
      });
    }
    if (now >= this.nextPnlTs) {
      this.recordPnl(now);
      this.nextPnlTs = now - (now % MINUTE_MS) + MINUTE_MS;
    }
  }

  onAccountEvent(event: AccountEvent, now: number): void {
    if (event.type === 'funding') {
      this.writer.enqueue('system_events', {
        bot_id: this.botId,
        coin: event.coin,
        ts: event.ts,
        severity: 'info',
        kind: 'funding',
        message: `funding ${event.amount >= 0 ? 'received' : 'paid'} ${Math.abs(event.amount).toFixed(6)} USD at rate ${event.rate}`,
      });
      return;
    }
    const base = { bot_id: this.botId, ts: now, cloid: event.cloid };
    switch (event.type) {
      case 'ack':
        this.writer.enqueue('trades', { ...base, coin: this.coinOfCloid(event.cloid), action: 'ack', oid: event.oid, status: 'resting' });
        break;
      case 'reject':
        this.writer.enqueue('trades', { ...base, coin: this.coinOfCloid(event.cloid), action: 'reject', status: event.kind, message: event.message });
        this.orderCoins.delete(event.cloid);
        break;
      case 'cancelReject':
        this.writer.enqueue('trades', { ...base, coin: this.coinOfCloid(event.cloid), action: 'reject', status: `cancel:${event.kind}`, message: event.message });
        this.cancelCoins.delete(event.cloid);
        break;
      case 'canceled':
        this.writer.enqueue('trades', { ...base, coin: this.coinOfCloid(event.cloid), action: 'canceled', oid: event.oid, status: event.reason });
        this.orderCoins.delete(event.cloid);
        this.cancelCoins.delete(event.cloid);
        break;
      case 'fill': {
        const ledger = this.maker.ledger.coin(event.coin);
        const counts = this.countsOf(event.coin);
        if (event.maker) counts.makerFills++;
        else counts.takerFills++;
        counts.fees += event.fee;
        const signed = event.side === 'bid' ? event.sz : -event.sz;
        this.writer.enqueue('trades', {
          ...base,
          coin: event.coin,
          action: 'fill',
          oid: event.oid,
          side: event.side,
          price: event.px,
          size: event.sz,
          maker: event.maker,
          position_before: ledger.position - signed,
          position_after: ledger.position,
          fee: event.fee,
          status: event.remaining > 0 ? 'partial' : 'filled',
        });
        this.writer.enqueue('fills', {
          bot_id: this.botId,
          coin: event.coin,
          ts: event.ts,
          oid: event.oid,
          cloid: event.cloid,
          tid: event.tid,
          side: event.side,
          price: event.px,
          size: event.sz,
          fee: event.fee,
          maker: event.maker,
          realized_pnl: this.lastRealized(event.coin),
          position_after: ledger.position,
          avg_entry_after: ledger.position === 0 ? null : ledger.avgEntry,
        });
        if (event.remaining <= 0) this.orderCoins.delete(event.cloid);
        break;
      }
    }
  }

  /** Realized PnL of the fill just applied: the change of the coin's realized total since the last fill. */
  private lastRealized(coin: string): number {
    const total = this.maker.ledger.coin(coin).realizedPnl;
    const change = total - (this.realizedSeen.get(coin) ?? 0);
    this.realizedSeen.set(coin, total);
    return change;
  }

  private coinOfCloid(cloid: string): string {
    return this.orderCoins.get(cloid) ?? this.cancelCoins.get(cloid) ?? 'unknown';
  }

  private recordAction(action: OrderAction, now: number): void {
    const coin = action.kind === 'cancel' ? action.coin : action.order.coin;
    if (action.kind === 'cancel') this.countsOf(coin).ordersCancelled++;
    else this.countsOf(coin).ordersPlaced++;
    if (action.kind === 'cancel') {
      this.cancelCoins.set(action.cloid, action.coin);
      this.writer.enqueue('trades', { bot_id: this.botId, coin: action.coin, ts: now, action: 'cancel', cloid: action.cloid });
      return;
    }
    const { order } = action;
    this.orderCoins.set(order.cloid, order.coin);
    const position = this.maker.ledger.coin(order.coin).position;
    this.writer.enqueue('trades', {
      bot_id: this.botId,
      coin: order.coin,
      ts: now,
      action: action.kind,
      cloid: order.cloid,
      side: order.side,
      price: order.px,
      size: order.sz,
      tif: order.tif,
      reduce_only: order.reduceOnly,
      position_before: position,
      message: action.kind === 'modify' ? `replaces ${action.targetCloid}` : null,
    });
    const status = this.maker.status().find((s) => s.coin === order.coin);
    if (status && Number.isFinite(status.mid)) {
      const book = this.maker.bookOf(order.coin);
      this.writer.enqueue('orderbook_snapshots', {
        bot_id: this.botId,
        coin: order.coin,
        ts: now,
        best_bid: book.bestBid,
        best_ask: book.bestAsk,
        bid_size: book.bestBidSize,
        ask_size: book.bestAskSize,
        spread_bps: book.spreadBps,
        mid: book.mid,
        source: 'sim',
        cloid: order.cloid,
      });
    }
  }

  private countsOf(coin: string): MinuteCounts {
    let counts = this.minute.get(coin);
    if (!counts) {
      counts = { makerFills: 0, takerFills: 0, fees: 0, ordersPlaced: 0, ordersCancelled: 0, spreadBpsSum: 0, spreadSamples: 0, netPnlAtStart: this.netPnl(coin) };
      this.minute.set(coin, counts);
    }
    return counts;
  }

  private netPnl(coin: string): number {
    const ledger = this.maker.ledger.coin(coin);
    const mark = ledger.markPx;
    const unrealized = Number.isFinite(mark) ? ledger.unrealizedPnl(mark) : 0;
    return ledger.realizedPnl + unrealized - ledger.fees + ledger.funding;
  }

  finish(): void {
    this.writeMinute();
  }

  private rollMinute(now: number): void {
    const start = now - (now % MINUTE_MS);
    if (start === this.minuteStart) return;
    this.writeMinute();
    this.minuteStart = start;
  }

  /** Writes one performance_metrics row per coin for the minute being aggregated. */
  private writeMinute(): void {
    if (this.minuteStart !== -Infinity) {
      for (const [coin, counts] of this.minute) {
        const fills = counts.makerFills + counts.takerFills;
        this.writer.enqueue('performance_metrics', {
          bot_id: this.botId,
          coin,
          ts: this.minuteStart,
          maker_fills: counts.makerFills,
          taker_fills: counts.takerFills,
          maker_ratio: fills > 0 ? counts.makerFills / fills : null,
          pnl: this.netPnl(coin) - counts.netPnlAtStart,
          fees: counts.fees,
          orders_placed: counts.ordersPlaced,
          orders_cancelled: counts.ordersCancelled,
          avg_spread_bps: counts.spreadSamples > 0 ? counts.spreadBpsSum / counts.spreadSamples : null,
        });
      }
      this.minute.clear();
    }
  }

  private recordPnl(now: number): void {
    for (const status of this.maker.status()) {
      const ledger = this.maker.ledger.coin(status.coin);
      const mark = Number.isFinite(status.mid) ? status.mid : null;
      this.writer.enqueue('pnl_tracking', {
        bot_id: this.botId,
        coin: status.coin,
        ts: now,
        position: ledger.position,
        avg_entry: ledger.position === 0 ? null : ledger.avgEntry,
        mark_price: mark,
        notional: mark === null ? null : Math.abs(ledger.position) * mark,
        realized_pnl: ledger.realizedPnl,
        unrealized_pnl: mark === null ? null : ledger.unrealizedPnl(mark),
        fees: ledger.fees,
        funding: ledger.funding,
      });
    }
  }
}
