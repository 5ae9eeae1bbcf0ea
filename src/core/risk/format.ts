/** Number formats for risk messages: short, stable, and free of float noise. */

function trimmed(value: number, decimals: number): string {
  const rounded = Number(value.toFixed(decimals));
  return String(rounded === 0 ? 0 : rounded);
}

export function usd(value: number): string {
  return `${trimmed(value, 2)} USD`;
}

/** A fraction as a percentage: -0.085 → "-8.5%". */
export function pct(fraction: number): string {
  return `${trimmed(fraction * 100, 2)}%`;
}

export function bps(value: number): string {
  return `${trimmed(value, 1)} bps`;
}

export function seconds(ms: number): string {
  return `${trimmed(ms / 1000, 1)} s`;
}

/** An instant as ISO 8601 UTC, without milliseconds when they are zero. */
export function utc(ms: number): string {
  return new Date(ms).toISOString().replace('.000Z', 'Z');
}
