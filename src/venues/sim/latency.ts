/**
 * Latencies between the local side (the strategy) and the exchange side (the matching engine),
 * hftbacktest style. Feed latency: exchange → local for market data. Entry latency: local →
 * exchange for an order batch. Response latency: exchange → local for acks, fills and rejects.
 * All are whole milliseconds.
 */
import type { Rng } from '../../core/random.js';
import type { MarketEvent } from '../../core/types.js';

export type LatencySpec =
  | { readonly kind: 'constant'; readonly ms: number }
  | { readonly kind: 'uniform'; readonly minMs: number; readonly maxMs: number }
  /** Right-skewed like real network delays: median · e^(sigma·N(0,1)). */
  | { readonly kind: 'lognormal'; readonly medianMs: number; readonly sigma: number };

export interface LatencyModel {
  /** One delay in whole milliseconds, ≥ 0. */
  sample(): number;
}

function requireNonNegative(name: string, value: number): void {
  if (!(value >= 0) || !Number.isFinite(value)) throw new RangeError(`${name} must be finite and >= 0, got ${value}`);
}

/** A latency model drawing from `rng` (seeded by the caller, so runs repeat exactly). */
export function latencyModel(spec: LatencySpec, rng: Rng): LatencyModel {
  switch (spec.kind) {
    case 'constant': {
      requireNonNegative('latency ms', spec.ms);
      const ms = Math.round(spec.ms);
      return { sample: () => ms };
    }
    case 'uniform': {
      requireNonNegative('latency minMs', spec.minMs);
      requireNonNegative('latency maxMs - minMs', spec.maxMs - spec.minMs);
      const { minMs, maxMs } = spec;
      return { sample: () => Math.round(minMs + (maxMs - minMs) * rng.uniform()) };
    }
    case 'lognormal': {
      requireNonNegative('latency medianMs', spec.medianMs);
      requireNonNegative('latency sigma', spec.sigma);
      const mu = Math.log(spec.medianMs);
      const { sigma } = spec;
      return { sample: () => Math.round(rng.logNormal(mu, sigma)) };
    }
  }
}

export const ZERO_LATENCY: LatencyModel = { sample: () => 0 };

/** The model in words, for reports: "constant 100 ms", "uniform 50–150 ms", "lognormal, median 80 ms, σ 0.5". */
export function describeLatency(spec: LatencySpec): string {
  switch (spec.kind) {
    case 'constant':
      return `constant ${spec.ms} ms`;
    case 'uniform':
      return `uniform ${spec.minMs}–${spec.maxMs} ms`;
    case 'lognormal':
      return `lognormal, median ${spec.medianMs} ms, σ ${spec.sigma}`;
  }
}

/** Where the strategy's view of market data comes from: the recorded local clock or a constant. */
export type FeedLatency = { readonly kind: 'recorded' } | { readonly kind: 'constant'; readonly ms: number };

export function describeFeedLatency(feed: FeedLatency): string {
  return feed.kind === 'recorded' ? 'recorded (local receive times in the data)' : `constant ${feed.ms} ms after the exchange`;
}

/** Local time at which the strategy sees `event`. */
export function strategyReceiveTs(event: MarketEvent, feed: FeedLatency): number {
  return feed.kind === 'recorded' ? event.localTs : event.exchTs + feed.ms;
}
