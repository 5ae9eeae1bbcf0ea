import { createReadStream } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { pipeline } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';
import { createGunzip } from 'node:zlib';
import { decompressFrameSync } from 'lz4-napi';
import { UserInputError } from '../../errors.js';

/**
 * Chunks stay under V8's large-object size (128 KB): a larger chunk's decoded text lands in the
 * large-object space, which only a full collection frees, so a long read would pile up dead
 * chunks. Smaller chunks would mean more trips through the stream machinery per line parsed.
 */
const CHUNK_BYTES = 64 * 1024;

/**
 * The lines of a text file, a batch per chunk read, without line ends. Empty lines are kept so
 * that callers can count line numbers. `.gz` is decompressed as a stream, `.lz4` see lz4Chunks.
 */
export async function* readLineBatches(file: string): AsyncGenerator<string[]> {
  const decoder = new StringDecoder('utf8');
  let partial = '';
  for await (const chunk of fileChunks(file)) {
    const lines = (partial + decoder.write(chunk)).split('\n');
    partial = lines.pop() ?? '';
    if (lines.length === 0) continue;
    for (let index = 0; index < lines.length; index += 1) lines[index] = withoutCarriageReturn(lines[index]!);
    yield lines;
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
    if (isZlibError(error)) throw damaged(file, 'gzip', error.message);
    throw error;
  }
}

/**
 * Hyperliquid's archive stores an hour as one LZ4 frame and lz4-napi has no streaming decoder,
 * so the hour is decompressed as one buffer (bounded by one coin-hour, about 9 MB for BTC).
 */
async function* lz4Chunks(file: string): AsyncGenerator<Buffer> {
  const compressed = await readFile(file);
  let text: Buffer;
  try {
    text = decompressFrameSync(compressed);
  } catch (error) {
    throw damaged(file, 'LZ4 frame', error instanceof Error ? error.message : String(error));
  }
  for (let offset = 0; offset < text.length; offset += CHUNK_BYTES) {
    yield text.subarray(offset, offset + CHUNK_BYTES);
  }
}

function isZlibError(error: unknown): error is Error {
  const code: unknown = error instanceof Error ? (error as NodeJS.ErrnoException).code : undefined;
  return typeof code === 'string' && code.startsWith('Z_');
}

function damaged(file: string, format: string, detail: string): UserInputError {
  return new UserInputError(`${file}: cannot decompress (${detail}); the file is damaged or not a ${format} file`);
}
