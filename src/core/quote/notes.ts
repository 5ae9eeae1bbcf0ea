import type { Side } from '../types.js';

/** Which minimum set the spread: the configured floor, the fee break-even guard, or the dynamic minimum. */
export type SpreadFloor = 'min_spread_bps' | 'min_spread_guard' | 'dynamic_min_spread';

/** Why a side's quotes differ from what the model and the ladder asked for. */
export type QuoteNote =
  | { readonly kind: 'widened'; readonly side: Side; readonly floor: SpreadFloor; readonly spreadBps: number }
  | { readonly kind: 'capped'; readonly side: Side; readonly spreadBps: number }
  | { readonly kind: 'postOnly'; readonly side: Side; readonly level: number; readonly from: number; readonly to: number }
  | { readonly kind: 'belowMinNotional'; readonly side: Side; readonly level: number; readonly notionalUsd: number; readonly minNotionalUsd: number }
  | { readonly kind: 'zeroSize'; readonly side: Side; readonly level: number };

export type CappedNote = Extract<QuoteNote, { kind: 'capped' }>;
export type WidenedNote = Extract<QuoteNote, { kind: 'widened' }>;

/**
 * Note arrays are never changed once made: plans keep them across loops, and the arrays below are
 * shared between plans. A stage that adds a note makes a new array (see withNote).
 */
export const NO_NOTES: readonly never[] = Object.freeze([]);

export function withNote(notes: readonly QuoteNote[], note: QuoteNote): readonly QuoteNote[] {
  return [...notes, note];
}

// Most loops repeat the previous loop's spread note, so each side keeps its last one for reuse.
const lastCapped: Record<Side, readonly [CappedNote] | undefined> = { bid: undefined, ask: undefined };
const lastWidened: Record<Side, readonly [WidenedNote] | undefined> = { bid: undefined, ask: undefined };

/** [the capped note], shared while the cap stays the same. */
export function cappedNotes(side: Side, spreadBps: number): readonly [CappedNote] {
  const last = lastCapped[side];
  if (last !== undefined && Object.is(last[0].spreadBps, spreadBps)) return last;
  const notes = Object.freeze([Object.freeze({ kind: 'capped', side, spreadBps })] as const);
  lastCapped[side] = notes;
  return notes;
}

/** [the widened note], shared while the floor and its spread stay the same. */
export function widenedNotes(side: Side, floor: SpreadFloor, spreadBps: number): readonly [WidenedNote] {
  const last = lastWidened[side];
  if (last !== undefined && last[0].floor === floor && Object.is(last[0].spreadBps, spreadBps)) return last;
  const notes = Object.freeze([Object.freeze({ kind: 'widened', side, floor, spreadBps })] as const);
  lastWidened[side] = notes;
  return notes;
}

const floorNames: Record<SpreadFloor, string> = {
  min_spread_bps: 'min_spread_bps',
  min_spread_guard: 'the fee break-even (2 × maker_fee) plus min_spread_guard_buffer_bps',
  dynamic_min_spread: 'the dynamic minimum spread',
};

function bps(value: number): string {
  return `${value.toFixed(2)} bps`;
}

/** One line for logs, the CLI and the dashboard. */
export function describeQuoteNote(note: QuoteNote): string {
  switch (note.kind) {
    case 'widened':
      return `spread widened to ${floorNames[note.floor]}: ${bps(note.spreadBps)}`;
    case 'capped':
      return `spread held at max_spread_bps: ${bps(note.spreadBps)}`;
    case 'postOnly':
      return `level ${note.level} moved from ${note.from} to ${note.to} so it does not cross the book (post-only)`;
    case 'belowMinNotional':
      return `level ${note.level} dropped: $${note.notionalUsd.toFixed(2)} is below the $${note.minNotionalUsd} minimum order value`;
    case 'zeroSize':
      return `level ${note.level} dropped: size is zero (inventory_skew_size at the position limit)`;
  }
}
