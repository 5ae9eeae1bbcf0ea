/**
 * Writes MB megabytes of S3-archive-style l2Book lines (one BTC snapshot every 0.5 s from
 * 2024-01-01, 20 levels a side) as FILE.lz4 (one frame of 4 MB blocks, as Hyperliquid's archive)
 * and FILE.jsonl.gz. A process of its own, because a process's peak RSS carries over to the
 * processes it starts, and this one holds the whole text.
 *
 * Usage (from bench/compressed-read-memory.js): node bench/lib/write-archive-lines.js MB FILE
 */
import { Buffer } from 'node:buffer';
import { writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { compressFrameSync } from 'lz4-napi';

const [megabytes, base] = [Number(process.argv[2]), process.argv[3]];
if (!(megabytes > 0) || base === undefined) {
  console.error('write-archive-lines: usage: write-archive-lines.js MB FILE');
  process.exit(2);
}
const lines = [];
let bytes = 0;
for (let index = 0; bytes < megabytes * 2 ** 20; index += 1) {
  const time = Date.UTC(2024, 0, 1) + index * 500;
  const mid = 42_000 + (index % 997);
  const side = (sign) => Array.from({ length: 20 }, (_, level) => ({ px: String(mid + sign * (level + 1)), sz: (((index + level) % 50) / 7).toFixed(5), n: 1 + (level % 4) }));
  const capture = new Date(time + 1_200).toISOString().replace('Z', '000000');
  const line = JSON.stringify({ time: capture, ver_num: 1, raw: { channel: 'l2Book', data: { coin: 'BTC', time, levels: [side(-1), side(1)] } } });
  lines.push(line);
  bytes += line.length + 1;
}
const text = Buffer.from(lines.join('\n') + '\n');
writeFileSync(`${base}.lz4`, compressFrameSync(text));
writeFileSync(`${base}.jsonl.gz`, gzipSync(text));
