import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll } from 'vitest';
import type { MarketEvent } from '../../../src/core/types.js';

/** A fresh temporary directory, removed after the test file. */
export function tempDir(prefix: string): string {
  const dir = mkdtempSync(join(tmpdir(), `hypermm-${prefix}-`));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** Where the shared recorded data sits: ../shared/data beside the project. */
export const sharedData = new URL('../../../../shared/data/', import.meta.url).pathname;

export async function collect<T>(events: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const event of events) out.push(event);
  return out;
}

/** An async stream of the items of a sync iterable (sources in tests). */
export async function* fromSync<T>(items: Iterable<T>): AsyncGenerator<T> {
  for (const item of items) yield await Promise.resolve(item);
}

export async function collectBatches(batches: AsyncIterable<MarketEvent[]>): Promise<MarketEvent[]> {
  return (await collect(batches)).flat();
}

/** Hyperliquid levels, best first, from [px, sz] pairs. */
export function levels(pairs: readonly (readonly [number, number])[]): { px: string; sz: string; n: number }[] {
  return pairs.map(([px, sz]) => ({ px: px.toFixed(1), sz: String(sz), n: 1 }));
}

/** A two-level book around `mid` (tick 1). */
export function bookData(coin: string, time: number, mid = 100): Record<string, unknown> {
  return {
    coin,
    time,
    levels: [
      levels([
        [mid - 1, 1.5],
        [mid - 2, 2],
      ]),
      levels([
        [mid + 1, 0.5],
        [mid + 2, 3],
      ]),
    ],
  };
}

/** One line of the S3 archive: Hyperliquid's capture time (UTC, ns, no Z) and the raw frame. */
export function archiveLine(data: Record<string, unknown>, capture: string): string {
  return JSON.stringify({ time: capture, ver_num: 1, raw: { channel: 'l2Book', data } });
}

export function tradeData(coin: string, time: number, tid: number, side: 'B' | 'A', px = 100, sz = 0.1): Record<string, unknown> {
  return { coin, side, px: px.toFixed(1), sz: String(sz), time, hash: '0x00', tid, users: ['0xa', '0xb'] };
}
