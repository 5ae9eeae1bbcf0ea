/**
 * A first-in first-out queue on a ring of doubling size. A removed item is let go at once, so
 * that short-lived items die young instead of being kept alive (and promoted by the GC) by a
 * queue that only trims its consumed head now and then.
 */
export class FifoQueue<T> {
  private items: (T | undefined)[] = new Array<T | undefined>(16).fill(undefined);
  private head = 0;
  private count = 0;

  get length(): number {
    return this.count;
  }

  /** The first item, or undefined when the queue is empty. */
  peek(): T | undefined {
    return this.count > 0 ? this.items[this.head] : undefined;
  }

  push(item: T): void {
    if (this.count === this.items.length) this.grow();
    this.items[(this.head + this.count) % this.items.length] = item;
    this.count += 1;
  }

  /** Removes and returns the first item, or undefined when the queue is empty. */
  shift(): T | undefined {
    if (this.count === 0) return undefined;
    const item = this.items[this.head];
    this.items[this.head] = undefined;
    this.head = (this.head + 1) % this.items.length;
    this.count -= 1;
    return item;
  }

  private grow(): void {
    const items = new Array<T | undefined>(this.items.length * 2).fill(undefined);
    for (let i = 0; i < this.count; i += 1) items[i] = this.items[(this.head + i) % this.items.length];
    this.items = items;
    this.head = 0;
  }
}
