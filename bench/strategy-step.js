/**
 * Time of one strategy step for a 5-level BTC ladder: a 20-level book snapshot in
 * (MarketMaker.onMarketEvent), then step(now): ledger mark → risk gate → quote plan → order diff.
 * Every place, modify and cancel is answered (ack / canceled) between iterations, outside the
 * timed region, so the order manager works in its steady state of live orders and requotes.
 *
 * Usage: npm run build && node bench/strategy-step.js [--iterations N]
 * Prints one JSON object; times are per iteration in microseconds.
 */
import { URL } from 'node:url';

const DIST = new URL('../dist/', import.meta.url);

let MarketMaker;
let parseConfig;
let Rng;
try {
  ({ MarketMaker } = await import(new URL('strategy/market-maker.js', DIST).href));
  ({ parseConfig } = await import(new URL('config/load.js', DIST).href));
  ({ Rng } = await import(new URL('core/random.js', DIST).href));
} catch (error) {
  console.error(`strategy-step: cannot load the compiled build from dist/ (${String(error)}); run "npm run build" first`);
  process.exit(2);
}

const TARGET_P99_US = 50;
const LEVELS = 5;
const BOOK_DEPTH = 20;
/** BTC-like: szDecimals 5, so the tick near 100 000 is 1 USD. */
const BASE_PX = 100_000;
/** The mid wanders within ±MAX_OFFSET_TICKS of BASE_PX: far from any price-move breaker. */
const MAX_OFFSET_TICKS = 20;
const SPREADS_TICKS = [1, 2];
/** One book and one step every 100 ms of simulated time. */
const STEP_MS = 100;
const WARMUP_ITERATIONS = 20_000;

function iterationsFromArgs(argv) {
  const at = argv.indexOf('--iterations');
  if (at < 0) return 200_000;
  const value = Number(argv[at + 1]);
  if (!Number.isInteger(value) || value < 1) {
    console.error(`strategy-step: --iterations needs a positive integer, got ${argv[at + 1]}`);
    process.exit(2);
  }
  return value;
}

/** One pre-built 20-level book per (offset, spread): the run only picks among them. */
function buildFrames(rng) {
  const frames = [];
  for (let offset = -MAX_OFFSET_TICKS; offset <= MAX_OFFSET_TICKS; offset++) {
    for (const spread of SPREADS_TICKS) {
      const bestBid = BASE_PX + offset;
      const frame = {
        bidPx: new Float64Array(BOOK_DEPTH),
        bidSz: new Float64Array(BOOK_DEPTH),
        askPx: new Float64Array(BOOK_DEPTH),
        askSz: new Float64Array(BOOK_DEPTH),
      };
      for (let i = 0; i < BOOK_DEPTH; i++) {
        frame.bidPx[i] = bestBid - i;
        frame.askPx[i] = bestBid + spread + i;
        frame.bidSz[i] = Math.round((0.05 + rng.uniform() * 3) * 1e5) / 1e5;
        frame.askSz[i] = Math.round((0.05 + rng.uniform() * 3) * 1e5) / 1e5;
      }
      frames.push(frame);
    }
  }
  return frames;
}

function frameIndex(offset, spreadIndex) {
  return (offset + MAX_OFFSET_TICKS) * SPREADS_TICKS.length + spreadIndex;
}

/**
 * The sequence of frames: half the time the mid stays, otherwise it moves 1 to 3 ticks either
 * way (reflected at the bounds); the spread is one tick 90% of the time.
 */
function buildPath(rng, length) {
  const path = new Uint16Array(length);
  let offset = 0;
  for (let i = 0; i < length; i++) {
    if (rng.uniform() >= 0.5) {
      const move = (1 + rng.int(3)) * (rng.uniform() < 0.5 ? -1 : 1);
      offset += move;
      if (Math.abs(offset) > MAX_OFFSET_TICKS) offset -= 2 * move;
    }
    path[i] = frameIndex(offset, rng.uniform() < 0.9 ? 0 : 1);
  }
  return path;
}

let nextOid = 1;
/** What a venue answers: a modify cancels its target, then acks the replacement. */
function answer(maker, actions, now) {
  for (const action of actions) {
    if (action.kind === 'cancel') {
      maker.onAccountEvent({ type: 'canceled', ts: now, cloid: action.cloid, oid: 0, reason: 'user' }, now);
      continue;
    }
    if (action.kind === 'modify') {
      maker.onAccountEvent({ type: 'canceled', ts: now, cloid: action.targetCloid, oid: 0, reason: 'user' }, now);
    }
    maker.onAccountEvent({ type: 'ack', ts: now, cloid: action.order.cloid, oid: nextOid++ }, now);
  }
}

function percentile(sorted, p) {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(p * sorted.length) - 1))];
}

const round3 = (value) => Math.round(value * 1000) / 1000;

function main() {
  const iterations = iterationsFromArgs(process.argv.slice(2));
  const rng = new Rng(20_240_601);
  const frames = buildFrames(rng);
  const path = buildPath(rng, WARMUP_ITERATIONS + iterations);

  const loaded = parseConfig(
    'bench/strategy-step.js',
    { coins: ['BTC'], num_levels: LEVELS, single_sided_mode: 'off' },
    'bench-strategy-step',
  );
  const maker = new MarketMaker({ bot: loaded.bot, coins: [loaded.coins.BTC], assets: { BTC: { szDecimals: 5 } }, startTs: 0 });
  // One event object, re-pointed at a pre-built frame each iteration (the book copies the arrays).
  const event = { type: 'book', coin: 'BTC', exchTs: 0, localTs: 0, bidPx: null, bidSz: null, askPx: null, askSz: null };

  const durationsNs = new Float64Array(iterations);
  let actionCount = 0;
  let now = 0;
  for (let i = 0; i < path.length; i++) {
    const frame = frames[path[i]];
    now += STEP_MS;
    event.exchTs = now;
    event.localTs = now;
    event.bidPx = frame.bidPx;
    event.bidSz = frame.bidSz;
    event.askPx = frame.askPx;
    event.askSz = frame.askSz;

    const start = process.hrtime.bigint();
    maker.onMarketEvent(event);
    const { actions } = maker.step(now);
    const elapsed = process.hrtime.bigint() - start;

    answer(maker, actions, now);
    const measured = i - WARMUP_ITERATIONS;
    if (measured >= 0) {
      durationsNs[measured] = Number(elapsed);
      actionCount += actions.length;
    }
  }

  const [status] = maker.status();
  if (!status || status.quotes.length !== 2 * LEVELS) {
    console.error(`strategy-step: expected a steady ${2 * LEVELS}-quote ladder, status is ${JSON.stringify(status)}`);
    process.exit(1);
  }

  const sorted = durationsNs.slice().sort();
  const meanNs = durationsNs.reduce((sum, ns) => sum + ns, 0) / iterations;
  const p99Us = round3(percentile(sorted, 0.99) / 1000);
  console.log(
    JSON.stringify({
      benchmark: 'strategy-step',
      levels: LEVELS,
      iterations,
      p50Us: round3(percentile(sorted, 0.5) / 1000),
      p90Us: round3(percentile(sorted, 0.9) / 1000),
      p99Us,
      maxUs: round3(sorted[sorted.length - 1] / 1000),
      meanUs: round3(meanNs / 1000),
      targetP99Us: TARGET_P99_US,
      withinTarget: p99Us <= TARGET_P99_US,
      actionsPerStep: round3(actionCount / iterations),
      node: process.version,
    }),
  );
}

main();
