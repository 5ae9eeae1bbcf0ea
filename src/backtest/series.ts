/**
 * Time series kept at a bounded size: samples are taken at most every `intervalMs`; when the
 * buffer fills, every other sample is dropped and the interval doubles. A day and an hour of
 * data therefore use the same memory.
 */
export class BoundedSeries {
  readonly columns: Float64Array[];
  private ts: Float64Array;
  private count = 0;
  private intervalMs: number;
  private nextTs = -Infinity;

  constructor(
    readonly names: readonly string[],
    private readonly capacity = 8192,
    initialIntervalMs = 1000,
  ) {
    this.ts = new Float64Array(capacity);
    this.columns = names.map(() => new Float64Array(capacity));
    this.intervalMs = initialIntervalMs;
  }

  due(ts: number): boolean {
    return ts >= this.nextTs;
  }

  add(ts: number, values: readonly number[]): void {
    if (this.count === this.capacity) this.halve();
    this.ts[this.count] = ts;
    values.forEach((value, i) => (this.columns[i]![this.count] = value));
    this.count++;
    this.nextTs = ts + this.intervalMs;
  }

  get length(): number {
    return this.count;
  }

  times(): Float64Array {
    return this.ts.subarray(0, this.count);
  }

  column(name: string): Float64Array {
    const index = this.names.indexOf(name);
    if (index < 0) throw new RangeError(`no column ${name}`);
    return this.columns[index]!.subarray(0, this.count);
  }

  private halve(): void {
    const keep = (array: Float64Array) => {
      for (let i = 0; i < this.count / 2; i++) array[i] = array[i * 2]!;
    };
    keep(this.ts);
    this.columns.forEach(keep);
    this.count = Math.floor(this.count / 2);
    this.intervalMs *= 2;
  }
}
