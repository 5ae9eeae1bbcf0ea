import { describe, expect, it } from 'vitest';
import { MakerShare } from '../../../src/core/estimators/maker-share.js';

describe('MakerShare', () => {
  it('is NaN before any fill', () => {
    expect(new MakerShare(60).share).toBeNaN();
  });

  it('counts maker fills among all fills', () => {
    const share = new MakerShare(60);
    [true, true, false, true].forEach((maker) => share.update(maker, 1_000));
    expect(share.share).toBe(0.75);
  });

  it('weighs a fill one half-life old half as much as a new one', () => {
    const share = new MakerShare(60);
    share.update(true, 0);
    share.update(false, 60_000);
    // maker weight 0.5 over total weight 1.5
    expect(share.share).toBeCloseTo(1 / 3, 12);
  });
});
