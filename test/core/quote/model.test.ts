import { describe, expect, it } from 'vitest';
import { AvellanedaStoikovModel } from '../../../src/core/quote/avellaneda-stoikov.js';
import { FixedSpreadModel } from '../../../src/core/quote/fixed.js';
import { GlftModel } from '../../../src/core/quote/glft.js';
import type { QuoteModel, QuoteModelOutputRecord } from '../../../src/core/quote/model.js';

const models: QuoteModel[] = [
  new FixedSpreadModel({ baseSpreadBps: 2, volMultiplier: 1.5, minSpreadBps: 1, maxSpreadBps: 20, inventorySkewFactor: 0.3, maxPositionUsd: 400 }),
  new AvellanedaStoikovModel({ gamma: 0.1, k: 1.5, horizonMode: 'finite', horizonSec: 1 }),
  new GlftModel({ gamma: 0.05, A: 2.986162360812285, k: 0.04235741115084049, delta: 1 }),
];

describe('quote model port', () => {
  it.each(models.map((model) => [model.name, model] as const))('%s fills a lent output record with the numbers it would return', (_name, model) => {
    const inputs = { mid: 100_000, sigma: 10.69, position: 0.002, tick: 1, timeRemainingSec: 0.5 };
    const into: QuoteModelOutputRecord = { reservationPrice: 0, halfSpread: 0, skew: 0 };
    expect(model.quote(inputs, into)).toBe(into);
    expect(into).toEqual(model.quote(inputs));
    const fresh = model.quote(inputs);
    model.quote({ ...inputs, position: -1 }, into);
    expect(fresh).toEqual(model.quote(inputs));
  });
});
