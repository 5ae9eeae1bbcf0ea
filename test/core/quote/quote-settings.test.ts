import { describe, expect, it } from 'vitest';
import { coinConfig, loadConfigFile, parseConfig } from '../../../src/config/load.js';
import { planQuotes } from '../../../src/core/quote/plan.js';
import { quoteSetupFromSettings, singleSidedParamsFromSettings } from '../../../src/core/quote/quote-settings.js';
import { projectRoot } from '../../helpers/cli.js';

const defaults = coinConfig(parseConfig('(test)', { coins: ['BTC'] }, 'test'), 'BTC');

describe('quote settings', () => {
  it('picks the model a coin names', () => {
    expect(quoteSetupFromSettings(defaults).model.name).toBe('fixed');
    expect(quoteSetupFromSettings({ ...defaults, quote_model: 'avellaneda_stoikov' }).model.name).toBe('avellaneda_stoikov');
    expect(quoteSetupFromSettings({ ...defaults, quote_model: 'glft' }).model.name).toBe('glft');
  });

  it('sizes a side at size_notional_usd × num_levels unless order_size_usd is set, split equally by default', () => {
    const setup = quoteSetupFromSettings(defaults);
    expect(setup.ladder.orderSizeUsd).toBe(defaults.size_notional_usd * defaults.num_levels);
    expect(setup.ladder.levelSizeSplit).toEqual([0.5, 0.5]);
    expect(quoteSetupFromSettings({ ...defaults, order_size_usd: 300 }).ladder.orderSizeUsd).toBe(300);
  });

  it('reads the seed keys of the single-sided selector', () => {
    expect(singleSidedParamsFromSettings(defaults)).toEqual({
      mode: defaults.single_sided_mode,
      flipCooldownLoops: defaults.single_sided_flip_cooldown_loops,
      marketAware: defaults.single_sided_market_aware,
      minMakerShare: defaults.ss_ma_min_maker_share,
      sideBiasRatio: defaults.ss_ma_side_bias_ratio,
    });
  });

  it('quotes the example GLFT config: three levels split 50/30/20 of $300 per side', () => {
    const btc = coinConfig(loadConfigFile(`${projectRoot}configs/example-glft.json`), 'BTC');
    const plan = planQuotes(quoteSetupFromSettings(btc), { mid: 100_000, sigma: 10.69, position: 0, tick: 1 });
    const bids = plan.quotes.filter((q) => q.side === 'bid');
    expect(bids.map((q) => q.sz * 100_000)).toEqual([expect.closeTo(150, 9), expect.closeTo(90, 9), expect.closeTo(60, 9)]);
    expect(bids.map((q) => q.px)).toEqual([99_979, 99_974, 99_969]);
  });
});
