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

/** A compressed file could not be read to its end; the lines before the damage were kept. */
export interface CutShortWarning {
  readonly kind: 'cutShort';
  readonly file: string;
  /** Lines read before the damage; the line the damage cut through is not among them. */
  readonly afterLine: number;
  readonly reason: string;
}

/** A file of a coin starts before the file before it ends; its events up to that end were skipped. */
export interface OverlapWarning {
  readonly kind: 'overlap';
  readonly file: string;
  readonly previousFile: string;
  readonly skipped: number;
  /** Exchange time (ms) the previous file reached. */
  readonly untilTs: number;
}

/** Frames of a raw recording on channels that are not replayed, counted per channel. */
export interface SkippedFramesWarning {
  readonly kind: 'skippedFrames';
  readonly file: string;
  readonly channels: Readonly<Record<string, number>>;
}

export type DataWarning = GapWarning | DroppedTradesWarning | CacheWarning | CutShortWarning | OverlapWarning | SkippedFramesWarning;

/** A warning as a sentence for people: the summary, the report. */
export function describeDataWarning(warning: DataWarning): string {
  switch (warning.kind) {
    case 'gap':
      return `${warning.coin}: no book for ${warning.seconds.toFixed(1)} s, ${iso(warning.fromTs)} to ${iso(warning.toTs)} (a gap in the recording)`;
    case 'droppedTrades':
      return `${warning.file}: ${warning.coin} trades left out: ${warning.duplicates} repeating a trade id, ${warning.beforeFirstBook} older than the first book`;
    case 'cache':
      return `cache ${warning.file}: ${warning.message}`;
    case 'cutShort':
      return `${warning.file}: cannot decompress after line ${warning.afterLine} (${warning.reason}); the rest of the file is skipped (damaged or cut off)`;
    case 'overlap':
      return `${warning.file}: starts before ${warning.previousFile} ends; its ${warning.skipped} events before ${iso(warning.untilTs)} were skipped`;
    case 'skippedFrames': {
      const counts = Object.entries(warning.channels).map(([channel, frames]) => `${channel} ${frames}`);
      return `${warning.file}: frames of channels that are not replayed were skipped: ${counts.join(', ')}`;
    }
  }
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

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
    private readonly parent?: StatsRecorder,
  ) {}

  badLine(file: string, line: number, reason: string): void {
    if (this.strict) {
      throw new UserInputError(
        `${file}:${line}: ${reason}; fix or delete that line, or read without strict mode to skip bad lines`,
      );
    }
    this.absorb({ badLines: 1, firstBadLines: [{ file, line, reason }], warnings: [] });
  }

  /** A file that stops decompressing: fatal in strict mode, else a warning and the read goes on without the rest. */
  cutShort(file: string, afterLine: number, reason: string): void {
    if (this.strict) {
      throw new UserInputError(
        `${file}: cannot decompress after line ${afterLine} (${reason}); the file is damaged or cut off: ` +
          'replace it, or read without strict mode to keep the lines before the damage',
      );
    }
    this.warn({ kind: 'cutShort', file, afterLine, reason });
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
}
