import { uncompressSync } from 'lz4-napi';
import xxhash from 'xxhash-wasm';

/** An LZ4 stream that breaks the frame format; the message says what and where. */
export class Lz4FrameError extends Error {}

const FRAME_MAGIC = 0x184d2204;
const SKIPPABLE_MAGIC = 0x184d2a50;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
/** Linked blocks may copy from the 64 KB of content before them. */
const WINDOW_BYTES = 64 * 1024;
const STORED_BLOCK_BIT = 0x80000000;

const FLAG_BLOCKS_INDEPENDENT = 0x20;
const FLAG_BLOCK_CHECKSUM = 0x10;
const FLAG_CONTENT_SIZE = 0x08;
const FLAG_CONTENT_CHECKSUM = 0x04;
const FLAG_RESERVED = 0x02;
const FLAG_DICTIONARY = 0x01;
const DESCRIPTOR_RESERVED = 0x8f;

type Hashing = Awaited<ReturnType<typeof xxhash>>;
let hashing: Promise<Hashing> | undefined;

/**
 * The content of a stream of LZ4 frames (the format of `lz4` and of Hyperliquid's archive), a
 * block at a time: memory stays at one block (at most 4 MB) and the 64 KB window linked blocks
 * refer to, where decompressing the whole frame would hold the whole file. lz4-napi only
 * decompresses whole frames or single blocks, so the frame around the blocks is read here. The
 * frame's header, block and content checksums and its content size are verified when present.
 */
export async function* lz4FrameContent(input: AsyncIterable<Buffer>): AsyncGenerator<Buffer> {
  hashing ??= xxhash();
  const hash = await hashing;
  const reader = new ByteReader(input[Symbol.asyncIterator]());
  try {
    while (await reader.has(1)) {
      const at = reader.consumed;
      const magic = (await reader.need(4, 'a frame magic number')).readUInt32LE(0);
      if ((magic & SKIPPABLE_MAGIC_MASK) >>> 0 === SKIPPABLE_MAGIC) {
        await reader.skip((await reader.need(4, 'a skippable frame size')).readUInt32LE(0), 'a skippable frame');
      } else if (magic === FRAME_MAGIC) {
        yield* frameContent(reader, hash);
      } else {
        throw new Lz4FrameError(`no LZ4 frame at byte ${at}: magic number 0x${magic.toString(16)} is not 0x184d2204`);
      }
    }
  } finally {
    await reader.close();
  }
}

async function* frameContent(reader: ByteReader, hash: Hashing): AsyncGenerator<Buffer> {
  const head = await reader.need(2, 'a frame header');
  const flags = head[0]!;
  const descriptor = head[1]!;
  const version = flags >> 6;
  if (version !== 1) throw new Lz4FrameError(`frame version ${version} is not 1`);
  if ((flags & FLAG_RESERVED) !== 0 || (descriptor & DESCRIPTOR_RESERVED) !== 0) {
    throw new Lz4FrameError('reserved bits of the frame header are set');
  }
  if ((flags & FLAG_DICTIONARY) !== 0) throw new Lz4FrameError('the frame needs a preset dictionary, which cannot be read here');
  const sizeCode = descriptor >> 4;
  if (sizeCode < 4) throw new Lz4FrameError(`block size code ${sizeCode} is not one of 4-7`);
  const blockMaxBytes = WINDOW_BYTES << (2 * (sizeCode - 4));
  const contentSizeBytes = (flags & FLAG_CONTENT_SIZE) !== 0 ? await reader.need(8, 'the content size') : undefined;
  const headerChecksum = (await reader.need(1, 'the header checksum'))[0];
  const headerBytes = contentSizeBytes === undefined ? head : Buffer.concat([head, contentSizeBytes]);
  if (headerChecksum !== ((hash.h32Raw(headerBytes) >>> 8) & 0xff)) throw new Lz4FrameError('header checksum does not match');

  const linked = (flags & FLAG_BLOCKS_INDEPENDENT) === 0;
  const blockChecksums = (flags & FLAG_BLOCK_CHECKSUM) !== 0;
  const contentHash = (flags & FLAG_CONTENT_CHECKSUM) !== 0 ? hash.create32() : undefined;
  let window: Buffer | undefined;
  let contentBytes = 0;
  for (let block = 1; ; block += 1) {
    const word = (await reader.need(4, `the size of block ${block}`)).readUInt32LE(0);
    if (word === 0) break;
    const stored = (word & STORED_BLOCK_BIT) !== 0;
    const length = (word & ~STORED_BLOCK_BIT) >>> 0;
    if (length > blockMaxBytes) {
      throw new Lz4FrameError(`block ${block} claims ${length} bytes, more than the frame's ${blockMaxBytes}-byte blocks`);
    }
    // Room for the size prefix lz4-napi's block decoder reads: the most the block may hold.
    const packed = await reader.need(length, `block ${block}`, stored ? 0 : 4);
    const data = stored ? packed : packed.subarray(4);
    if (blockChecksums) {
      const expected = (await reader.need(4, `the checksum of block ${block}`)).readUInt32LE(0);
      if (hash.h32Raw(data) >>> 0 !== expected) throw new Lz4FrameError(`block ${block} checksum does not match`);
    }
    const content = stored ? data : decompressBlock(packed, blockMaxBytes, linked ? window : undefined, block);
    contentHash?.update(content);
    contentBytes += content.length;
    if (linked) window = lastWindow(window, content);
    yield content;
  }
  if (contentHash !== undefined) {
    const expected = (await reader.need(4, 'the content checksum')).readUInt32LE(0);
    if (contentHash.digest() >>> 0 !== expected) throw new Lz4FrameError('content checksum does not match');
  }
  const declared = contentSizeBytes === undefined ? undefined : Number(contentSizeBytes.readBigUInt64LE(0));
  if (declared !== undefined && declared !== contentBytes) {
    throw new Lz4FrameError(`the frame holds ${contentBytes} bytes where its header says ${declared}`);
  }
}

function decompressBlock(packed: Buffer, blockMaxBytes: number, window: Buffer | undefined, block: number): Buffer {
  packed.writeUInt32LE(blockMaxBytes, 0);
  try {
    return uncompressSync(packed, window);
  } catch (error) {
    throw new Lz4FrameError(`block ${block} does not decompress: ${error instanceof Error ? error.message : String(error)}`);
  }
}

function lastWindow(window: Buffer | undefined, content: Buffer): Buffer {
  if (content.length >= WINDOW_BYTES) return Buffer.from(content.subarray(content.length - WINDOW_BYTES));
  const joined = window === undefined ? content : Buffer.concat([window, content]);
  return joined.length > WINDOW_BYTES ? Buffer.from(joined.subarray(joined.length - WINDOW_BYTES)) : joined;
}

/** Reads exact byte counts from a stream of chunks of any size. */
class ByteReader {
  private readonly chunks: Buffer[] = [];
  private buffered = 0;
  consumed = 0;

  constructor(private readonly source: AsyncIterator<Buffer>) {}

  /** Whether `count` more bytes can be read; false when the input ends first. */
  async has(count: number): Promise<boolean> {
    while (this.buffered < count) {
      const next = await this.source.next();
      if (next.done === true) return false;
      if (next.value.length === 0) continue;
      this.chunks.push(next.value);
      this.buffered += next.value.length;
    }
    return true;
  }

  /** The next `count` bytes, after `headroom` unwritten bytes; an error naming `what` if the input ends first. */
  async need(count: number, what: string, headroom = 0): Promise<Buffer> {
    if (!(await this.has(count))) throw this.cutOff(what);
    const out = Buffer.allocUnsafe(headroom + count);
    let written = 0;
    while (written < count) {
      const chunk = this.chunks[0]!;
      const part = Math.min(chunk.length, count - written);
      chunk.copy(out, headroom + written, 0, part);
      written += part;
      if (part === chunk.length) this.chunks.shift();
      else this.chunks[0] = chunk.subarray(part);
    }
    this.buffered -= count;
    this.consumed += count;
    return out;
  }

  async skip(count: number, what: string): Promise<void> {
    let left = count;
    while (left > 0) {
      if (this.buffered === 0 && !(await this.has(1))) throw this.cutOff(what);
      const chunk = this.chunks.shift()!;
      const part = Math.min(chunk.length, left);
      if (part < chunk.length) this.chunks.unshift(chunk.subarray(part));
      this.buffered -= part;
      this.consumed += part;
      left -= part;
    }
  }

  async close(): Promise<void> {
    await this.source.return?.();
  }

  private cutOff(what: string): Lz4FrameError {
    return new Lz4FrameError(`the data ends at byte ${this.consumed + this.buffered} inside ${what}; the file was cut off`);
  }
}
