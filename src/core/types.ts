/**
 * Domain types shared by every layer. Prices and sizes are plain numbers (coins and quote
 * currency); time is integer milliseconds from a clock; fees are positive for a cost.
 */

/** bid = buy, ask = sell. In trades it is the aggressor's side. */
export type Side = 'bid' | 'ask';

export type Tif = 'Alo' | 'Ioc' | 'Gtc';

/** A full book push (Hyperliquid l2Book): arrays are best-first and of equal length per side. */
export interface BookSnapshotEvent {
  readonly type: 'book';
  readonly coin: string;
  /** Exchange time, ms. */
  readonly exchTs: number;
  /** Local receive time, ms (equal to exchTs when the source has no local clock). */
  readonly localTs: number;
  readonly bidPx: Float64Array;
  readonly bidSz: Float64Array;
  readonly askPx: Float64Array;
  readonly askSz: Float64Array;
}

/** One price level changed (feeds that send diffs); sz = 0 removes the level. */
export interface BookDeltaEvent {
  readonly type: 'bookDelta';
  readonly coin: string;
  readonly exchTs: number;
  readonly localTs: number;
  readonly side: Side;
  readonly px: number;
  readonly sz: number;
}

/** A public trade. `side` is the aggressor: 'bid' lifted the ask, 'ask' hit the bid. */
export interface TradeEvent {
  readonly type: 'trade';
  readonly coin: string;
  readonly exchTs: number;
  readonly localTs: number;
  readonly px: number;
  readonly sz: number;
  readonly side: Side;
  /** Exchange trade id when the source has one (Hyperliquid tid fits in 2^53). */
  readonly tid?: number;
}

/** An hourly funding rate (fraction per hour); a long pays rate × size × oracle price. */
export interface FundingEvent {
  readonly type: 'funding';
  readonly coin: string;
  readonly exchTs: number;
  readonly localTs: number;
  readonly rate: number;
  readonly oraclePx?: number;
}

export type MarketEvent = BookSnapshotEvent | BookDeltaEvent | TradeEvent | FundingEvent;

/** What the strategy wants resting: one quote per side and ladder level. */
export interface DesiredQuote {
  readonly side: Side;
  /** 0 = closest to the mid. */
  readonly level: number;
  readonly px: number;
  readonly sz: number;
}

/** An order as the bot sends it. `cloid` is "0x" + 32 hex digits and unique per order. */
export interface OrderRequest {
  readonly cloid: string;
  readonly coin: string;
  readonly side: Side;
  readonly px: number;
  readonly sz: number;
  readonly tif: Tif;
  readonly reduceOnly: boolean;
}

/**
 * One step of a batch sent to a venue. A modify is cancel-and-replace: the venue cancels
 * `targetCloid` and places `order` (with its own new cloid) as one action.
 */
export type OrderAction =
  | { readonly kind: 'place'; readonly order: OrderRequest }
  | { readonly kind: 'modify'; readonly targetCloid: string; readonly order: OrderRequest }
  | { readonly kind: 'cancel'; readonly coin: string; readonly cloid: string };

/** Closed set of reasons a venue refuses an order; `message` keeps the exchange's own text. */
export type RejectKind =
  | 'postOnlyWouldCross'
  | 'iocNoMatch'
  | 'tick'
  | 'lot'
  | 'minNotional'
  | 'margin'
  | 'reduceOnly'
  | 'unknownOrder'
  | 'rateLimited'
  | 'other';

/** What a venue reports back about our orders and account. */
export type AccountEvent =
  | { readonly type: 'ack'; readonly ts: number; readonly cloid: string; readonly oid: number }
  | {
      readonly type: 'reject';
      readonly ts: number;
      readonly cloid: string;
      readonly kind: RejectKind;
      readonly message: string;
    }
  | {
      readonly type: 'fill';
      readonly ts: number;
      readonly cloid: string;
      readonly oid: number;
      readonly coin: string;
      readonly side: Side;
      readonly px: number;
      readonly sz: number;
      /** Positive = cost, negative = rebate, in quote currency. */
      readonly fee: number;
      /** True when our order was resting (maker), false when it crossed (taker). */
      readonly maker: boolean;
      /** Size still resting after this fill. */
      readonly remaining: number;
      readonly tid: number;
    }
  | {
      readonly type: 'canceled';
      readonly ts: number;
      readonly cloid: string;
      readonly oid: number;
      /** system: reduce-only with no position left; selfTrade: reached by our own order (selfTradeCanceled). */
      readonly reason: 'user' | 'ioc' | 'scheduled' | 'system' | 'selfTrade';
    }
  | {
      readonly type: 'cancelReject';
      readonly ts: number;
      readonly cloid: string;
      readonly kind: RejectKind;
      readonly message: string;
    }
  | {
      readonly type: 'funding';
      readonly ts: number;
      readonly coin: string;
      /** Positive = received, negative = paid, in quote currency. */
      readonly amount: number;
      readonly rate: number;
    };
