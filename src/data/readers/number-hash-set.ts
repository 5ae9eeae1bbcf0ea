const MAX_LOAD = 0.5;
const INITIAL_SLOTS = 1024;

const hashScratch = new Float64Array(1);
const hashScratchWords = new Uint32Array(hashScratch.buffer);

/** Mixes the 64 bits of a number into 32 (murmur3's finalizer over both words); 0 and -0 hash alike. */
function hashOf(value: number): number {
  hashScratch[0] = value === 0 ? 0 : value;
  let h = hashScratchWords[0]! ^ Math.imul(hashScratchWords[1]!, 0x9e3779b1);
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A set of numbers (equal as in a JS Set) in one typed array: open addressing with linear
 * probing, NaN marking an empty slot. `clear` empties it in place and keeps its capacity, so a
 * set refilled with about as many numbers every hour reuses its memory. A JS Set instead grows
 * a new hash table of several hundred KB each time, which lands in V8's large-object space and
 * stays there until a full collection.
 */
export class NumberHashSet {
  private slots = new Float64Array(INITIAL_SLOTS).fill(NaN);
  private count = 0;
  private holdsNaN = false;

  get size(): number {
    return this.count + (this.holdsNaN ? 1 : 0);
  }

  has(value: number): boolean {
    if (Number.isNaN(value)) return this.holdsNaN;
    return this.slots[this.slotOf(value)] === value;
  }

  add(value: number): void {
    if (Number.isNaN(value)) {
      this.holdsNaN = true;
      return;
    }
    const at = this.slotOf(value);
    if (this.slots[at] === value) return;
    this.slots[at] = value;
    this.count += 1;
    if (this.count > this.slots.length * MAX_LOAD) this.grow();
  }

  clear(): void {
    this.slots.fill(NaN);
    this.count = 0;
    this.holdsNaN = false;
  }

  /** The slot holding `value`, or the empty slot where it belongs. */
  private slotOf(value: number): number {
    const mask = this.slots.length - 1;
    let at = hashOf(value) & mask;
    for (;;) {
      const slot = this.slots[at]!;
      if (slot === value || Number.isNaN(slot)) return at;
      at = (at + 1) & mask;
    }
  }

  private grow(): void {
    const old = this.slots;
    this.slots = new Float64Array(old.length * 2).fill(NaN);
    this.count = 0;
    for (const value of old) if (!Number.isNaN(value)) this.add(value);
  }
}
