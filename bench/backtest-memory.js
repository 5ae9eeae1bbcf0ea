/**
 * Peak RSS of a backtest of the example strategy (configs/example-mm.json, BTC only) over one
 * synthetic hour and over one synthetic day (raw WebSocket frames, gzip), each in a fresh Node
 * process: cold (parse the file and write the binary cache into a fresh directory), then warm
 * (read that cache). The headline numbers are the cold runs, where parsing, cache writing and
 * the backtest run at once; the warm runs are reported beside them. A third run per length
 * (warm, with a full GC forced every few thousand events) gives the largest live heap: what the
 * run really holds, as opposed to what the GC has not collected yet.
 *
 * Peak RSS depends on when V8 happens to collect, so each run is repeated (`--repeats N`, default
 * 3, each in a fresh process) and the median is reported.
 *
 * Usage: npm run build && node bench/backtest-memory.js [--repeats N]
 * Prints one JSON object; sizes in MB (2^20 bytes).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath, URL } from 'node:url';
import { freshCacheDir, loadBuild, positiveIntegerOption, removeDir, syntheticRawFramesFile } from './lib/backtest-fixtures.js';

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

/** Cold, warm and live-heap runs over one file, each with a cache directory of its own. */
function measureOnce(file, cacheDir) {
  const cold = runChild('rss', file, cacheDir);
  const warm = runChild('rss', file, cacheDir);
  const live = runChild('live', file, cacheDir);
  return { events: cold.events, coldMaxRssMb: cold.maxRssKiB / 1024, warmMaxRssMb: warm.maxRssKiB / 1024, peakLiveHeapMb: live.peakLiveHeapMb };
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The median of `repeats` measurements of one file. */
async function measure(file, repeats) {
  const runs = [];
  for (let repeat = 0; repeat < repeats; repeat += 1) {
    const cacheDir = await freshCacheDir();
    try {
      runs.push(measureOnce(file, cacheDir));
    } finally {
      await removeDir(cacheDir);
    }
  }
  const medianOf = (key) => megabytes(median(runs.map((run) => run[key])));
  return {
    events: runs[0].events,
    coldMaxRssMb: medianOf('coldMaxRssMb'),
    warmMaxRssMb: medianOf('warmMaxRssMb'),
    peakLiveHeapMb: medianOf('peakLiveHeapMb'),
  };
}

function compare(hour, day) {
  const ratio = day / hour;
  return { hourMb: hour, dayMb: day, ratio: Number(ratio.toFixed(3)) };
}

const repeats = positiveIntegerOption(NAME, process.argv, '--repeats') ?? 3;
const build = await loadBuild(NAME);
const hourFile = await syntheticRawFramesFile(build, 1);
const dayFile = await syntheticRawFramesFile(build, 24);
console.error(`${NAME}: one hour`);
const hour = await measure(hourFile, repeats);
console.error(`${NAME}: one day`);
const day = await measure(dayFile, repeats);
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
      repeats,
      node: process.version,
    },
    null,
    2,
  ),
);
