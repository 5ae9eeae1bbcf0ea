/**
 * Peak RSS of reading compressed data files line by line, as every reader does, for a file and
 * for one three times as long: streaming means the peak does not grow with the file. Files are
 * S3-archive-style l2Book lines (see lib/write-archive-lines.js), written once as `.lz4` and
 * `.jsonl.gz` under the system temp directory. Each read runs in a fresh Node process; the median
 * of `--repeats N` (default 3) is reported.
 *
 * Usage: npm run build && node bench/compressed-read-memory.js [--repeats N] [--mb M]
 * Prints one JSON object; sizes in MB (2^20 bytes). `--mb` sets the smaller file's text size (default 30).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, URL } from 'node:url';
import { positiveIntegerOption } from './lib/backtest-fixtures.js';

const NAME = 'compressed-read-memory';
const CHILD = fileURLToPath(new URL('lib/read-lines-child.js', import.meta.url));
const DIRECTORY = join(tmpdir(), 'hypermm-bench-data');

const WRITER = fileURLToPath(new URL('lib/write-archive-lines.js', import.meta.url));

/** The .lz4 and .jsonl.gz files of `megabytes` of text, written once (by a process of their own). */
function dataFiles(megabytes) {
  mkdirSync(DIRECTORY, { recursive: true });
  const base = join(DIRECTORY, `archive-lines-${megabytes}mb`);
  const files = { lz4: `${base}.lz4`, gz: `${base}.jsonl.gz` };
  if (!existsSync(files.lz4) || !existsSync(files.gz)) {
    console.error(`${NAME}: writing ${megabytes} MB of archive lines`);
    const writer = spawnSync(process.execPath, [WRITER, String(megabytes), base], { stdio: ['ignore', 'inherit', 'inherit'] });
    if (writer.status !== 0) {
      console.error(`${NAME}: writing the data files failed (exit ${writer.status ?? writer.signal})`);
      process.exit(1);
    }
  }
  return files;
}

function peakRssMb(file, repeats) {
  const runs = [];
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const child = spawnSync(process.execPath, [CHILD, file], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
    if (child.status !== 0) {
      console.error(`${NAME}: reading ${file} failed (exit ${child.status ?? child.signal})`);
      process.exit(1);
    }
    runs.push(JSON.parse(child.stdout).maxRssKiB / 1024);
  }
  runs.sort((a, b) => a - b);
  return Number(runs[Math.floor(runs.length / 2)].toFixed(1));
}

const repeats = positiveIntegerOption(NAME, process.argv, '--repeats') ?? 3;
const megabytes = positiveIntegerOption(NAME, process.argv, '--mb') ?? 30;
const small = dataFiles(megabytes);
const large = dataFiles(3 * megabytes);
const result = {};
for (const format of ['lz4', 'gz']) {
  console.error(`${NAME}: ${format}`);
  const smallMb = peakRssMb(small[format], repeats);
  const largeMb = peakRssMb(large[format], repeats);
  result[format] = { [`text${megabytes}MbMaxRssMb`]: smallMb, [`text${3 * megabytes}MbMaxRssMb`]: largeMb, ratio: Number((largeMb / smallMb).toFixed(3)) };
}
console.log(JSON.stringify({ benchmark: NAME, data: 'S3-archive-style l2Book lines, 20 levels a side', ...result, repeats, node: process.version }, null, 2));
