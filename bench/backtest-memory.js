/**
 * Peak RSS of a backtest of the example strategy (configs/example-mm.json, BTC only) over one
 * synthetic hour and over one synthetic day (raw WebSocket frames, gzip), each in a fresh Node
 * process: cold (parse the file and write the binary cache into a fresh directory), then warm
 * (read that cache). The headline numbers are the cold runs, where parsing, cache writing and
 * the backtest run at once; the warm runs are reported beside them. A third run per length
 * (warm, with a full GC forced every few thousand events) gives the largest live heap: what the
 * run really holds, as opposed to what the GC has not collected yet.
 *
 * Usage: npm run build && node bench/backtest-memory.js
 * Prints one JSON object; sizes in MB (2^20 bytes).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';
import { freshCacheDir, loadBuild, removeDir, syntheticRawFramesFile } from './lib/backtest-fixtures.js';

const NAME = 'backtest-memory';
const TARGET_RATIO_MAX = 1.3;
const CHILD = fileURLToPath(new URL('lib/backtest-memory-child.js', import.meta.url));

function runChild(mode, file, cacheDir) {
  const flags = mode === 'live' ? ['--expose-gc'] : [];
  const child = spawnSync(process.execPath, [...flags, CHILD, mode, file, cacheDir], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
  if (child.status !== 0) {
    console.error(`${NAME}: the backtest of ${file} failed (exit ${child.status ?? child.signal})`);
    process.exit(1);
  }
  return JSON.parse(child.stdout);
}

const megabytes = (value) => Number(value.toFixed(1));

/** Cold, warm and live-heap runs over one file, with a cache directory of their own. */
async function measure(file) {
  const cacheDir = await freshCacheDir();
  try {
    const cold = runChild('rss', file, cacheDir);
    const warm = runChild('rss', file, cacheDir);
    const live = runChild('live', file, cacheDir);
    return {
      events: cold.events,
      coldMaxRssMb: megabytes(cold.maxRssKiB / 1024),
      warmMaxRssMb: megabytes(warm.maxRssKiB / 1024),
      peakLiveHeapMb: megabytes(live.peakLiveHeapMb),
    };
  } finally {
    await removeDir(cacheDir);
  }
}

function compare(hour, day) {
  const ratio = day / hour;
  return { hourMb: hour, dayMb: day, ratio: Number(ratio.toFixed(3)) };
}

const build = await loadBuild(NAME);
const hourFile = await syntheticRawFramesFile(build, 1);
const dayFile = await syntheticRawFramesFile(build, 24);
console.error(`${NAME}: one hour`);
const hour = await measure(hourFile);
console.error(`${NAME}: one day`);
const day = await measure(dayFile);
const cold = compare(hour.coldMaxRssMb, day.coldMaxRssMb);
const warm = compare(hour.warmMaxRssMb, day.warmMaxRssMb);
console.log(
  JSON.stringify(
    {
      benchmark: NAME,
      data: 'synthetic BTC, raw WebSocket frames (gzip)',
      read: 'cold (parse + write the binary cache)',
      hourMaxRssMb: cold.hourMb,
      dayMaxRssMb: cold.dayMb,
      ratio: cold.ratio,
      targetRatioMax: TARGET_RATIO_MAX,
      withinTarget: cold.ratio <= TARGET_RATIO_MAX,
      warm: { hourMaxRssMb: warm.hourMb, dayMaxRssMb: warm.dayMb, ratio: warm.ratio, withinTarget: warm.ratio <= TARGET_RATIO_MAX },
      peakLiveHeap: compare(hour.peakLiveHeapMb, day.peakLiveHeapMb),
      events: { hour: hour.events, day: day.events },
      node: process.version,
    },
    null,
    2,
  ),
);
