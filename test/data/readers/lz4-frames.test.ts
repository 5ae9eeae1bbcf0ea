import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compressFrameSync, decompressFrameSync } from 'lz4-napi';
import xxhash from 'xxhash-wasm';
import { describe, expect, it } from 'vitest';
import { Lz4FrameError, lz4FrameContent } from '../../../src/data/readers/lz4-frames.js';
import { collect, fromSync, sharedData } from './fixtures.js';

const hashing = await xxhash();
const h32Raw = (bytes: Buffer): number => hashing.h32Raw(bytes);

/** The bytes in pieces of `size`, as a file stream would deliver them. */
function pieces(bytes: Buffer, size: number): AsyncIterable<Buffer> {
  const parts: Buffer[] = [];
  for (let offset = 0; offset < bytes.length; offset += size) parts.push(bytes.subarray(offset, offset + size));
  return fromSync(parts);
}

async function decode(bytes: Buffer, pieceSize = 4096): Promise<Buffer> {
  return Buffer.concat(await collect(lz4FrameContent(pieces(bytes, pieceSize))));
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0, 0);
  return out;
}

interface Block {
  /** Block data as stored in the frame. */
  readonly data: Buffer;
  /** Stored as is rather than LZ4-compressed. */
  readonly stored?: boolean;
}

interface FrameShape {
  readonly linked?: boolean;
  readonly blockChecksums?: boolean;
  readonly contentChecksumOf?: Buffer;
  readonly contentSize?: number;
}

/** An LZ4 frame written byte by byte from the format's description, with 64 KB blocks. */
function frame(blocks: readonly Block[], shape: FrameShape = {}): Buffer {
  let flags = 0x40;
  if (shape.linked !== true) flags |= 0x20;
  if (shape.blockChecksums === true) flags |= 0x10;
  if (shape.contentSize !== undefined) flags |= 0x08;
  if (shape.contentChecksumOf !== undefined) flags |= 0x04;
  const descriptor = [Buffer.from([flags, 0x40])];
  if (shape.contentSize !== undefined) {
    const size = Buffer.alloc(8);
    size.writeBigUInt64LE(BigInt(shape.contentSize), 0);
    descriptor.push(size);
  }
  const header = Buffer.concat(descriptor);
  const parts = [u32(0x184d2204), header, Buffer.from([(h32Raw(header) >>> 8) & 0xff])];
  for (const block of blocks) {
    parts.push(u32(block.data.length | (block.stored === true ? 0x80000000 : 0)), block.data);
    if (shape.blockChecksums === true) parts.push(u32(h32Raw(block.data)));
  }
  parts.push(u32(0));
  if (shape.contentChecksumOf !== undefined) parts.push(u32(h32Raw(shape.contentChecksumOf)));
  return Buffer.concat(parts);
}

/** An LZ4 block that copies `length` bytes from `offset` back, then ends with `tail` as literals. */
function matchThenLiterals(offset: number, length: number, tail: string): Buffer {
  return Buffer.from([length - 4, offset & 0xff, offset >> 8, tail.length << 4, ...Buffer.from(tail)]);
}

/** Deterministic text that compresses but not to nothing: lines of a counter and its square. */
function text(lines: number): Buffer {
  const out: string[] = [];
  for (let index = 0; index < lines; index += 1) out.push(`{"n":${index},"square":${index * index}}`);
  return Buffer.from(out.join('\n') + '\n');
}

/** The block size lz4-napi writes. */
const BLOCK = 4 * 1024 * 1024;

describe('LZ4 frame decoder', () => {
  it('gives back what lz4 compressed, over several 4 MB blocks and in pieces of any size', async () => {
    const content = text(300_000);
    expect(content.length).toBeGreaterThan(2 * BLOCK);
    const compressed = compressFrameSync(content);
    for (const size of [1000, 65_536, 1_000_003]) expect((await decode(compressed, size)).equals(content)).toBe(true);
  });

  it('yields the content one block at a time', async () => {
    const content = text(300_000);
    const blocks = await collect(lz4FrameContent(pieces(compressFrameSync(content), 65_536)));
    expect(blocks.map((block) => block.length)).toEqual([BLOCK, BLOCK, content.length - 2 * BLOCK]);
  });

  it('reads linked blocks that copy from the block before, and verifies every checksum and the content size', async () => {
    const first = Buffer.from('0123456789abcdef');
    const content = Buffer.concat([first, first, Buffer.from('vwxyz')]);
    const bytes = frame([{ data: first, stored: true }, { data: matchThenLiterals(16, 16, 'vwxyz') }], {
      linked: true,
      blockChecksums: true,
      contentChecksumOf: content,
      contentSize: content.length,
    });
    expect((await decode(bytes, 3)).toString()).toBe('0123456789abcdef0123456789abcdefvwxyz');
  });

  it('reads frames one after another and skips skippable frames between them', async () => {
    const skippable = Buffer.concat([u32(0x184d2a5f), u32(6), Buffer.from('ignore')]);
    const bytes = Buffer.concat([compressFrameSync(Buffer.from('first\n')), skippable, compressFrameSync(Buffer.from('second\n'))]);
    expect((await decode(bytes, 5)).toString()).toBe('first\nsecond\n');
  });

  it('gives no content for no bytes', async () => {
    expect(await decode(Buffer.alloc(0))).toHaveLength(0);
  });

  const block = { data: Buffer.from('abc'), stored: true };
  it.each([
    ['a foreign magic number', Buffer.from('{"time":1}\n'), 'no LZ4 frame at byte 0: magic number 0x6974227b is not 0x184d2204'],
    ['a wrong header checksum', Buffer.concat([u32(0x184d2204), Buffer.from([0x60, 0x40, 0x00]), u32(0)]), 'header checksum does not match'],
    ['a preset dictionary', Buffer.concat([u32(0x184d2204), Buffer.from([0x61, 0x40, 0x00])]), 'needs a preset dictionary'],
    ['a block larger than the frame allows', frame([{ data: Buffer.alloc(65_537), stored: true }]), 'block 1 claims 65537 bytes'],
    ['a wrong block checksum', Buffer.from(frame([block], { blockChecksums: true }).map((byte, at, all) => (at === all.length - 5 ? byte ^ 1 : byte))), 'block 1 checksum does not match'],
    ['a wrong content checksum', frame([block], { contentChecksumOf: Buffer.from('abd') }), 'content checksum does not match'],
    ['a wrong content size', frame([block], { contentSize: 4 }), 'holds 3 bytes where its header says 4'],
    ['a block that copies from before its start', frame([{ data: matchThenLiterals(16, 16, 'vwxyz') }]), 'block 1 does not decompress'],
  ])('refuses %s', async (_, bytes, message) => {
    const attempt = decode(bytes);
    await expect(attempt).rejects.toBeInstanceOf(Lz4FrameError);
    await expect(attempt).rejects.toThrow(message);
  });

  it('yields the blocks before the point where a file was cut off, then says where it ends', async () => {
    const content = text(300_000);
    const compressed = compressFrameSync(content);
    const cut = compressed.subarray(0, compressed.length - 1000);
    const blocks: Buffer[] = [];
    await expect(
      (async () => {
        for await (const block of lz4FrameContent(pieces(cut, 65_536))) blocks.push(block);
      })(),
    ).rejects.toThrow(`the data ends at byte ${cut.length} inside block 3; the file was cut off`);
    expect(Buffer.concat(blocks).equals(content.subarray(0, 2 * BLOCK))).toBe(true);
  });
});

const archiveHour = join(sharedData, 'hyperliquid/s3_archive_l2book/BTC_20240101_h12.lz4');

// Real recorded data from ../shared/data; skipped when that directory is not present.
describe.skipIf(!existsSync(archiveHour))('LZ4 frame decoder on the S3 archive hour', () => {
  it('gives the same 9,178,529 bytes as decompressing the whole frame, checked against its content checksum', async () => {
    const compressed = readFileSync(archiveHour);
    const content = await decode(compressed, 65_536);
    expect(content.length).toBe(9_178_529);
    expect(content.equals(decompressFrameSync(compressed))).toBe(true);
  });
});
