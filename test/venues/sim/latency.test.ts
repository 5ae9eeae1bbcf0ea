import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src/core/random.js';
import { describeFeedLatency, describeLatency, latencyModel, strategyReceiveTs } from '../../../src/venues/sim/latency.js';
import { book } from './market-events.js';

function samples(count: number, sample: () => number): number[] {
  return Array.from({ length: count }, sample);
}

describe('latencyModel', () => {
  it('constant: the same whole number of milliseconds every time', () => {
    const model = latencyModel({ kind: 'constant', ms: 12.4 }, new Rng(1));
    expect(samples(3, () => model.sample())).toEqual([12, 12, 12]);
  });

  it('uniform: whole milliseconds within the bounds, repeated exactly by the same seed', () => {
    const spec = { kind: 'uniform', minMs: 5, maxMs: 25 } as const;
    const first = latencyModel(spec, new Rng(42));
    const second = latencyModel(spec, new Rng(42));
    const drawn = samples(500, () => first.sample());
    expect(drawn.every((ms) => Number.isInteger(ms) && ms >= 5 && ms <= 25)).toBe(true);
    expect(new Set(drawn).size).toBeGreaterThan(15);
    expect(samples(500, () => second.sample())).toEqual(drawn);
  });

  it('lognormal: its median is the configured median', () => {
    const model = latencyModel({ kind: 'lognormal', medianMs: 40, sigma: 0.5 }, new Rng(7));
    const sorted = samples(4001, () => model.sample()).sort((a, b) => a - b);
    expect(sorted[2000]).toBeGreaterThanOrEqual(37);
    expect(sorted[2000]).toBeLessThanOrEqual(43);
    expect(sorted[0]).toBeGreaterThanOrEqual(0);
  });

  it('refuses negative delays', () => {
    expect(() => latencyModel({ kind: 'constant', ms: -1 }, new Rng(1))).toThrow(RangeError);
    expect(() => latencyModel({ kind: 'uniform', minMs: 10, maxMs: 5 }, new Rng(1))).toThrow(RangeError);
  });
});

describe('strategyReceiveTs', () => {
  const event = { ...book(1_000, [[100, 1]], [[100.1, 1]]), localTs: 1_035 };

  it('uses the recorded local clock, or the exchange time plus a constant', () => {
    expect(strategyReceiveTs(event, { kind: 'recorded' })).toBe(1_035);
    expect(strategyReceiveTs(event, { kind: 'constant', ms: 20 })).toBe(1_020);
  });
});

describe('describing latencies for reports', () => {
  it('names the model and its parameters', () => {
    expect(describeLatency({ kind: 'constant', ms: 100 })).toBe('constant 100 ms');
    expect(describeLatency({ kind: 'uniform', minMs: 50, maxMs: 150 })).toBe('uniform 50–150 ms');
    expect(describeLatency({ kind: 'lognormal', medianMs: 80, sigma: 0.5 })).toBe('lognormal, median 80 ms, σ 0.5');
    expect(describeFeedLatency({ kind: 'recorded' })).toBe('recorded (local receive times in the data)');
    expect(describeFeedLatency({ kind: 'constant', ms: 20 })).toBe('constant 20 ms after the exchange');
  });
});
