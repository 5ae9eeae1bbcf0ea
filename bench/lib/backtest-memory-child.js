/**
 * One backtest of the example strategy over one file, in its own process so that what it
 * measures is this run's alone. Prints one JSON object:
 * - mode "rss": {events, seconds, maxRssKiB}, the peak RSS from process.resourceUsage (KiB on Linux);
 * - mode "live" (needs node --expose-gc): {events, seconds, peakLiveHeapMb}, the largest heap in
 *   use right after a full GC, forced every time runBacktest reports progress and at the end.
 *
 * Usage (from bench/backtest-memory.js): node [--expose-gc] bench/lib/backtest-memory-child.js rss|live FILE CACHE_DIR
 */
import { loadBuild, timedBacktest } from './backtest-fixtures.js';

const [mode, file, cacheDir] = process.argv.slice(2);
if ((mode !== 'rss' && mode !== 'live') || file === undefined || cacheDir === undefined) {
  console.error('backtest-memory-child: usage: backtest-memory-child.js rss|live FILE CACHE_DIR');
  process.exit(2);
}
if (mode === 'live' && globalThis.gc === undefined) {
  console.error('backtest-memory-child: mode "live" needs node --expose-gc');
  process.exit(2);
}
const build = await loadBuild('backtest-memory');
if (mode === 'rss') {
  const { events, seconds } = await timedBacktest(build, file, cacheDir);
  console.log(JSON.stringify({ events, seconds, maxRssKiB: process.resourceUsage().maxRSS }));
} else {
  let peakLiveHeap = 0;
  const sampleLiveHeap = () => {
    globalThis.gc();
    peakLiveHeap = Math.max(peakLiveHeap, process.memoryUsage().heapUsed);
  };
  const { events, seconds } = await timedBacktest(build, file, cacheDir, sampleLiveHeap);
  sampleLiveHeap();
  console.log(JSON.stringify({ events, seconds, peakLiveHeapMb: peakLiveHeap / 2 ** 20 }));
}
