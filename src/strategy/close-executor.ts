import type { RiskAction } from '../core/risk/risk-types.js';
import type { AccountEvent, OrderAction } from '../core/types.js';
import type { CloidSequence } from './cloid.js';

type ReduceAction = Extract<RiskAction, { kind: 'reduce' }>;

interface InFlightClose {
  readonly cloid: string;
  readonly cause: ReduceAction['cause'];
}

/**
 * Sends the risk gate's reduce-only IOC orders, one at a time per coin. The gate repeats an
 * action while its condition holds; each new attempt for the same cause steps one price further
 * along its chain (toward the slippage cap), and the chain restarts when the cause changes.
 */
export class CloseExecutor {
  private readonly inFlight = new Map<string, InFlightClose>();
  private readonly attempts = new Map<string, { cause: ReduceAction['cause']; step: number }>();
  private readonly coinOf = new Map<string, string>();
  /** A close of another cause that arrived while one was in flight (the gate may emit it only once). */
  private readonly queued = new Map<string, ReduceAction>();

  constructor(private readonly cloids: CloidSequence) {}

  /** The IOC order for this loop, or nothing while one is still in flight for the coin. */
  act(action: ReduceAction, roundSize: (sz: number) => number): OrderAction | undefined {
    if (this.inFlight.has(action.coin)) {
      if (this.inFlight.get(action.coin)!.cause !== action.cause) this.queued.set(action.coin, action);
      return undefined;
    }
    this.queued.delete(action.coin);
    const previous = this.attempts.get(action.coin);
    const step = previous && previous.cause === action.cause ? Math.min(previous.step + 1, action.pxChain.length - 1) : 0;
    const px = action.pxChain[step];
    const sz = roundSize(action.sz);
    if (px === undefined || !(sz > 0)) return undefined;
    this.attempts.set(action.coin, { cause: action.cause, step });
    const cloid = this.cloids.next();
    this.inFlight.set(action.coin, { cloid, cause: action.cause });
    this.coinOf.set(cloid, action.coin);
    return { kind: 'place', order: { cloid, coin: action.coin, side: action.side, px, sz, tif: 'Ioc', reduceOnly: true } };
  }

  /** A close that waits for the one in flight to finish. */
  queuedFor(coin: string): ReduceAction | undefined {
    return this.queued.get(coin);
  }

  /** The coin has no close condition any more: the next one starts at the touch again. */
  reset(coin: string): void {
    this.attempts.delete(coin);
  }

  owns(cloid: string): boolean {
    // Asked about every account event, and closes are rare: an empty map answers without hashing.
    return this.coinOf.size > 0 && this.coinOf.has(cloid);
  }

  apply(event: AccountEvent): void {
    if (event.type !== 'fill' && event.type !== 'canceled' && event.type !== 'reject') return;
    const coin = this.coinOf.get(event.cloid);
    if (coin === undefined) return;
    const done = event.type !== 'fill' || event.remaining <= 0;
    if (done) {
      this.inFlight.delete(coin);
      this.coinOf.delete(event.cloid);
    }
  }
}
