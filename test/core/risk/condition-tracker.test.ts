import { describe, expect, it } from 'vitest';
import type { RiskEvent } from '../../../src/core/risk/risk-types.js';
import { ConditionTracker } from '../../../src/core/risk/condition-tracker.js';

const stale = { kind: 'stale_book', severity: 'warning', coin: 'BTC' } as const;

describe('ConditionTracker', () => {
  it('reports a condition once when it starts and once when it clears', () => {
    const tracker = new ConditionTracker();
    const events: RiskEvent[] = [];
    const describeStale = (active: boolean) => (active ? 'book 6 s old' : 'book fresh again');
    for (const [ts, holds] of [[1, false], [2, true], [3, true], [4, false], [5, false]] as const) {
      tracker.update(events, 'BTC:stale', holds, ts, stale, describeStale);
    }
    expect(events).toEqual([
      { ts: 2, severity: 'warning', kind: 'stale_book', coin: 'BTC', message: 'book 6 s old' },
      { ts: 4, severity: 'info', kind: 'stale_book', coin: 'BTC', message: 'cleared: book fresh again' },
    ]);
  });

  it('says ahead of time whether an update would report an edge', () => {
    const tracker = new ConditionTracker();
    expect(tracker.changes('k', false)).toBe(false);
    expect(tracker.changes('k', true)).toBe(true);
    tracker.update([], 'k', true, 0, stale, () => 'on');
    expect(tracker.changes('k', true)).toBe(false);
    expect(tracker.changes('k', false)).toBe(true);
    expect(tracker.changes('other', true)).toBe(true);
  });
});
