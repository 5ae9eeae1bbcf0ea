/**
 * Client order ids: "0x" + 32 lowercase hex digits, laid out as
 * bot-id hash (8) | session (8) | sequence (16). No clock and no randomness, so a backtest
 * issues the same ids every run; the session keeps two runs of one bot from colliding on the
 * venue (the caller picks it, e.g. a run counter from the store).
 */
export class CloidSequence {
  private readonly prefix: string;
  private issued = 0;
  /** Ids share all but their last two hex digits for 256 issues in a row: built once per block. */
  private blockIndex = -1;
  private blockPrefix = '';

  constructor(botId: string, session = 0) {
    if (!Number.isInteger(session) || session < 0 || session > 0xffff_ffff) {
      throw new RangeError(`cloid session must be an integer in [0, 2^32), got ${session}`);
    }
    this.prefix = `0x${hex(fnv1a32(botId), 8)}${hex(session, 8)}`;
  }

  next(): string {
    const sequence = this.issued;
    this.issued += 1;
    const block = Math.floor(sequence / BLOCK_SIZE);
    if (block !== this.blockIndex) {
      this.blockIndex = block;
      this.blockPrefix = this.prefix + hex(block, 14);
    }
    return this.blockPrefix + BYTE_HEX[sequence % BLOCK_SIZE]!;
  }

  /** How many ids this sequence has handed out. */
  get count(): number {
    return this.issued;
  }
}

const BLOCK_SIZE = 256;
const BYTE_HEX: readonly string[] = Array.from({ length: BLOCK_SIZE }, (_, byte) => hex(byte, 2));

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
