import type { AssetMeta } from '../venues/sim/sim-venue.js';
import { UserInputError } from '../errors.js';

/**
 * Hyperliquid perp metadata for backtests (szDecimals from meta; asset ids as on mainnet where
 * known). Live trading always re-reads meta from the exchange; this table only lets a backtest
 * apply the same price and size rules offline. Override with `--sz-decimals COIN=N`.
 */
const KNOWN_SZ_DECIMALS: Readonly<Record<string, number>> = {
  BTC: 5,
  ETH: 4,
  BNB: 3,
  SOL: 2,
  AVAX: 2,
  ATOM: 2,
  APT: 2,
  HYPE: 2,
  DYDX: 1,
  OP: 1,
  ARB: 1,
  MATIC: 1,
  APE: 1,
  DOGE: 0,
  kPEPE: 0,
  kSHIB: 0,
  XRP: 0,
  WLFI: 0,
};

const MAINNET_ASSET_IDS: Readonly<Record<string, number>> = { BTC: 0, ETH: 1, ATOM: 2, MATIC: 3, DYDX: 4, SOL: 5, AVAX: 6, BNB: 7, APE: 8, OP: 9 };

export function assetMetadata(coins: readonly string[], overrides: Readonly<Record<string, number>> = {}): Record<string, AssetMeta> {
  const assets: Record<string, AssetMeta> = {};
  coins.forEach((coin, index) => {
    const szDecimals = overrides[coin] ?? KNOWN_SZ_DECIMALS[coin];
    if (szDecimals === undefined) {
      throw new UserInputError(`coin ${coin}: its size decimals are not known offline; pass --sz-decimals ${coin}=N (Hyperliquid meta szDecimals)`);
    }
    assets[coin] = { assetId: MAINNET_ASSET_IDS[coin] ?? 1000 + index, szDecimals };
  });
  return assets;
}
