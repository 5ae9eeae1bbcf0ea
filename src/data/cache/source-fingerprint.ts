import { createHash } from 'node:crypto';
import { open, stat } from 'node:fs/promises';

/** What identifies the content of an input file without reading all of it. */
export interface InputFingerprint {
  readonly path: string;
  readonly size: number;
  readonly mtimeMs: number;
  /** SHA-256 of the whole file up to FULL_HASH_BYTES, else of its first and last EDGE_BYTES. */
  readonly sha256: string;
}

const FULL_HASH_BYTES = 1024 * 1024;
const EDGE_BYTES = 64 * 1024;

export async function fingerprintInputs(paths: readonly string[]): Promise<InputFingerprint[]> {
  return Promise.all(paths.map(fingerprint));
}

export function sameInputs(a: readonly InputFingerprint[], b: readonly InputFingerprint[]): boolean {
  return (
    a.length === b.length &&
    a.every((input, index) => {
      const other = b[index]!;
      return input.path === other.path && input.size === other.size && input.mtimeMs === other.mtimeMs && input.sha256 === other.sha256;
    })
  );
}

async function fingerprint(path: string): Promise<InputFingerprint> {
  const info = await stat(path);
  const hash = createHash('sha256');
  const handle = await open(path, 'r');
  try {
    const ranges: [number, number][] =
      info.size <= FULL_HASH_BYTES ? [[0, info.size]] : [[0, EDGE_BYTES], [info.size - EDGE_BYTES, EDGE_BYTES]];
    for (const [position, length] of ranges) {
      const bytes = Buffer.alloc(length);
      const { bytesRead } = await handle.read(bytes, 0, length, position);
      hash.update(bytes.subarray(0, bytesRead));
    }
  } finally {
    await handle.close();
  }
  return { path, size: info.size, mtimeMs: info.mtimeMs, sha256: hash.digest('hex') };
}
