import { describe, expect, it } from 'vitest';
import { BOTH_SIDES, SingleSidedSelector, type SingleSidedParams } from '../../../src/core/quote/single-sided.js';

const auto: SingleSidedParams = { mode: 'auto', flipCooldownLoops: 3, marketAware: true, minMakerShare: 0.1, sideBiasRatio: 1.15 };
const flat = { position: 0, flowBias: 1, makerShare: 0.8 };
const buyers = { ...flat, flowBias: 1.3 };
const sellers = { ...flat, flowBias: 1 / 1.3 };

describe('single-sided modes', () => {
  it('off quotes both sides', () => {
    expect(new SingleSidedSelector({ ...auto, mode: 'off' }).select(buyers)).toBe(BOTH_SIDES);
  });

  it('bid and ask quote one side, and a position still allows the side that reduces it', () => {
    const bidOnly = new SingleSidedSelector({ ...auto, mode: 'bid' });
    expect(bidOnly.select(flat)).toEqual({ bid: null, ask: 'single_sided_mode is "bid"' });
    expect(bidOnly.select({ ...flat, position: 0.5 })).toEqual(BOTH_SIDES);
    const askOnly = new SingleSidedSelector({ ...auto, mode: 'ask' });
    expect(askOnly.select(flat)).toEqual({ bid: 'single_sided_mode is "ask"', ask: null });
    expect(askOnly.select({ ...flat, position: -0.5 })).toEqual(BOTH_SIDES);
  });
});

describe('single-sided auto', () => {
  it('quotes the ask into buyers, the bid into sellers, and both sides when flow is balanced', () => {
    const cooldownFree = { ...auto, flipCooldownLoops: 0 };
    expect(new SingleSidedSelector(cooldownFree).select(buyers)).toEqual({
      bid: 'single-sided auto: buy flow dominates (ss_ma_side_bias_ratio); quoting the ask into the buyers',
      ask: null,
    });
    expect(new SingleSidedSelector(cooldownFree).select(sellers).ask).toMatch(/sell flow dominates/);
    expect(new SingleSidedSelector(cooldownFree).select({ ...flat, flowBias: 1.1 })).toBe(BOTH_SIDES);
    expect(new SingleSidedSelector(cooldownFree).select({ ...flat, flowBias: Infinity }).bid).not.toBeNull();
  });

  it('trusts the flow before our first fill (maker share unknown)', () => {
    expect(new SingleSidedSelector(auto).select({ ...buyers, makerShare: NaN }).bid).not.toBeNull();
  });

  it('below ss_ma_min_maker_share quotes both sides when flat and only the reducing side with a position', () => {
    const selector = new SingleSidedSelector({ ...auto, flipCooldownLoops: 0 });
    expect(selector.select({ ...buyers, makerShare: 0.05 })).toBe(BOTH_SIDES);
    expect(selector.select({ ...buyers, makerShare: 0.05, position: 0.3 })).toEqual({
      bid: 'single-sided auto: maker share below ss_ma_min_maker_share; quoting only the side that reduces the position',
      ask: null,
    });
    expect(selector.select({ ...buyers, makerShare: 0.05, position: -0.3 }).ask).toMatch(/maker share below/);
  });

  it('without market awareness works only the position off', () => {
    const selector = new SingleSidedSelector({ ...auto, marketAware: false, flipCooldownLoops: 0 });
    expect(selector.select(buyers)).toBe(BOTH_SIDES);
    expect(selector.select({ ...buyers, position: -1 }).ask).toMatch(/not market aware/);
  });

  it('a position always allows the reducing side, even against the flow pick', () => {
    const selector = new SingleSidedSelector(auto);
    expect(selector.select({ ...buyers, position: -0.2 })).toBe(BOTH_SIDES); // ask picked, short: bid reduces
    expect(selector.select({ ...buyers, position: 0.2 }).bid).not.toBeNull(); // long: the ask already reduces
  });

  it('switches at most once per single_sided_flip_cooldown_loops loops, the first decision immediately', () => {
    const selector = new SingleSidedSelector(auto); // cooldown 3
    const quoted = (inputs: typeof flat) => {
      const selection = selector.select(inputs);
      if (selection.bid === null && selection.ask === null) return 'both';
      return selection.bid === null ? 'bid' : 'ask';
    };
    expect(quoted(buyers)).toBe('ask'); // loop 0: switch from both
    expect(quoted(sellers)).toBe('ask'); // loop 1: held
    expect(quoted(sellers)).toBe('ask'); // loop 2: held
    expect(quoted(sellers)).toBe('bid'); // loop 3: three loops since the switch
    expect(quoted(flat)).toBe('bid'); // held again
    expect(quoted(buyers)).toBe('bid');
    expect(quoted(flat)).toBe('both'); // loop 6
  });

  it('a flickering flow cannot flip the side every loop', () => {
    const selector = new SingleSidedSelector({ ...auto, flipCooldownLoops: 10 });
    let switches = 0;
    let last = selector.select(flat);
    for (let loop = 0; loop < 100; loop++) {
      const next = selector.select(loop % 2 === 0 ? buyers : sellers);
      if ((next.bid === null) !== (last.bid === null) || (next.ask === null) !== (last.ask === null)) switches++;
      last = next;
    }
    expect(switches).toBeLessThanOrEqual(10);
    expect(switches).toBeGreaterThan(0);
  });

  it('updates the reason without counting a switch when the same side is picked for another cause', () => {
    const selector = new SingleSidedSelector(auto);
    selector.select({ ...buyers, position: 0.2 }); // ask, by flow
    expect(selector.select({ ...buyers, position: 0.2, makerShare: 0.01 }).bid).toMatch(/maker share below/); // still the ask
    expect(selector.select({ ...sellers, position: -0.2 })).toBe(BOTH_SIDES); // held ask, short: bid allowed too
  });
});
