import { open, type FileHandle } from 'node:fs/promises';
import { crc32 } from 'node:zlib';
import type { MarketEvent } from '../../core/types.js';
import { BlockReader, checkHead, decodeTail, HEAD_BYTES, TAIL_BYTES } from './cache-format.js';
import { parseTrailer, type CacheIdentity, type CacheTrailer } from './cache-trailer.js';
import { sameInputs } from './source-fingerprint.js';

const OUTPUT_BATCH = 256;

/** A cache block failed its check while being read. */
export class CacheDamagedError extends Error {
  override readonly name = 'CacheDamagedError';
}

export type CacheLookup =
  | { readonly kind: 'hit'; readonly cache: OpenCache }
  | { readonly kind: 'missing' }
  /** Another version, or written for another source content or tolerance. */
  | { readonly kind: 'stale' }
  | { readonly kind: 'damaged'; readonly reason: string };

/** Opens `file` if it is a complete cache of the source `identity` describes. */
export async function lookupCache(file: string, identity: CacheIdentity): Promise<CacheLookup> {
  let handle: FileHandle;
  try {
    handle = await open(file, 'r');
  } catch {
    return { kind: 'missing' };
  }
  let keep = false;
  try {
    const size = (await handle.stat()).size;
    const head = await readAt(handle, 0, Math.min(HEAD_BYTES, size));
    const headState = checkHead(head);
    if (headState === 'otherVersion') return { kind: 'stale' };
    if (headState === 'damaged' || size < HEAD_BYTES + TAIL_BYTES) return { kind: 'damaged', reason: 'not a cache file' };
    const tail = decodeTail(await readAt(handle, size - TAIL_BYTES, TAIL_BYTES));
    const trailerStart = size - TAIL_BYTES - (tail?.trailerBytes ?? 0);
    if (tail === undefined || trailerStart < HEAD_BYTES) return { kind: 'damaged', reason: 'cut short' };
    const trailerBytes = await readAt(handle, trailerStart, tail.trailerBytes);
    const trailer = crc32(trailerBytes) === tail.trailerCrc ? parseTrailer(Buffer.from(trailerBytes).toString('utf8')) : undefined;
    if (trailer === undefined) return { kind: 'damaged', reason: 'trailer fails its check' };
    if (!blocksFill(trailer, trailerStart)) return { kind: 'damaged', reason: 'block index does not match the file' };
    if (
      trailer.source !== identity.source ||
      trailer.toleranceMs !== identity.toleranceMs ||
      trailer.readerCode !== identity.readerCode ||
      !sameInputs(trailer.inputs, identity.inputs)
    ) {
      return { kind: 'stale' };
    }
    keep = true;
    return { kind: 'hit', cache: new OpenCache(handle, trailer) };
  } finally {
    if (!keep) await handle.close();
  }
}

/** Blocks must follow the head back to back and end where the trailer starts. */
function blocksFill(trailer: CacheTrailer, trailerStart: number): boolean {
  let offset = HEAD_BYTES;
  let events = 0;
  for (const block of trailer.blocks) {
    if (block.offset !== offset) return false;
    offset += block.bytes;
    events += block.events;
  }
  return offset === trailerStart && events === trailer.events;
}

/** A valid cache, open for one pass over its events. */
export class OpenCache {
  private readonly buffers: (ArrayBuffer | undefined)[] = [undefined, undefined];

  constructor(
    private readonly handle: FileHandle,
    readonly trailer: CacheTrailer,
  ) {}

  /** The events in batches; throws CacheDamagedError at the first block that fails its check. */
  async *batches(): AsyncGenerator<MarketEvent[]> {
    const blocks = this.trailer.blocks;
    // The next block is read while the events of this one are handed out.
    let next = blocks.length > 0 ? this.prefetch(0) : undefined;
    try {
      for (let index = 0; index < blocks.length; index += 1) {
        const reader = await next!;
        next = index + 1 < blocks.length ? this.prefetch(index + 1) : undefined;
        while (reader.remaining > 0) yield this.decode(() => reader.read(OUTPUT_BATCH));
      }
    } finally {
      await next?.catch(() => undefined);
      await this.close();
    }
  }

  /** Starts loading a block; a failure is raised where the block is awaited, not as unhandled. */
  private prefetch(index: number): Promise<BlockReader> {
    const loading = this.loadBlock(index);
    void loading.catch(() => undefined);
    return loading;
  }

  private async loadBlock(index: number): Promise<BlockReader> {
    const block = this.trailer.blocks[index]!;
    // Two buffers in turn: one for the block being handed out, one for the block read ahead.
    // Events copy their levels out of the block, so a buffer is free again once its block is read.
    const buffer = this.bufferFor(index);
    const bytes = new Uint8Array(buffer, 0, block.bytes);
    const { bytesRead } = await this.handle.read(bytes, 0, block.bytes, block.offset);
    if (bytesRead !== block.bytes || crc32(bytes) !== block.crc) {
      throw new CacheDamagedError(`block at byte ${block.offset} fails its check`);
    }
    return this.decode(() => new BlockReader(buffer, this.trailer.coins, block.bytes));
  }

  /** The buffer of slot index % 2, made once as large as the largest block. */
  private bufferFor(index: number): ArrayBuffer {
    const slot = index % 2;
    const current = this.buffers[slot];
    if (current !== undefined) return current;
    const largest = this.trailer.blocks.reduce((most, block) => Math.max(most, block.bytes), 0);
    const buffer = new ArrayBuffer(largest);
    this.buffers[slot] = buffer;
    return buffer;
  }

  private decode<T>(work: () => T): T {
    try {
      return work();
    } catch (error) {
      throw new CacheDamagedError(error instanceof Error ? error.message : String(error));
    }
  }

  async close(): Promise<void> {
    await this.handle.close().catch(() => undefined);
  }
}

async function readAt(handle: FileHandle, position: number, length: number): Promise<Uint8Array> {
  const bytes = new Uint8Array(length);
  const { bytesRead } = await handle.read(bytes, 0, length, position);
  return bytes.subarray(0, bytesRead);
}
