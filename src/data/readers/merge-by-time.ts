import type { MarketEvent } from '../../core/types.js';
import { sameTimeRank } from './same-time-order.js';
import type { EventBatches } from './source.js';

const OUTPUT_BATCH = 256;

/**
 * k-way merge of streams that are each in exchange-time order. At one exchange time trades come
 * before books (sameTimeRank), then earlier local times, then the order of `sources`, so the
 * result is the same on every run.
 */
export async function* mergeByTime(sources: readonly EventBatches[]): AsyncGenerator<MarketEvent[]> {
  if (sources.length === 1) {
    yield* sources[0]!;
    return;
  }
  const iterators = sources.map((source) => source[Symbol.asyncIterator]());
  const batches: MarketEvent[][] = iterators.map(() => []);
  const positions = iterators.map(() => 0);
  const heap: number[] = [];

  const head = (source: number): MarketEvent => batches[source]![positions[source]!]!;
  const before = (a: number, b: number): boolean => {
    const x = head(a);
    const y = head(b);
    if (x.exchTs !== y.exchTs) return x.exchTs < y.exchTs;
    const rankX = sameTimeRank(x);
    const rankY = sameTimeRank(y);
    if (rankX !== rankY) return rankX < rankY;
    if (x.localTs !== y.localTs) return x.localTs < y.localTs;
    return a < b;
  };
  const siftDown = (start: number): void => {
    let index = start;
    for (;;) {
      const left = 2 * index + 1;
      if (left >= heap.length) return;
      const right = left + 1;
      const child = right < heap.length && before(heap[right]!, heap[left]!) ? right : left;
      if (!before(heap[child]!, heap[index]!)) return;
      [heap[child], heap[index]] = [heap[index]!, heap[child]!];
      index = child;
    }
  };
  const refill = async (source: number): Promise<boolean> => {
    for (;;) {
      const next = await iterators[source]!.next();
      if (next.done === true) return false;
      if (next.value.length > 0) {
        batches[source] = next.value;
        positions[source] = 0;
        return true;
      }
    }
  };

  try {
    for (let source = 0; source < iterators.length; source += 1) {
      if (await refill(source)) heap.push(source);
    }
    for (let index = Math.floor(heap.length / 2) - 1; index >= 0; index -= 1) siftDown(index);
    let out: MarketEvent[] = [];
    while (heap.length > 0) {
      const source = heap[0]!;
      out.push(head(source));
      positions[source]! += 1;
      if (positions[source] === batches[source]!.length && !(await refill(source))) {
        heap[0] = heap[heap.length - 1]!;
        heap.pop();
      }
      siftDown(0);
      if (out.length >= OUTPUT_BATCH) {
        yield out;
        out = [];
      }
    }
    if (out.length > 0) yield out;
  } finally {
    await Promise.all(
      iterators.map(async (iterator) => {
        await iterator.return?.();
      }),
    );
  }
}
