import { randomBytes } from 'node:crypto';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { crc32 } from 'node:zlib';
import type { MarketEvent } from '../../core/types.js';
import type { RecordedStats } from '../readers/read-stats.js';
import { BLOCK_EVENTS, BlockBuilder, encodeHead, encodeTail, HEAD_BYTES } from './cache-format.js';
import type { BlockIndex, CacheIdentity, CacheTrailer } from './cache-trailer.js';

/**
 * Writes a cache file next to its final name and renames it into place only when complete, so a
 * crash leaves either the old file or none. A cache is an optimisation: the first I/O error turns
 * the writer off and is returned by commit(), and the read that feeds it goes on.
 */
export class CacheWriter {
  private handle: FileHandle | undefined;
  private failure: string | undefined;
  /** Events are copied into the block as they come, so the writer holds none of them. */
  private readonly block = new BlockBuilder((coin) => this.coinIndex(coin));
  private offset = HEAD_BYTES;
  private events = 0;
  private depth = 0;
  private readonly blocks: BlockIndex[] = [];
  private readonly coins = new Map<string, number>();

  private constructor(
    private readonly file: string,
    private readonly temporary: string,
    private readonly identity: CacheIdentity,
  ) {}

  static async create(file: string, identity: CacheIdentity): Promise<CacheWriter> {
    const writer = new CacheWriter(file, `${file}.${process.pid}-${randomBytes(4).toString('hex')}.tmp`, identity);
    await writer.guard(async () => {
      await mkdir(dirname(file), { recursive: true });
      writer.handle = await open(writer.temporary, 'wx');
      await writer.handle.write(encodeHead(), 0, HEAD_BYTES, 0);
    });
    return writer;
  }

  async add(batch: readonly MarketEvent[]): Promise<void> {
    for (const event of batch) {
      if (this.failure !== undefined) return;
      this.block.add(event);
      if (this.block.length === BLOCK_EVENTS) await this.flush();
    }
  }

  /** Finishes the file and moves it into place; returns why it could not, if it could not. */
  async commit(stats: RecordedStats): Promise<string | undefined> {
    await this.flush();
    await this.guard(async () => {
      const handle = this.handle!;
      const trailer: CacheTrailer = {
        ...this.identity,
        events: this.events,
        depth: this.depth,
        coins: [...this.coins.keys()],
        blocks: this.blocks,
        stats,
      };
      const json = Buffer.from(JSON.stringify(trailer), 'utf8');
      await handle.write(json, 0, json.length, this.offset);
      const tail = encodeTail(json.length, crc32(json));
      await handle.write(tail, 0, tail.length, this.offset + json.length);
      await handle.sync();
      await handle.close();
      this.handle = undefined;
      await rename(this.temporary, this.file);
    });
    return this.failure;
  }

  /** Drops the unfinished file. */
  async abort(): Promise<void> {
    this.failure ??= 'aborted';
    await this.handle?.close().catch(() => undefined);
    this.handle = undefined;
    await rm(this.temporary, { force: true }).catch(() => undefined);
  }

  private async flush(): Promise<void> {
    if (this.block.length === 0 || this.failure !== undefined) return;
    const events = this.block.length;
    this.depth = Math.max(this.depth, this.block.depth);
    const block = this.block.finish();
    await this.guard(async () => {
      await this.handle!.write(block, 0, block.length, this.offset);
      this.blocks.push({ offset: this.offset, bytes: block.length, events, crc: crc32(block) });
      this.offset += block.length;
      this.events += events;
    });
  }

  private coinIndex(coin: string): number {
    let index = this.coins.get(coin);
    if (index === undefined) {
      index = this.coins.size;
      this.coins.set(coin, index);
    }
    return index;
  }

  private async guard(work: () => Promise<void>): Promise<void> {
    if (this.failure !== undefined) return;
    try {
      await work();
    } catch (error) {
      this.failure = error instanceof Error ? error.message : String(error);
      await this.abort();
    }
  }
}
