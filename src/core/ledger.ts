import type { Side } from './types.js';

/** One of our fills as the ledger needs it. `fee` is positive for a cost, negative for a rebate. */
export interface LedgerFill {
  readonly side: Side;
  readonly px: number;
  readonly sz: number;
  readonly fee: number;
  readonly maker: boolean;
  readonly ts: number;
}

/** Everything the ledger knows about one coin, valued at a mark price. */
export interface LedgerSnapshot {
  readonly position: number;
  readonly avgEntry: number;
  readonly markPx: number;
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly funding: number;
  /** realized + unrealized − fees + funding. */
  readonly netPnl: number;
  readonly volume: number;
  readonly makerFills: number;
  readonly takerFills: number;
  readonly roundTrips: number;
  readonly maeBps: number;
  readonly underwaterSinceTs: number | null;
}

/**
 * A close that leaves less than this fraction of the position is a full close: fill sizes are
 * decimal lots, and float sums such as 0.1 + 0.2 − 0.3 must leave a flat position, not 5e-17.
 */
const FLAT_RELATIVE_TOLERANCE = 1e-9;
const BPS = 10_000;

/**
 * Position and PnL of one coin. Realized PnL excludes fees and funding, which are kept apart,
 * so that net PnL = realized + unrealized − fees + funding.
 *
 * An "episode" is one position from opening (from flat, or by a flip) until it returns to or
 * crosses zero. Adverse excursion is tracked per episode from the marks passed to `mark`.
 */
export class CoinLedger {
  private pos = 0;
  private entry = 0;
  private realized = 0;
  private feeTotal = 0;
  private fundingTotal = 0;
  private notionalTraded = 0;
  private makerCount = 0;
  private takerCount = 0;
  private roundTripCount = 0;
  private episodeCount = 0;
  private worstAdverseBps = 0;
  private underwaterSince: number | null = null;
  private lastMark = Number.NaN;
  private lastTs = Number.NaN;
  private changes = 0;

  /** Signed position in coins: positive long, negative short. */
  get position(): number {
    return this.pos;
  }
  /** Average entry price of the open position; 0 when flat. */
  get avgEntry(): number {
    return this.entry;
  }
  get realizedPnl(): number {
    return this.realized;
  }
  /** Total fees, positive = cost. */
  get fees(): number {
    return this.feeTotal;
  }
  /** Total funding, positive = received. */
  get funding(): number {
    return this.fundingTotal;
  }
  /** Traded notional, px × sz summed over fills. */
  get volume(): number {
    return this.notionalTraded;
  }
  get makerFills(): number {
    return this.makerCount;
  }
  get takerFills(): number {
    return this.takerCount;
  }
  /** Times the position returned to or crossed zero after being non-zero. */
  get roundTrips(): number {
    return this.roundTripCount;
  }
  /** Number of positions opened so far; the current one when not flat. */
  get episode(): number {
    return this.episodeCount;
  }
  /** Worst adverse excursion of the current position in bps of the entry (≥ 0; 0 when flat). */
  get maeBps(): number {
    return this.worstAdverseBps;
  }
  /** Mark time since which the position has been continuously underwater, or null. */
  get underwaterSinceTs(): number | null {
    return this.underwaterSince;
  }
  /** Last price given to `mark` (NaN before the first). */
  get markPx(): number {
    return this.lastMark;
  }
  /** Time of the last fill, funding payment or mark (NaN before any). */
  get lastUpdateTs(): number {
    return this.lastTs;
  }
  /**
   * Grows whenever a value `PortfolioLedger.totals` reads may have changed (a fill, a funding
   * payment, a new mark price), and only then.
   */
  get revision(): number {
    return this.changes;
  }

  /** Books a fill and returns the PnL it realized (before fees). */
  applyFill(fill: LedgerFill): number {
    const signedSz = fill.side === 'bid' ? fill.sz : -fill.sz;
    this.changes += 1;
    this.feeTotal += fill.fee;
    this.notionalTraded += fill.px * fill.sz;
    if (fill.maker) this.makerCount += 1;
    else this.takerCount += 1;
    this.lastTs = fill.ts;

    const before = this.pos;
    if (before === 0 || Math.sign(before) === Math.sign(signedSz)) {
      const size = Math.abs(before) + fill.sz;
      this.entry = (this.entry * Math.abs(before) + fill.px * fill.sz) / size;
      this.pos = before + signedSz;
      if (before === 0) this.startEpisode();
      return 0;
    }

    const held = Math.abs(before);
    const closesAll = fill.sz >= held * (1 - FLAT_RELATIVE_TOLERANCE);
    const closed = closesAll ? held : fill.sz;
    const realized = (fill.px - this.entry) * closed * Math.sign(before);
    this.realized += realized;
    if (!closesAll) {
      this.pos = before + signedSz;
      return realized;
    }
    this.roundTripCount += 1;
    const opened = fill.sz - held;
    if (opened > held * FLAT_RELATIVE_TOLERANCE) {
      this.pos = Math.sign(signedSz) * opened;
      this.entry = fill.px;
      this.startEpisode();
    } else {
      this.pos = 0;
      this.entry = 0;
      this.endEpisode();
    }
    return realized;
  }

  /** Books a funding payment: positive = received, negative = paid. */
  applyFunding(amount: number, ts: number): void {
    this.fundingTotal += amount;
    this.lastTs = ts;
    this.changes += 1;
  }

  /** Records a mark price: it values the position and drives the adverse-excursion tracking. */
  mark(px: number, ts: number): void {
    if (px !== this.lastMark) this.changes += 1;
    this.lastMark = px;
    this.lastTs = ts;
    if (this.pos === 0) return;
    const adverseBps = (Math.sign(this.pos) * (this.entry - px) * BPS) / this.entry;
    if (adverseBps > this.worstAdverseBps) this.worstAdverseBps = adverseBps;
    if (adverseBps > 0) this.underwaterSince ??= ts;
    else this.underwaterSince = null;
  }

  /** position × (markPx − avgEntry). */
  unrealizedPnl(markPx: number): number {
    return this.pos === 0 ? 0 : this.pos * (markPx - this.entry);
  }

  snapshot(markPx: number): LedgerSnapshot {
    const unrealizedPnl = this.unrealizedPnl(markPx);
    return {
      position: this.pos,
      avgEntry: this.entry,
      markPx,
      realizedPnl: this.realized,
      unrealizedPnl,
      fees: this.feeTotal,
      funding: this.fundingTotal,
      netPnl: this.realized + unrealizedPnl - this.feeTotal + this.fundingTotal,
      volume: this.notionalTraded,
      makerFills: this.makerCount,
      takerFills: this.takerCount,
      roundTrips: this.roundTripCount,
      maeBps: this.worstAdverseBps,
      underwaterSinceTs: this.underwaterSince,
    };
  }

  private startEpisode(): void {
    this.episodeCount += 1;
    this.endEpisode();
  }

  private endEpisode(): void {
    this.worstAdverseBps = 0;
    this.underwaterSince = null;
  }
}

/** Sums over the coins of one bot, each valued at its last mark. */
export interface PortfolioTotals {
  readonly realizedPnl: number;
  readonly unrealizedPnl: number;
  readonly fees: number;
  readonly funding: number;
  readonly netPnl: number;
  readonly volume: number;
  /** Σ |position| × mark. */
  readonly grossNotional: number;
  readonly makerFills: number;
  readonly takerFills: number;
  readonly roundTrips: number;
}

/** The ledgers of one bot, one per coin, created on first use. */
export class PortfolioLedger {
  private readonly ledgers = new Map<string, CoinLedger>();
  /** The same ledgers in the same order, for the per-step sums: an array is cheaper to walk than a Map. */
  private readonly ledgerList: CoinLedger[] = [];
  private lastTotals: PortfolioTotals | null = null;
  /** The ledger count plus every ledger's revision when `lastTotals` was summed: it grows on any change. */
  private lastTotalsKey = -1;

  coin(coin: string): CoinLedger {
    let ledger = this.ledgers.get(coin);
    if (ledger === undefined) {
      ledger = new CoinLedger();
      this.ledgers.set(coin, ledger);
      this.ledgerList.push(ledger);
    }
    return ledger;
  }

  coins(): IterableIterator<[string, CoinLedger]> {
    return this.ledgers.entries();
  }

  /**
   * A coin that holds a position but was never marked is valued at its entry (unrealized 0):
   * no price has been seen to value it otherwise. Summed again only when a ledger changed since
   * the last call; otherwise the same object is returned (callers only read it).
   */
  totals(): PortfolioTotals {
    const ledgers = this.ledgerList;
    let key = ledgers.length;
    for (let i = 0; i < ledgers.length; i += 1) key += ledgers[i]!.revision;
    if (this.lastTotals !== null && key === this.lastTotalsKey) return this.lastTotals;
    let realizedPnl = 0;
    let unrealizedPnl = 0;
    let fees = 0;
    let funding = 0;
    let volume = 0;
    let grossNotional = 0;
    let makerFills = 0;
    let takerFills = 0;
    let roundTrips = 0;
    for (const ledger of ledgers) {
      const markPx = Number.isNaN(ledger.markPx) ? ledger.avgEntry : ledger.markPx;
      realizedPnl += ledger.realizedPnl;
      unrealizedPnl += ledger.unrealizedPnl(markPx);
      fees += ledger.fees;
      funding += ledger.funding;
      volume += ledger.volume;
      grossNotional += Math.abs(ledger.position) * markPx;
      makerFills += ledger.makerFills;
      takerFills += ledger.takerFills;
      roundTrips += ledger.roundTrips;
    }
    this.lastTotalsKey = key;
    this.lastTotals = {
      realizedPnl,
      unrealizedPnl,
      fees,
      funding,
      netPnl: realizedPnl + unrealizedPnl - fees + funding,
      volume,
      grossNotional,
      makerFills,
      takerFills,
      roundTrips,
    };
    return this.lastTotals;
  }
}
