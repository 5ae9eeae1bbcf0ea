import { describe, expect, it } from 'vitest';
import { CloidSequence } from '../../src/strategy/cloid.js';

const CLOID = /^0x[0-9a-f]{32}$/;

describe('CloidSequence', () => {
  it('issues "0x" + 32 lowercase hex digits, counting up from zero', () => {
    const cloids = new CloidSequence('btc-maker');
    const first = cloids.next();
    const second = cloids.next();
    expect(first).toMatch(CLOID);
    expect(second).toMatch(CLOID);
    expect(first.slice(-16)).toBe('0000000000000000');
    expect(second.slice(-16)).toBe('0000000000000001');
    expect(cloids.count).toBe(2);
  });

  it('is deterministic: the same bot and session give the same ids', () => {
    const a = new CloidSequence('btc-maker', 7);
    const b = new CloidSequence('btc-maker', 7);
    expect([a.next(), a.next(), a.next()]).toEqual([b.next(), b.next(), b.next()]);
  });

  it('keeps bots and sessions apart', () => {
    const first = new CloidSequence('btc-maker').next();
    expect(new CloidSequence('eth-maker').next()).not.toBe(first);
    expect(new CloidSequence('btc-maker', 1).next()).not.toBe(first);
    expect(new CloidSequence('btc-maker', 1).next().slice(10, 18)).toBe('00000001');
  });

  it('never repeats within a sequence', () => {
    const cloids = new CloidSequence('many');
    const seen = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) seen.add(cloids.next());
    expect(seen.size).toBe(10_000);
  });

  it('refuses a session that does not fit in 8 hex digits', () => {
    expect(() => new CloidSequence('bot', 2 ** 32)).toThrow(RangeError);
    expect(() => new CloidSequence('bot', -1)).toThrow(RangeError);
    expect(() => new CloidSequence('bot', 1.5)).toThrow(RangeError);
  });
});
