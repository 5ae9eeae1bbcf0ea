import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';
import { TimeOrderBuffer } from '../../../src/data/readers/time-order-buffer.js';

function trade(exchTs: number, tid: number): MarketEvent {
  return { type: 'trade', coin: 'BTC', exchTs, localTs: exchTs, px: 1, sz: 1, side: 'bid', tid };
}

/** Pushes events one by one, releasing after each push as a reader does after each chunk. */
function run(buffer: TimeOrderBuffer, times: readonly number[], releaseEvery: number) {
  const out: MarketEvent[] = [];
  const refused: number[] = [];
  times.forEach((time, index) => {
    if (!buffer.push(trade(time, index))) refused.push(index);
    if ((index + 1) % releaseEvery === 0) buffer.releaseReady(out);
  });
  buffer.releaseAll(out);
  return { out, refused };
}

describe('TimeOrderBuffer', () => {
  it('puts a trade that arrives after the book of its exchange time before that book', () => {
    const buffer = new TimeOrderBuffer(100);
    const book: MarketEvent = { type: 'book', coin: 'BTC', exchTs: 1000, localTs: 1000, bidPx: new Float64Array(), bidSz: new Float64Array(), askPx: new Float64Array(), askSz: new Float64Array() };
    buffer.push(trade(990, 0));
    buffer.push(book);
    buffer.push(trade(1000, 1));
    buffer.push(trade(1000, 2));
    const out: MarketEvent[] = [];
    buffer.releaseAll(out);
    expect(out.map((event) => (event.type === 'trade' ? `trade ${event.tid}` : event.type))).toEqual(['trade 0', 'trade 1', 'trade 2', 'book']);
  });

  it('sorts events that arrive up to the tolerance late and refuses later ones', () => {
    const buffer = new TimeOrderBuffer(100);
    const { out, refused } = run(buffer, [1000, 950, 1100, 1010, 1200, 1050], 1);
    expect(out.map((event) => event.exchTs)).toEqual([950, 1000, 1010, 1100, 1200]);
    expect(refused).toEqual([5]);
    expect(buffer.lateReason(trade(1050, 5))).toContain('goes back 150 ms');
  });

  it('keeps arrival order among equal times', () => {
    const { out } = run(new TimeOrderBuffer(0), [5, 5, 5], 1);
    expect(out.map((event) => (event as { tid: number }).tid)).toEqual([0, 1, 2]);
  });

  it('outputs every accepted event once, in time order, however often it is asked to release', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 200 }), fc.integer({ min: 0, max: 500 }), fc.integer({ min: 1, max: 50 }), (times, tolerance, releaseEvery) => {
        const { out, refused } = run(new TimeOrderBuffer(tolerance), times, releaseEvery);
        const accepted = times.map((time, index) => ({ time, index })).filter(({ index }) => !refused.includes(index));
        expect(out.map((event) => event.exchTs)).toEqual(accepted.map(({ time }) => time).sort((a, b) => a - b));
        const refusedAgain = run(new TimeOrderBuffer(tolerance), times, 1).refused;
        expect(refused).toEqual(refusedAgain);
      }),
    );
  });
});
