/**
 * Events per second of a backtest of the example strategy (configs/example-mm.json, BTC only,
 * risk-averse queue, 100 ms latency, seed 1) on the S3 archive hour and on a synthetic day, each
 * cold (first read: parse + write the binary cache into a fresh directory) and warm (second read,
 * from that cache), next to a bare gunzip + JSON.parse pass over the same file in the same run.
 * The data path alone (openMarketData, no strategy) is measured the same way to show where the
 * time goes.
 *
 * Usage: npm run build && node bench/backtest-throughput.js [--hours N] [--repeats N] [--warm-repeats N]
 *   --hours         length of the synthetic market in hours (default 24)
 *   --repeats       rounds of every measurement, the fastest kept (default 10 for the hour, whose runs
 *                   last a tenth of a second so that one busy moment of the machine moves them most;
 *                   1 for the day)
 *   --warm-repeats  warm runs per round, on the round's cache (default 3: a warm day lasts under a
 *                   second, a cold one several)
 * Prints one JSON object. The synthetic file is written once under the system temp directory.
 */
import { existsSync } from 'node:fs';
import {
  bareParse,
  freshCacheDir,
  loadBuild,
  removeDir,
  S3_HOUR_FILE,
  syntheticRawFramesFile,
  timedBacktest,
  timedRead,
  positiveIntegerOption,
} from './lib/backtest-fixtures.js';

const NAME = 'backtest-throughput';
const TARGETS = { coldOverBareMax: 1.5, warmEventsPerSecMin: 1e6 };

function fastest(runs) {
  return runs.reduce((best, run) => (run.seconds < best.seconds ? run : best));
}

const perSecond = (events, seconds) => Math.round(events / seconds);
const rounded = (value, decimals) => Number(value.toFixed(decimals));

/** Every measurement `repeats` times, interleaved so that a busy moment does not hit one kind only. */
async function measure(build, data, file, repeats, warmRepeats) {
  const runs = { bare: [], cold: [], warm: [], readCold: [], readWarm: [] };
  for (let repeat = 0; repeat < repeats; repeat++) {
    console.error(`${NAME}: ${data} run ${repeat + 1} of ${repeats}`);
    runs.bare.push(await bareParse(file));
    const backtestCache = await freshCacheDir();
    const readCache = await freshCacheDir();
    try {
      runs.cold.push(await timedBacktest(build, file, backtestCache));
      for (let warm = 0; warm < warmRepeats; warm++) runs.warm.push(await timedBacktest(build, file, backtestCache));
      runs.readCold.push(await timedRead(build, file, readCache));
      for (let warm = 0; warm < warmRepeats; warm++) runs.readWarm.push(await timedRead(build, file, readCache));
    } finally {
      await removeDir(backtestCache);
      await removeDir(readCache);
    }
  }
  const best = Object.fromEntries(Object.entries(runs).map(([kind, list]) => [kind, fastest(list)]));
  const { bare, cold, warm, readCold, readWarm } = best;
  const agree = runs.cold.concat(runs.warm).every((run) => run.events === cold.events && run.fills === cold.fills && run.netPnl === cold.netPnl);
  const coldOverBare = cold.seconds / bare.seconds;
  const warmEventsPerSec = perSecond(warm.events, warm.seconds);
  return {
    data,
    file,
    events: cold.events,
    bareParseEvents: bare.events,
    bareParseEventsPerSec: perSecond(bare.events, bare.seconds),
    coldEventsPerSec: perSecond(cold.events, cold.seconds),
    warmEventsPerSec,
    strategySteps: warm.steps,
    warmStepsPerSec: perSecond(warm.steps, warm.seconds),
    coldOverBare: rounded(coldOverBare, 3),
    targets: TARGETS,
    withinTargets: { coldOverBare: coldOverBare <= TARGETS.coldOverBareMax, warmEventsPerSec: warmEventsPerSec >= TARGETS.warmEventsPerSecMin },
    dataPathOnly: {
      coldEventsPerSec: perSecond(readCold.events, readCold.seconds),
      warmEventsPerSec: perSecond(readWarm.events, readWarm.seconds),
      coldOverBare: rounded(readCold.seconds / bare.seconds, 3),
    },
    seconds: Object.fromEntries(Object.entries(best).map(([kind, run]) => [kind, rounded(run.seconds, 3)])),
    fills: cold.fills,
    coldAndWarmAgree: agree,
    repeats,
    warmRepeats,
  };
}

const build = await loadBuild(NAME);
const hours = positiveIntegerOption(NAME, process.argv, '--hours') ?? 24;
const repeats = positiveIntegerOption(NAME, process.argv, '--repeats');
const warmRepeats = positiveIntegerOption(NAME, process.argv, '--warm-repeats') ?? 3;
const results = [];
if (existsSync(S3_HOUR_FILE)) {
  results.push(await measure(build, 's3-hour', S3_HOUR_FILE, repeats ?? 10, warmRepeats));
} else {
  results.push({ data: 's3-hour', skipped: `${S3_HOUR_FILE} not found (the shared data is not on this machine)` });
}
const syntheticFile = await syntheticRawFramesFile(build, hours);
results.push(await measure(build, hours === 24 ? 'synthetic-day' : `synthetic-${hours}h`, syntheticFile, repeats ?? 1, warmRepeats));
console.log(JSON.stringify({ benchmark: NAME, runs: results, node: process.version }, null, 2));
