/**
 * A small seeded pseudo-random generator (xoshiro128**, seeded through splitmix32) with the
 * distributions the simulators need. Same seed, same sequence, on every platform.
 */

const TWO_POW_32 = 4294967296;
const TWO_PI = 2 * Math.PI;
/** Below this mean Knuth's product method is exact and cheap; above it PTRS rejection is faster. */
const POISSON_PTRS_THRESHOLD = 30;
const HALF_LOG_TWO_PI = 0.5 * Math.log(TWO_PI);

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}

/** ln(k!) exactly for small k, by Stirling's series (error < 1e-10) beyond. */
const LOG_FACTORIAL_TABLE: readonly number[] = (() => {
  const table = [0];
  for (let k = 1; k < 16; k++) table.push((table[k - 1] ?? 0) + Math.log(k));
  return table;
})();

function logFactorial(k: number): number {
  const exact = LOG_FACTORIAL_TABLE[k];
  if (exact !== undefined) return exact;
  const inv = 1 / k;
  const inv2 = inv * inv;
  return (k + 0.5) * Math.log(k) - k + HALF_LOG_TWO_PI + inv * (1 / 12 - inv2 * (1 / 360 - inv2 / 1260));
}

export class Rng {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;
  /** Box–Muller yields normals in pairs; the second one waits here. */
  private spareNormal = Number.NaN;

  /** `seed` is any safe integer (negative allowed); all 53 bits take part in the state. */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Rng seed must be a safe integer, got ${seed}`);
    let x = (seed | 0) ^ Math.imul(Math.floor(seed / TWO_POW_32) | 0, 0x9e3779b1);
    const splitmix32 = (): number => {
      x = (x + 0x9e3779b9) | 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
      return (z ^ (z >>> 16)) | 0;
    };
    this.s0 = splitmix32();
    this.s1 = splitmix32();
    this.s2 = splitmix32();
    this.s3 = splitmix32();
  }

  /**
   * A new generator seeded from this one's next 53 bits: an independent stream for one part of a
   * simulation, so that changing how much another part draws does not shift this one.
   */
  split(): Rng {
    const high = this.uint32() >>> 11;
    return new Rng(high * TWO_POW_32 + this.uint32());
  }

  /** Next 32 random bits as an unsigned integer. */
  uint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9);
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result >>> 0;
  }

  /** Uniform on [0, 1), resolution 2^-32. */
  uniform(): number {
    return this.uint32() / TWO_POW_32;
  }

  /** Uniform integer in [0, n), for 1 <= n <= 2^32. */
  int(n: number): number {
    return Math.floor(this.uniform() * n);
  }

  /** Standard normal (mean 0, variance 1), Box–Muller. */
  normal(): number {
    const spare = this.spareNormal;
    if (!Number.isNaN(spare)) {
      this.spareNormal = Number.NaN;
      return spare;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - this.uniform()));
    const angle = TWO_PI * this.uniform();
    this.spareNormal = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  }

  /** Exponential with the given rate (mean 1 / rate). */
  exponential(rate: number): number {
    return -Math.log(1 - this.uniform()) / rate;
  }

  /** exp(N(mu, sigma²)): median e^mu, mean e^(mu + sigma²/2). */
  logNormal(mu: number, sigma: number): number {
    return Math.exp(mu + sigma * this.normal());
  }

  /** Integer >= 1 with P(n) = p(1-p)^(n-1), p = 1 / mean; mean must be >= 1. */
  geometric(mean: number): number {
    if (mean <= 1) return 1;
    return 1 + Math.floor(Math.log(1 - this.uniform()) / Math.log(1 - 1 / mean));
  }

  /** Poisson with the given mean (Knuth below 30, Hörmann's PTRS rejection above). */
  poisson(mean: number): number {
    if (mean <= 0) return 0;
    return mean < POISSON_PTRS_THRESHOLD ? this.poissonByProduct(mean) : this.poissonByRejection(mean);
  }

  private poissonByProduct(mean: number): number {
    const limit = Math.exp(-mean);
    let product = this.uniform();
    let count = 0;
    while (product > limit) {
      product *= this.uniform();
      count++;
    }
    return count;
  }

  /** W. Hörmann (1993), "The transformed rejection method for generating Poisson random variables". */
  private poissonByRejection(mean: number): number {
    const sqrtMean = Math.sqrt(mean);
    const logMean = Math.log(mean);
    const b = 0.931 + 2.53 * sqrtMean;
    const a = -0.059 + 0.02483 * b;
    const invAlpha = 1.1239 + 1.1328 / (b - 3.4);
    const vr = 0.9277 - 3.6224 / (b - 2);
    for (;;) {
      const u = this.uniform() - 0.5;
      const v = this.uniform();
      const us = 0.5 - Math.abs(u);
      const k = Math.floor(((2 * a) / us + b) * u + mean + 0.43);
      if (us >= 0.07 && v <= vr) return k;
      if (k < 0 || (us < 0.013 && v > us)) continue;
      const lhs = Math.log(v) + Math.log(invAlpha) - Math.log(a / (us * us) + b);
      if (lhs <= -mean + k * logMean - logFactorial(k)) return k;
    }
  }
}
