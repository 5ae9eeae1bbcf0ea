/**
 * Reads one data file's lines with the readers' line splitter, in its own process so that its peak
 * RSS is this read's alone. Prints {lines, maxRssKiB}.
 *
 * Usage (from bench/compressed-read-memory.js): node bench/lib/read-lines-child.js FILE
 */
import { URL } from 'node:url';

const file = process.argv[2];
if (file === undefined) {
  console.error('read-lines-child: usage: read-lines-child.js FILE');
  process.exit(2);
}
const { readLineBatches } = await import(new URL('../../dist/data/readers/text-lines.js', import.meta.url).href);
let lines = 0;
for await (const batch of readLineBatches(file)) lines += batch.length;
console.log(JSON.stringify({ lines, maxRssKiB: process.resourceUsage().maxRSS }));
