import { UserInputError } from '../../errors.js';

/** A line that was skipped, with the reason. `line` is 1-based. */
export interface BadLine {
  readonly file: string;
  readonly line: number;
  readonly reason: string;
}

/** Book snapshots of a coin stopped for longer than the gap threshold (a reconnect, an outage). */
export interface GapWarning {
  readonly kind: 'gap';
  readonly coin: string;
  readonly fromTs: number;
  readonly toTs: number;
  readonly seconds: number;
}

/** Trades left out on purpose: repeats of a trade id, and trades older than the coin's first book. */
export interface DroppedTradesWarning {
  readonly kind: 'droppedTrades';
  readonly file: string;
  readonly coin: string;
  readonly duplicates: number;
  readonly beforeFirstBook: number;
}

/** The binary cache could not be used or written; the read itself went on from the source. */
export interface CacheWarning {
  readonly kind: 'cache';
  readonly file: string;
  readonly message: string;
}

export type DataWarning = GapWarning | DroppedTradesWarning | CacheWarning;

export interface ReadStats {
  events: number;
  badLines: number;
  readonly firstBadLines: BadLine[];
  readonly warnings: DataWarning[];
}

/** The part of a read's stats that a cache keeps so that a cached read reports the same. */
export type RecordedStats = Pick<ReadStats, 'badLines' | 'firstBadLines' | 'warnings'>;

export const FIRST_BAD_LINES_KEPT = 5;

/**
 * Collects the bad lines and warnings of one read and passes them on to the read it is part of.
 * In strict mode the first bad line ends the read with a UserInputError naming file and line.
 */
export class StatsRecorder {
  readonly stats: ReadStats = { events: 0, badLines: 0, firstBadLines: [], warnings: [] };

  constructor(
    readonly strict: boolean,
    private parent?: StatsRecorder,
  ) {}

  badLine(file: string, line: number, reason: string): void {
    if (this.strict) {
      throw new UserInputError(
        `${file}:${line}: ${reason}; fix or delete that line, or read without strict mode to skip bad lines`,
      );
    }
    this.absorb({ badLines: 1, firstBadLines: [{ file, line, reason }], warnings: [] });
  }

  warn(warning: DataWarning): void {
    this.absorb({ badLines: 0, firstBadLines: [], warnings: [warning] });
  }

  /** Adds what another read recorded (a cached read replays its source's stats this way). */
  absorb(recorded: RecordedStats): void {
    const first = recorded.firstBadLines[0];
    if (this.strict && first !== undefined) this.badLine(first.file, first.line, first.reason);
    this.stats.badLines += recorded.badLines;
    for (const bad of recorded.firstBadLines) {
      if (this.stats.firstBadLines.length < FIRST_BAD_LINES_KEPT) this.stats.firstBadLines.push(bad);
    }
    this.stats.warnings.push(...recorded.warnings);
    this.parent?.absorb(recorded);
  }

  /** Keeps later records to this read only (used when finishing a source nobody reads any more). */
  detach(): void {
    this.parent = undefined;
  }
}
