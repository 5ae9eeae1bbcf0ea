const MAX_LOAD = 0.5;
const INITIAL_SLOTS = 16;
/** Keys are hashed on their last code units only: that is where order ids differ. */
const HASHED_TAIL = 8;

/**
 * FNV-1a over the key's length and last HASHED_TAIL UTF-16 code units, then murmur3's finalizer
 * to spread the low bits. Our cloids end in a counter, whose low 32 bits are the last 8 hex
 * digits, and random ones are random throughout, so the tail tells keys apart without hashing
 * all 34 characters of a cloid.
 */
function hashOf(key: string): number {
  let h = Math.imul(0x811c9dc5 ^ key.length, 0x01000193);
  for (let index = Math.max(0, key.length - HASHED_TAIL); index < key.length; index += 1) {
    h = Math.imul(h ^ key.charCodeAt(index), 0x01000193);
  }
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  return (h ^ (h >>> 16)) >>> 0;
}

/**
 * A map from strings to values for keys that come and go by the hundred thousand, such as
 * order ids: open addressing with linear probing, where a delete shifts the entries behind it
 * back instead of leaving a marker, so the table is rebuilt only to grow.
 *
 * A JS Map with that churn fills its table with deleted entries and rehashes into a new table
 * every few dozen keys, and V8 links each obsolete table to its successor. Once one table has
 * reached the old generation, that link keeps every later table, and the values still in it,
 * alive through young collections: a day's backtest promoted 15 MB of dead orders that way.
 */
export class InPlaceMap<V> {
  private keys: (string | undefined)[] = new Array<string | undefined>(INITIAL_SLOTS).fill(undefined);
  private values: (V | undefined)[] = new Array<V | undefined>(INITIAL_SLOTS).fill(undefined);
  private hashes = new Uint32Array(INITIAL_SLOTS);
  private count = 0;

  get size(): number {
    return this.count;
  }

  get(key: string): V | undefined {
    const at = this.slotOf(key, hashOf(key));
    return this.keys[at] === undefined ? undefined : this.values[at];
  }

  has(key: string): boolean {
    return this.keys[this.slotOf(key, hashOf(key))] !== undefined;
  }

  set(key: string, value: V): void {
    const hash = hashOf(key);
    const at = this.slotOf(key, hash);
    this.values[at] = value;
    if (this.keys[at] !== undefined) return;
    this.keys[at] = key;
    this.hashes[at] = hash;
    this.count += 1;
    if (this.count > this.keys.length * MAX_LOAD) this.grow();
  }

  /** Removes `key`; false when it was not there. */
  delete(key: string): boolean {
    const mask = this.keys.length - 1;
    let hole = this.slotOf(key, hashOf(key));
    if (this.keys[hole] === undefined) return false;
    this.count -= 1;
    // Backward shift: an entry further along the run moves into the hole unless its own home
    // slot lies after the hole, where a lookup would no longer reach it.
    for (let at = (hole + 1) & mask; this.keys[at] !== undefined; at = (at + 1) & mask) {
      const home = this.hashes[at]! & mask;
      if (((at - home) & mask) >= ((at - hole) & mask)) {
        this.keys[hole] = this.keys[at];
        this.values[hole] = this.values[at];
        this.hashes[hole] = this.hashes[at]!;
        hole = at;
      }
    }
    this.keys[hole] = undefined;
    this.values[hole] = undefined;
    return true;
  }

  /** The slot holding `key`, or the empty slot where it belongs. */
  private slotOf(key: string, hash: number): number {
    const mask = this.keys.length - 1;
    let at = hash & mask;
    for (;;) {
      const slot = this.keys[at];
      if (slot === undefined || (this.hashes[at] === hash && slot === key)) return at;
      at = (at + 1) & mask;
    }
  }

  private grow(): void {
    const { keys, values } = this;
    const slots = keys.length * 2;
    this.keys = new Array<string | undefined>(slots).fill(undefined);
    this.values = new Array<V | undefined>(slots).fill(undefined);
    this.hashes = new Uint32Array(slots);
    this.count = 0;
    for (let at = 0; at < keys.length; at += 1) {
      const key = keys[at];
      if (key !== undefined) this.set(key, values[at] as V);
    }
  }
}
