/** Deterministic uniform [0, 1) generator (mulberry32) so statistical tests always see the same draws. */
export function seededUniform(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Standard normal draws by Box–Muller from a seeded uniform. */
export function seededNormal(seed: number): () => number {
  const uniform = seededUniform(seed);
  return () => Math.sqrt(-2 * Math.log(1 - uniform())) * Math.cos(2 * Math.PI * uniform());
}

/** Exponential draws with the given rate from a seeded uniform. */
export function seededExponential(seed: number, rate: number): () => number {
  const uniform = seededUniform(seed);
  return () => -Math.log(1 - uniform()) / rate;
}
