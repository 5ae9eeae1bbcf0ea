import { L2Book } from '../core/book.js';
import { DecayedFlow } from '../core/estimators/decayed-flow.js';
import { EwmaVolatility } from '../core/estimators/ewma-volatility.js';
import { FillIntensity } from '../core/estimators/fill-intensity.js';
import { MakerShare } from '../core/estimators/maker-share.js';
import { RollingPercentile } from '../core/estimators/rolling-percentile.js';
import type { MarketEvent } from '../core/types.js';
import type { CoinConfig } from '../config/settings.js';

/** Volatility reacts within about a minute and needs a few dozen book updates to be trusted. */
const VOLATILITY_HALF_LIFE_SEC = 60;
const VOLATILITY_WARMUP_SAMPLES = 20;
/** Fill-intensity fit: ten minutes of trades, distances out to 2% of the mid in 50 buckets. */
const INTENSITY_WINDOW_SEC = 600;
const INTENSITY_BUCKETS = 50;
const INTENSITY_MAX_DISTANCE_FRACTION = 0.002;

/** What the strategy knows about one coin's market: the book and the estimators fed by it. */
export class CoinMarket {
  readonly book = new L2Book();
  readonly volatility = new EwmaVolatility({ halfLifeSec: VOLATILITY_HALF_LIFE_SEC, warmupSamples: VOLATILITY_WARMUP_SAMPLES });
  readonly spreads: RollingPercentile;
  readonly flow: DecayedFlow;
  readonly makerShare: MakerShare;
  private intensity: FillIntensity | undefined;

  constructor(readonly config: CoinConfig) {
    this.spreads = new RollingPercentile({
      percentile: config.dynamic_min_spread_percentile,
      lookbackLoops: config.dynamic_min_spread_lookback_loops,
      updateEveryLoops: config.dynamic_min_spread_update_every_loops,
    });
    this.flow = new DecayedFlow(config.ss_ma_half_life_sec);
    this.makerShare = new MakerShare(config.ss_ma_half_life_sec);
  }

  get ready(): boolean {
    return Number.isFinite(this.book.bestBid) && Number.isFinite(this.book.bestAsk) && this.volatility.ready;
  }

  onMarketEvent(event: MarketEvent): void {
    switch (event.type) {
      case 'book':
        this.book.applySnapshot(event);
        this.volatility.update(this.book.mid, event.localTs);
        break;
      case 'bookDelta':
        this.book.applyDelta(event.side, event.px, event.sz, event.localTs);
        this.volatility.update(this.book.mid, event.localTs);
        break;
      case 'trade': {
        this.flow.update(event.side, event.px * event.sz, event.localTs);
        const mid = this.book.mid;
        if (Number.isFinite(mid)) this.intensityFor(mid).record(event.px, mid, event.localTs);
        break;
      }
      case 'funding':
        break;
    }
  }

  /** Once per loop: the spread history behind the dynamic minimum spread. */
  onLoop(): void {
    const spread = this.book.spreadBps;
    if (Number.isFinite(spread)) this.spreads.update(spread);
  }

  /** A and k fitted from recent trades, when there are enough of them. */
  fittedIntensity(now: number): { a: number; k: number } | undefined {
    return this.intensity?.fit(now);
  }

  private intensityFor(mid: number): FillIntensity {
    if (!this.intensity) {
      const maxDistance = mid * INTENSITY_MAX_DISTANCE_FRACTION;
      this.intensity = new FillIntensity({ step: maxDistance / INTENSITY_BUCKETS, maxDistance, windowSec: INTENSITY_WINDOW_SEC });
    }
    return this.intensity;
  }
}
