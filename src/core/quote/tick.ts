/** Slack for float noise such as 100.3 / 0.1 = 1002.9999999999999. */
const GRID_SLACK = 1e-7;

// Every price of a loop is on the same grid, so the last grid's divisor is kept rather than
// recomputed for each price.
let lastTick = NaN;
let lastWholeTicksPerUnit = 0;

/** The whole number of ticks per price unit (10 for a tick of 0.1), or 0 when it is not whole. */
function wholeTicksPerUnit(tick: number): number {
  if (tick !== lastTick) {
    const ticksPerUnit = 1 / tick;
    const whole = Math.round(ticksPerUnit);
    lastWholeTicksPerUnit = whole >= 1 && Math.abs(ticksPerUnit - whole) <= 1e-9 * ticksPerUnit ? whole : 0;
    lastTick = tick;
  }
  return lastWholeTicksPerUnit;
}

function onGrid(steps: number, tick: number): number {
  const whole = wholeTicksPerUnit(tick);
  // Dividing by a whole number of ticks per unit yields the double nearest the decimal price
  // (100.3), where steps · tick would give 100.30000000000001.
  return whole > 0 ? steps / whole : steps * tick;
}

/** The highest grid price at or below `price` (where a bid goes). */
export function snapDown(price: number, tick: number): number {
  return onGrid(Math.floor(price / tick + GRID_SLACK), tick);
}

/** The lowest grid price at or above `price` (where an ask goes). */
export function snapUp(price: number, tick: number): number {
  return onGrid(Math.ceil(price / tick - GRID_SLACK), tick);
}

/** The grid price one tick below a grid price. */
export function tickBelow(price: number, tick: number): number {
  return snapDown(price - tick / 2, tick);
}

/** The grid price one tick above a grid price. */
export function tickAbove(price: number, tick: number): number {
  return snapUp(price + tick / 2, tick);
}
