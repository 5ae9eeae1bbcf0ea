import { describe, expect, it } from 'vitest';
import type { MarketEvent } from '../../src/core/types.js';
import { FundingWindow } from '../../src/backtest/funding-window.js';
import { book, funding, trade } from '../venues/sim/market-events.js';

function passAll(events: readonly MarketEvent[]): string[] {
  const window = new FundingWindow();
  const out: string[] = [];
  for (const event of events) window.pass(event, (passed) => out.push(`${passed.type}@${passed.exchTs}`));
  return out;
}

describe('FundingWindow', () => {
  it('lets through the funding records between the first and the last market event, in order', () => {
    const events = [
      funding(0, 0.0001),
      book(10, [[99, 1]], [[101, 1]]),
      funding(20, 0.0001),
      funding(25, 0.0002),
      trade(30, 100, 1, 'ask'),
      book(40, [[99, 1]], [[101, 1]]),
      funding(50, 0.0003),
    ];
    expect(passAll(events)).toEqual(['book@10', 'funding@20', 'funding@25', 'trade@30', 'book@40']);
  });

  it('lets a record through at the time of the market event that follows it', () => {
    expect(passAll([book(10, [[99, 1]], [[101, 1]]), funding(20, 0.0001), book(20, [[99, 1]], [[101, 1]])])).toEqual(['book@10', 'funding@20', 'book@20']);
  });
});
