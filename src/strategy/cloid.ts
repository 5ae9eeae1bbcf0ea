/**
 * Client order ids: "0x" + 32 lowercase hex digits, laid out as
 * bot-id hash (8) | session (8) | sequence (16). No clock and no randomness, so a backtest
 * issues the same ids every run; the session keeps two runs of one bot from colliding on the
 * venue (the caller picks it, e.g. a run counter from the store).
 */
export class CloidSequence {
  private readonly prefix: string;
  private issued = 0;

  constructor(botId: string, session = 0) {
    if (!Number.isInteger(session) || session < 0 || session > 0xffff_ffff) {
      throw new RangeError(`cloid session must be an integer in [0, 2^32), got ${session}`);
    }
    this.prefix = `0x${hex(fnv1a32(botId), 8)}${hex(session, 8)}`;
  }

  next(): string {
    const sequence = this.issued;
    this.issued += 1;
    return this.prefix + hex(sequence, 16);
  }

  /** How many ids this sequence has handed out. */
  get count(): number {
    return this.issued;
  }
}

function hex(value: number, digits: number): string {
  return value.toString(16).padStart(digits, '0');
}

/** 32-bit FNV-1a over the UTF-16 code units: stable, tiny, and spreads similar bot names apart. */
function fnv1a32(text: string): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i += 1) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193);
  }
  return hash >>> 0;
}
