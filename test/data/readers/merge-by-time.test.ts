import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { mergeByTime } from '../../../src/data/readers/merge-by-time.js';
import { collectBatches, fromSync } from './fixtures.js';

function trade(coin: string, exchTs: number, localTs = exchTs): MarketEvent {
  return { type: 'trade', coin, exchTs, localTs, px: 1, sz: 1, side: 'ask' };
}

function batches(events: readonly MarketEvent[], size: number): AsyncGenerator<MarketEvent[]> {
  const slices: MarketEvent[][] = [[]];
  for (let start = 0; start < events.length; start += size) slices.push(events.slice(start, start + size));
  return fromSync(slices);
}

describe('mergeByTime', () => {
  it('orders by exchange time, then local time, then source order', async () => {
    const a = [trade('A', 1), trade('A', 5, 9), trade('A', 7)];
    const b = [trade('B', 2), trade('B', 5, 6), trade('B', 7)];
    const merged = await collectBatches(mergeByTime([batches(a, 2), batches(b, 1)]));
    expect(merged.map((event) => `${event.coin}${event.exchTs}`)).toEqual(['A1', 'B2', 'B5', 'A5', 'A7', 'B7']);
  });

  it('puts the trades of an exchange time before its book, which shows the state after them', async () => {
    const book: MarketEvent = { type: 'book', coin: 'A', exchTs: 5, localTs: 5, bidPx: new Float64Array(), bidSz: new Float64Array(), askPx: new Float64Array(), askSz: new Float64Array() };
    const merged = await collectBatches(mergeByTime([batches([trade('A', 1), book], 2), batches([trade('A', 5, 8), trade('A', 6)], 2)]));
    expect(merged.map((event) => `${event.type}@${event.exchTs}`)).toEqual(['trade@1', 'trade@5', 'book@5', 'trade@6']);
  });

  it('merges any number of sorted streams into one sorted stream holding every event', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.array(fc.integer({ min: 0, max: 1000 }), { maxLength: 40 }), { maxLength: 6 }),
        fc.integer({ min: 1, max: 7 }),
        async (streams, size) => {
          const sources = streams.map((times, index) => [...times].sort((x, y) => x - y).map((time) => trade(`S${index}`, time)));
          const merged = await collectBatches(mergeByTime(sources.map((events) => batches(events, size))));
          expect(merged.map((event) => event.exchTs)).toEqual(sources.flat().map((event) => event.exchTs).sort((x, y) => x - y));
        },
      ),
      { numRuns: 60 },
    );
  });

  it('closes every source when the reader stops early', async () => {
    const closed: string[] = [];
    function* source(name: string): Generator<MarketEvent[]> {
      try {
        for (let time = 0; ; time += 1) yield [trade(name, time)];
      } finally {
        closed.push(name);
      }
    }
    for await (const batch of mergeByTime([fromSync(source('A')), fromSync(source('B'))])) {
      expect(batch.length).toBeGreaterThan(0);
      break;
    }
    expect(closed.sort()).toEqual(['A', 'B']);
  });
});
