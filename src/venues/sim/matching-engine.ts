/**
 * Exchange side of the simulated venue for one coin: matches our orders against a recorded
 * L2 book in which we are a small participant. Our orders never change the recorded book; what
 * we take from a displayed level is remembered until the feed shows that level at another size,
 * so one displayed size cannot fill us twice, not even across snapshots that repeat it.
 *
 * Fill rules for a resting order at price P (bids shown; asks mirror):
 * - It joins behind the displayed size at P (nothing ahead when it makes a new level).
 * - A trade at P whose aggressor sells advances it; volume beyond what is ahead fills it.
 * - A trade whose aggressor sells below P fills all of it at P. Trades by buyers are left to
 *   the book: they show the ask at or below P, which the next rule handles.
 * - When the book moves through P (best ask ≤ P) it fills entirely at P: the level traded away.
 * - A displayed size at P that shrinks by more than the trades at P explain lost that much to
 *   cancellations, split ahead/behind by the queue model; size increases join behind.
 * - With `inferExecutionsFromBook` (data without trades), that unexplained shrink counts as
 *   traded volume instead: it consumes what is ahead, and the rest fills us (up to our size).
 * - A price beyond the deepest displayed level is out of view: its size is unknown, not zero.
 *   An order there keeps its place, and one that joined there is put behind whatever the level
 *   shows when it comes into view.
 * A resting order is a maker; an order that crosses on arrival takes displayed liquidity at
 * each level's price as a taker. Our own resting orders count in the post-only check; an
 * order that reaches one of ours on the other side cancels it (self-trade prevention, "expire
 * maker", the exchange's selfTradeCanceled) with no fill. Simplification: two of our orders at
 * one price do not queue behind each other.
 */
import { L2Book } from '../../core/book.js';
import { InPlaceMap } from '../../core/in-place-map.js';
import { priceRules, type PriceRules } from '../../core/price-rules.js';
import type {
  AccountEvent,
  BookDeltaEvent,
  BookSnapshotEvent,
  FundingEvent,
  OrderRequest,
  RejectKind,
  Side,
  TradeEvent,
} from '../../core/types.js';
import { exchangeErrors } from './exchange-errors.js';
import { tradeFee, type FeeSchedule } from './fees.js';
import type { QueueModel } from './queue-models.js';

/** Fraction of a lot below which leftover liquidity is float noise. */
const LOT_SLACK = 1e-9;

export interface MatchingEngineConfig {
  readonly coin: string;
  readonly assetId: number;
  readonly szDecimals: number;
  readonly fees: FeeSchedule;
  readonly queueModel: QueueModel;
  readonly inferExecutionsFromBook: boolean;
  /** Order and trade ids, shared by all coins of a venue. */
  readonly nextOid: () => number;
  readonly nextTid: () => number;
  /** Receives every account event at the exchange time it happens. */
  readonly emit: (event: AccountEvent) => void;
}

export interface OpenOrder {
  readonly cloid: string;
  readonly oid: number;
  readonly coin: string;
  readonly side: Side;
  readonly px: number;
  /** Size still resting. */
  readonly sz: number;
  readonly reduceOnly: boolean;
  /** Estimated displayed size ahead of the order at its price; Infinity while not known. */
  readonly ahead: number;
}

interface SimOrder {
  readonly cloid: string;
  readonly oid: number;
  readonly side: Side;
  readonly px: number;
  readonly reduceOnly: boolean;
  remainingLots: number;
  /** Displayed size ahead of us at px, in coins. */
  ahead: number;
  /** Displayed size at px when we last looked; NaN while px is out of view. */
  levelSz: number;
  /** Trade volume at px since levelSz was recorded: the part of the next shrink it explains. */
  tradedAtLevel: number;
}

/** What we took from a displayed level, and the size the level showed then. */
interface TakenFromLevel {
  readonly levelSz: number;
  sz: number;
}

interface Rejection {
  readonly kind: RejectKind;
  readonly message: string;
}

function opposite(side: Side): Side {
  return side === 'bid' ? 'ask' : 'bid';
}

/** True when a level at `levelPx` on the other side can trade with an order of `side` at `px`. */
function crossesLimit(side: Side, levelPx: number, px: number): boolean {
  return side === 'bid' ? levelPx <= px : levelPx >= px;
}

export class MatchingEngine {
  private readonly rules: PriceRules;
  private readonly lotsPerCoin: number;
  private readonly book = new L2Book();
  /** Orders in arrival order; filled and canceled ones are swept out after each step. */
  private readonly resting: SimOrder[] = [];
  private readonly byCloid = new InPlaceMap<SimOrder>();
  /** Size we took from each displayed level (by price) since the feed last changed it. */
  private readonly taken: Record<Side, Map<number, TakenFromLevel>> = { bid: new Map(), ask: new Map() };
  private positionLots = 0;
  private joinedOutOfView = 0;
  private booksSeen = 0;
  private tradesSeen = 0;

  constructor(private readonly config: MatchingEngineConfig) {
    this.rules = priceRules(config.szDecimals);
    this.lotsPerCoin = Math.round(1 / this.rules.lotSize);
  }

  /** How many book states (snapshots and changes) and trades of the coin reached the exchange. */
  get marketDataSeen(): { readonly books: number; readonly trades: number } {
    return { books: this.booksSeen, trades: this.tradesSeen };
  }

  /** How many of our orders came to rest at a price beyond the displayed depth. */
  get ordersJoinedOutOfView(): number {
    return this.joinedOutOfView;
  }

  /** Signed position in coins (long > 0). */
  get position(): number {
    return this.positionLots / this.lotsPerCoin;
  }

  openOrders(): OpenOrder[] {
    const { coin } = this.config;
    return this.resting
      .filter((o) => o.remainingLots > 0)
      .map((o) => ({
        cloid: o.cloid,
        oid: o.oid,
        coin,
        side: o.side,
        px: o.px,
        sz: o.remainingLots / this.lotsPerCoin,
        reduceOnly: o.reduceOnly,
        ahead: o.ahead,
      }));
  }

  place(order: OrderRequest, ts: number): void {
    const problem = this.validate(order);
    if (problem) this.reject(order.cloid, problem, ts);
    else this.accept(order, ts);
    this.settle(ts);
  }

  cancel(cloid: string, ts: number): void {
    const order = this.byCloid.get(cloid);
    if (order) this.remove(order, 'user', ts);
    else {
      const message = exchangeErrors.missingOrder(this.config.assetId);
      this.config.emit({ type: 'cancelReject', ts, cloid, kind: 'unknownOrder', message });
    }
    this.settle(ts);
  }

  /** Cancel-and-replace; an invalid replacement is refused and the target keeps resting. */
  modify(targetCloid: string, order: OrderRequest, ts: number): void {
    const target = this.byCloid.get(targetCloid);
    const problem = target
      ? this.validate(order)
      : { kind: 'unknownOrder' as const, message: exchangeErrors.modifyMissing() };
    if (problem) this.reject(order.cloid, problem, ts);
    else {
      this.remove(target!, 'user', ts);
      this.accept(order, ts);
    }
    this.settle(ts);
  }

  onBook(event: BookSnapshotEvent, ts: number): void {
    this.booksSeen += 1;
    this.book.applySnapshot(event);
    this.forgetChangedLevels('bid');
    this.forgetChangedLevels('ask');
    this.onBookChanged(ts);
  }

  onBookDelta(event: BookDeltaEvent, ts: number): void {
    this.booksSeen += 1;
    this.book.applyDelta(event.side, event.px, event.sz, event.localTs);
    this.forgetChangedLevels(event.side);
    this.onBookChanged(ts);
  }

  onTrade(event: TradeEvent, ts: number): void {
    this.tradesSeen += 1;
    for (const order of this.resting) {
      if (order.remainingLots === 0 || event.side === order.side) continue;
      if (event.px === order.px) {
        order.tradedAtLevel += event.sz;
        this.consumeQueue(order, event.sz, ts);
      } else if (order.side === 'bid' ? event.px < order.px : event.px > order.px) {
        this.fill(order, order.px, order.remainingLots, true, ts);
      }
    }
    this.settle(ts);
  }

  /** Pays or receives funding on the current position: a long pays a positive rate. */
  onFunding(event: FundingEvent, ts: number): void {
    if (this.positionLots === 0) return;
    const px = event.oraclePx ?? this.book.mid;
    if (!Number.isFinite(px)) return;
    const amount = -this.position * px * event.rate;
    this.config.emit({ type: 'funding', ts, coin: this.config.coin, amount, rate: event.rate });
  }

  private validate(order: OrderRequest): Rejection | undefined {
    const { assetId } = this.config;
    if (!this.rules.isValidPrice(order.px)) return { kind: 'tick', message: exchangeErrors.tick(assetId) };
    if (!this.rules.isValidSize(order.sz)) return { kind: 'lot', message: exchangeErrors.invalidSize() };
    if (!this.rules.meetsMinNotional(order.px, order.sz)) {
      return { kind: 'minNotional', message: exchangeErrors.minNotional(assetId) };
    }
    if (order.reduceOnly && this.reducibleLots(order.side) === 0) {
      return { kind: 'reduceOnly', message: exchangeErrors.reduceOnly(assetId) };
    }
    if (this.byCloid.has(order.cloid)) return { kind: 'other', message: exchangeErrors.duplicateCloid(order.cloid) };
    return undefined;
  }

  private accept(request: OrderRequest, ts: number): void {
    const { side, px, tif, cloid } = request;
    const { assetId } = this.config;
    if (tif === 'Alo' && crossesLimit(side, this.bestWithOurs(opposite(side)), px)) {
      const message = exchangeErrors.postOnlyWouldCross(this.bestWithOurs('bid'), this.bestWithOurs('ask'), assetId);
      this.reject(cloid, { kind: 'postOnlyWouldCross', message }, ts);
      return;
    }
    this.cancelOursReachedBy(side, px, Math.round(request.sz * this.lotsPerCoin), ts);
    const crosses = crossesLimit(side, this.bestAvailable(opposite(side)), px);
    if (tif === 'Ioc' && !crosses) {
      this.reject(cloid, { kind: 'iocNoMatch', message: exchangeErrors.iocNoMatch(assetId) }, ts);
      return;
    }
    const order: SimOrder = {
      cloid,
      oid: this.config.nextOid(),
      side,
      px,
      reduceOnly: request.reduceOnly,
      remainingLots: Math.round(request.sz * this.lotsPerCoin),
      ahead: 0,
      levelSz: 0,
      tradedAtLevel: 0,
    };
    this.config.emit({ type: 'ack', ts, cloid, oid: order.oid });
    if (crosses) this.take(order, ts);
    if (order.remainingLots === 0) return;
    if (tif === 'Ioc') {
      this.config.emit({ type: 'canceled', ts, cloid, oid: order.oid, reason: 'ioc' });
      return;
    }
    if (this.inView(side, px)) {
      order.levelSz = this.book.sizeAt(side, px);
      order.ahead = order.levelSz;
    } else {
      order.levelSz = Number.NaN;
      order.ahead = Number.POSITIVE_INFINITY;
      this.joinedOutOfView += 1;
    }
    this.resting.push(order);
    this.byCloid.set(cloid, order);
  }

  /** Takes displayed liquidity that crosses the order's limit, best level first. */
  private take(order: SimOrder, ts: number): void {
    const side = opposite(order.side);
    const taken = this.taken[side];
    const levels = this.book.levelCount(side);
    for (let i = 0; i < levels && order.remainingLots > 0; i++) {
      const levelPx = this.book.levelPx(side, i);
      if (!crossesLimit(order.side, levelPx, order.px)) break;
      const available = this.untakenLots(side, i);
      if (available <= 0) continue;
      const filled = this.fill(order, levelPx, available, false, ts);
      if (filled === 0) break;
      const already = taken.get(levelPx);
      if (already === undefined) taken.set(levelPx, { levelSz: this.book.levelSz(side, i), sz: filled / this.lotsPerCoin });
      else already.sz += filled / this.lotsPerCoin;
    }
  }

  /**
   * Cancels, unfilled, our resting orders on the other side that an arriving order of `lots` at
   * `px` reaches: those priced before the displayed level where its size is met, or every one
   * within its limit when the displayed liquidity runs out first. At the level where it is met,
   * ours count as behind the displayed size, as they joined it.
   */
  private cancelOursReachedBy(side: Side, px: number, lots: number, ts: number): void {
    if (!this.resting.some((resting) => resting.remainingLots > 0 && resting.side !== side && crossesLimit(side, resting.px, px))) return;
    const other = opposite(side);
    let needed = lots;
    let metAt = Number.NaN;
    for (let i = 0; i < this.book.levelCount(other) && needed > 0; i++) {
      const levelPx = this.book.levelPx(other, i);
      if (!crossesLimit(side, levelPx, px)) break;
      needed -= this.untakenLots(other, i);
      if (needed <= 0) metAt = levelPx;
    }
    for (const resting of this.resting) {
      if (resting.remainingLots === 0 || resting.side === side) continue;
      const reached = Number.isNaN(metAt) ? crossesLimit(side, resting.px, px) : resting.px !== metAt && crossesLimit(side, resting.px, metAt);
      if (reached) this.remove(resting, 'selfTrade', ts);
    }
  }

  /** Forgets what we took from levels the feed now shows at another size than when we took it. */
  private forgetChangedLevels(side: Side): void {
    const taken = this.taken[side];
    if (taken.size === 0) return;
    for (const [px, entry] of taken) {
      if (this.book.sizeAt(side, px) !== entry.levelSz) taken.delete(px);
    }
  }

  /** False beyond the deepest displayed level (or on an empty side), where the size is unknown. */
  private inView(side: Side, px: number): boolean {
    const levels = this.book.levelCount(side);
    if (levels === 0) return false;
    const deepest = this.book.levelPx(side, levels - 1);
    return side === 'bid' ? px >= deepest : px <= deepest;
  }

  private onBookChanged(ts: number): void {
    if (this.resting.length === 0) return;
    const bestBid = this.bestAvailable('bid');
    const bestAsk = this.bestAvailable('ask');
    for (const order of this.resting) {
      if (order.remainingLots === 0) continue;
      if (!this.inView(order.side, order.px)) order.levelSz = Number.NaN;
      else {
        const levelSz = this.book.sizeAt(order.side, order.px);
        if (Number.isNaN(order.levelSz)) this.onLevelInView(order, levelSz);
        else if (levelSz !== order.levelSz) this.onLevelChanged(order, levelSz, ts);
      }
      const movedThrough = order.side === 'bid' ? bestAsk <= order.px : bestBid >= order.px;
      if (movedThrough) this.fill(order, order.px, order.remainingLots, true, ts);
    }
    this.settle(ts);
  }

  private onLevelChanged(order: SimOrder, levelSz: number, ts: number): void {
    const unexplained = order.levelSz - levelSz - order.tradedAtLevel;
    if (unexplained > 0) {
      if (this.config.inferExecutionsFromBook) this.consumeQueue(order, unexplained, ts);
      else {
        const behind = Math.max(order.levelSz - order.tradedAtLevel - order.ahead, 0);
        order.ahead = this.config.queueModel.aheadAfterCancel(order.ahead, behind, unexplained);
      }
    }
    order.ahead = Math.min(order.ahead, levelSz);
    order.levelSz = levelSz;
    order.tradedAtLevel = 0;
  }

  /**
   * The order's level came (back) into view. Its changes while hidden are unknown, so they move
   * nothing: an order that joined out of view goes behind the size shown now.
   */
  private onLevelInView(order: SimOrder, levelSz: number): void {
    order.ahead = Math.min(order.ahead, levelSz);
    order.levelSz = levelSz;
    order.tradedAtLevel = 0;
  }

  /** Volume traded at the order's price: it clears what is ahead first, then fills the order. */
  private consumeQueue(order: SimOrder, volume: number, ts: number): void {
    const reaching = volume - order.ahead;
    order.ahead = Math.max(order.ahead - volume, 0);
    if (reaching > 0) this.fill(order, order.px, this.floorLots(reaching), true, ts);
  }

  /** Fills up to `lots` (capped by the order and, if reduce-only, the position); returns lots filled. */
  private fill(order: SimOrder, px: number, lots: number, maker: boolean, ts: number): number {
    let filled = Math.min(lots, order.remainingLots);
    if (order.reduceOnly) filled = Math.min(filled, this.reducibleLots(order.side));
    if (filled <= 0) return 0;
    this.positionLots += order.side === 'bid' ? filled : -filled;
    order.remainingLots -= filled;
    if (order.remainingLots === 0) this.byCloid.delete(order.cloid);
    const sz = filled / this.lotsPerCoin;
    this.config.emit({
      type: 'fill',
      ts,
      cloid: order.cloid,
      oid: order.oid,
      coin: this.config.coin,
      side: order.side,
      px,
      sz,
      fee: tradeFee(this.config.fees, maker, px, sz),
      maker,
      remaining: order.remainingLots / this.lotsPerCoin,
      tid: this.config.nextTid(),
    });
    return filled;
  }

  private remove(order: SimOrder, reason: 'user' | 'system' | 'selfTrade', ts: number): void {
    order.remainingLots = 0;
    this.byCloid.delete(order.cloid);
    this.config.emit({ type: 'canceled', ts, cloid: order.cloid, oid: order.oid, reason });
  }

  private reject(cloid: string, problem: Rejection, ts: number): void {
    this.config.emit({ type: 'reject', ts, cloid, kind: problem.kind, message: problem.message });
  }

  /**
   * After every step: resting reduce-only orders whose position is gone are canceled (the
   * exchange's reduceOnlyCanceled), and finished orders leave the resting list.
   */
  private settle(ts: number): void {
    let kept = 0;
    for (const order of this.resting) {
      if (order.remainingLots > 0 && order.reduceOnly && this.reducibleLots(order.side) === 0) {
        this.remove(order, 'system', ts);
      }
      if (order.remainingLots > 0) this.resting[kept++] = order;
    }
    // Setting the length is costly even when it does not change, and most steps finish nothing.
    if (kept < this.resting.length) this.resting.length = kept;
  }

  /** Lots an order of `side` can trade without increasing the position. */
  private reducibleLots(side: Side): number {
    return Math.max(side === 'bid' ? -this.positionLots : this.positionLots, 0);
  }

  /** Best price on `side` with at least one lot we have not taken; NaN when there is none. */
  private bestAvailable(side: Side): number {
    const levels = this.book.levelCount(side);
    for (let i = 0; i < levels; i++) {
      if (this.untakenLots(side, i) > 0) return this.book.levelPx(side, i);
    }
    return Number.NaN;
  }

  /** Whole lots of the displayed level `index` on `side` that we have not taken. */
  private untakenLots(side: Side, index: number): number {
    const taken = this.taken[side].get(this.book.levelPx(side, index))?.sz ?? 0;
    return this.floorLots(this.book.levelSz(side, index) - taken);
  }

  /** bestAvailable with our own resting orders on `side` counted, as the exchange's book has them. */
  private bestWithOurs(side: Side): number {
    let best = this.bestAvailable(side);
    for (const order of this.resting) {
      if (order.remainingLots === 0 || order.side !== side) continue;
      if (Number.isNaN(best) || (side === 'bid' ? order.px > best : order.px < best)) best = order.px;
    }
    return best;
  }

  private floorLots(sz: number): number {
    return Math.floor(sz * this.lotsPerCoin + LOT_SLACK);
  }
}
