import { describe, expect, it } from 'vitest';
import type { RiskEvent } from '../../../src/core/risk/risk-types.js';
import { TrackedCondition } from '../../../src/core/risk/condition-tracker.js';

describe('TrackedCondition', () => {
  it('reports a condition once when it starts and once when it clears', () => {
    const stale = new TrackedCondition('stale_book', 'warning', 'BTC');
    const events: RiskEvent[] = [];
    for (const [ts, holds] of [[1, false], [2, true], [3, true], [4, false], [5, false]] as const) {
      stale.update(events, holds, ts, holds ? 'book 6 s old' : 'book fresh again');
    }
    expect(events).toEqual([
      { ts: 2, severity: 'warning', kind: 'stale_book', coin: 'BTC', message: 'book 6 s old' },
      { ts: 4, severity: 'info', kind: 'stale_book', coin: 'BTC', message: 'cleared: book fresh again' },
    ]);
  });

  it('says ahead of time whether an update would report an edge', () => {
    const condition = new TrackedCondition('kill_switch', 'critical', null);
    const other = new TrackedCondition('kill_switch', 'critical', null);
    expect(condition.changes(false)).toBe(false);
    expect(condition.changes(true)).toBe(true);
    condition.update([], true, 0, 'on');
    expect(condition.changes(true)).toBe(false);
    expect(condition.changes(false)).toBe(true);
    expect(other.changes(true)).toBe(true);
  });
});
