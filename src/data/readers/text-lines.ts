import { createReadStream } from 'node:fs';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { UserInputError } from '../../errors.js';
import { Lz4FrameError, lz4FrameContent } from './lz4-frames.js';

/**
 * Chunks stay under V8's large-object size (128 KB): a larger chunk's decoded text lands in the
 * large-object space, which only a full collection frees, so a long read would pile up dead
 * chunks. Smaller chunks would mean more trips through the stream machinery per line parsed.
 */
const CHUNK_BYTES = 64 * 1024;

/** Told when a compressed file stops decompressing, after how many whole lines. */
export interface DamageReporter {
  cutShort(file: string, afterLine: number, reason: string): void;
}

/**
 * The lines of a text file, a batch per chunk read, without line ends. Empty lines are kept so
 * that callers can count line numbers. `.gz` is decompressed as a stream, `.lz4` see lz4Chunks.
 * A compressed file that stops decompressing (damaged, or cut off by a crashed writer) ends at
 * its last whole line and is reported to `damage`. Without a reporter, or when not one byte
 * decompresses (not a file of that format), the error is thrown.
 */
export async function* readLineBatches(file: string, damage?: DamageReporter): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  let linesRead = 0;
  let decompressed = false;
  try {
    for await (const chunk of fileChunks(file)) {
      decompressed = true;
      const lines = (partial + decoder.write(chunk)).split('\n');
      partial = lines.pop() ?? '';
      if (lines.length === 0) continue;
      for (let index = 0; index < lines.length; index += 1) lines[index] = withoutCarriageReturn(lines[index]!);
      linesRead += lines.length;
      yield lines;
    }
  } catch (error) {
    if (!(error instanceof DecompressionError) || damage === undefined || !decompressed) throw error;
    damage.cutShort(file, linesRead, error.detail);
    return;
  }
  const last = partial + decoder.end();
  if (last.length > 0) yield [withoutCarriageReturn(last)];
}

const CARRIAGE_RETURN = 13;

function withoutCarriageReturn(line: string): string {
  return line.charCodeAt(line.length - 1) === CARRIAGE_RETURN ? line.slice(0, -1) : line;
}

async function* fileChunks(file: string): AsyncGenerator<Buffer> {
  if (file.endsWith('.lz4')) {
    yield* lz4Chunks(file);
    return;
  }
  const input = createReadStream(file, { highWaterMark: CHUNK_BYTES });
  if (!file.endsWith('.gz')) {
    yield* input as AsyncIterable<Buffer>;
    return;
  }
  const gunzip = createGunzip({ chunkSize: CHUNK_BYTES });
  // Errors reach us through the iteration below; the callback only keeps pipeline from throwing.
  pipeline(input, gunzip, () => undefined);
  try {
    yield* gunzip as AsyncIterable<Buffer>;
  } catch (error) {
    if (isZlibError(error)) throw new DecompressionError(file, 'gzip', error.message);
    throw error;
  }
}

/** LZ4 frames are decompressed a block at a time (see lz4FrameContent), then cut to chunks. */
async function* lz4Chunks(file: string): AsyncGenerator<Buffer> {
  try {
    for await (const content of lz4FrameContent(createReadStream(file, { highWaterMark: CHUNK_BYTES }))) {
      for (let offset = 0; offset < content.length; offset += CHUNK_BYTES) yield content.subarray(offset, offset + CHUNK_BYTES);
    }
  } catch (error) {
    if (error instanceof Lz4FrameError) throw new DecompressionError(file, 'LZ4 frame', error.message);
    throw error;
  }
}

function isZlibError(error: unknown): error is Error {
  const code: unknown = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

class DecompressionError extends UserInputError {
  constructor(
    file: string,
    format: string,
    readonly detail: string,
  ) {
    super(`${file}: cannot decompress (${detail}); the file is damaged or not a ${format} file`);
  }
}
