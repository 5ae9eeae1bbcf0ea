import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FifoQueue } from '../../src/core/fifo-queue.js';

describe('FifoQueue', () => {
  it('hands items back in the order they were pushed', () => {
    const queue = new FifoQueue<string>();
    queue.push('a');
    queue.push('b');
    expect(queue.peek()).toBe('a');
    expect(queue.shift()).toBe('a');
    expect(queue.shift()).toBe('b');
    expect(queue.shift()).toBeUndefined();
    expect(queue.peek()).toBeUndefined();
    expect(queue.length).toBe(0);
  });

  it('behaves like an array used as a queue for any mix of pushes and shifts, across growth', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.integer(), fc.constant(null)), { maxLength: 300 }), (operations) => {
        const queue = new FifoQueue<number>();
        const model: number[] = [];
        for (const operation of operations) {
          if (operation === null) expect(queue.shift()).toBe(model.shift());
          else {
            queue.push(operation);
            model.push(operation);
          }
          expect(queue.length).toBe(model.length);
          expect(queue.peek()).toBe(model[0]);
        }
      }),
    );
  });

  it('lets go of a removed item, so a queue does not keep it alive', () => {
    const queue = new FifoQueue<object>();
    queue.push({});
    queue.shift();
    // The ring's slots are the queue's only storage: none may still hold the removed item.
    const slots = (queue as unknown as { items: unknown[] }).items;
    expect(slots.every((slot) => slot === undefined)).toBe(true);
  });
});
