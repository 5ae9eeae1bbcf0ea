import { describe, expect, it } from 'vitest';
import { TradeIdDeduper } from '../../../src/data/readers/trade-id-deduper.js';

const HOUR = 3_600_000;

describe('TradeIdDeduper', () => {
  it('recognises a trade id seen before', () => {
    const deduper = new TradeIdDeduper();
    expect(deduper.isRepeat(7, 1000)).toBe(false);
    expect(deduper.isRepeat(8, 1001)).toBe(false);
    expect(deduper.isRepeat(7, 1000)).toBe(true);
  });

  it('still recognises ids from the previous hour, and takes trades from before that as stale re-sends', () => {
    const deduper = new TradeIdDeduper();
    deduper.isRepeat(1, 0);
    deduper.isRepeat(2, HOUR + 10);
    deduper.isRepeat(3, 2 * HOUR + 20);
    expect(deduper.isRepeat(2, HOUR + 10)).toBe(true);
    expect(deduper.isRepeat(99, HOUR - 5)).toBe(true);
    expect(deduper.isRepeat(100, 2 * HOUR + 30)).toBe(false);
  });
});
