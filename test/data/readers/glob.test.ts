import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { expandGlob, isGlob } from '../../../src/data/readers/glob.js';
import { tempDir } from './fixtures.js';

const root = tempDir('glob');
for (const path of ['market_data/20240101/11/l2Book/BTC.lz4', 'market_data/20240101/12/l2Book/BTC.lz4', 'market_data/20240101/12/l2Book/ETH.lz4', 'market_data/20240102/0/l2Book/BTC.lz4', 'market_data/.hidden/1/l2Book/BTC.lz4', 'notes.txt']) {
  mkdirSync(join(root, path, '..'), { recursive: true });
  writeFileSync(join(root, path), '');
}

describe('expandGlob', () => {
  it('tells a glob from a plain path', () => {
    expect(isGlob('data/*.lz4')).toBe(true);
    expect(isGlob('data/BTC.lz4')).toBe(false);
  });

  it('matches * and ? within a segment', async () => {
    expect(await expandGlob(join(root, 'market_data/2024010?/1*/l2Book/BTC.lz4'))).toEqual([
      join(root, 'market_data/20240101/11/l2Book/BTC.lz4'),
      join(root, 'market_data/20240101/12/l2Book/BTC.lz4'),
    ]);
  });

  it('matches ** across directories but not into hidden ones, and [...] as a character class', async () => {
    expect(await expandGlob(join(root, '**/[B]TC.lz4'))).toEqual([
      join(root, 'market_data/20240101/11/l2Book/BTC.lz4'),
      join(root, 'market_data/20240101/12/l2Book/BTC.lz4'),
      join(root, 'market_data/20240102/0/l2Book/BTC.lz4'),
    ]);
  });

  it('returns nothing when nothing matches', async () => {
    expect(await expandGlob(join(root, 'market_data/*/99/l2Book/*.lz4'))).toEqual([]);
  });
});
