import { existsSync } from 'node:fs';
import { readdir, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { UserInputError } from '../../errors.js';
import { readCollectorCoin, type CollectorFiles } from './collector-csv.js';
import { isFundingRecordLine, opensFundingArray, readFundingHistoryArray, readFundingHistoryLines } from './funding-history.js';
import { expandGlob, isGlob } from './glob.js';
import { readRawFrames } from './raw-frames.js';
import { archiveLineHead, readS3L2Book } from './s3-l2book.js';
import type { EventBatches, ReaderContext, SourceSpec } from './source.js';
import { readLineBatches } from './text-lines.js';

/** What the caller wants; files that cannot hold any of it are not opened. */
export interface SourceSelection {
  readonly coins: ReadonlySet<string> | undefined;
  readonly from: number;
  readonly to: number;
}

interface ArchiveFile {
  readonly file: string;
  readonly coin: string;
  /** Hour start from a `{date}/{hour}/l2Book/` path, else the first exchange time in the file. */
  readonly startTs: number;
  readonly fromPath: boolean;
}

interface Found {
  readonly collectors: Map<string, CollectorFiles>;
  /** Keyed by coin and start, which is how two copies of one hour are caught. */
  readonly archives: Map<string, ArchiveFile>;
  readonly raws: Set<string>;
  /** fundingHistory files and the reader of their form (a JSON array, or a record per line). */
  readonly fundings: Map<string, Reader>;
}

type Reader = (file: string, context: ReaderContext) => EventBatches;

const HOUR_MS = 3_600_000;
/** An archive hour file also holds the last snapshots before the hour (a second or so). */
const HOUR_EDGE_MS = 60_000;
const ARCHIVE_HOUR_PATH = /(?:^|\/)(\d{4})(\d{2})(\d{2})\/(\d{1,2})\/l2Book\/([^/]+?)\.(?:lz4|jsonl|jsonl\.gz)$/;
const COLLECTOR_CSV = /^(orderbooks|trades|prices)_(.+)\.csv$/;
const DATA_EXTENSIONS = /\.(lz4|gz|jsonl|json|csv)$/;
const RAW_FRAME_LINE = /^\d+ \{/;
/** How many non-empty lines at the top of a file may be looked at to tell its format. */
const SNIFFED_LINES = 10;

/**
 * Turns paths (files, directories, globs) into chains of sources. A chain is read one source after
 * another (the hours of one archive coin, in time order); chains are merged by time.
 */
export async function resolveSources(paths: readonly string[], selection: SourceSelection): Promise<SourceSpec[][]> {
  const found: Found = { collectors: new Map(), archives: new Map(), raws: new Set(), fundings: new Map() };
  for (const path of paths) {
    const expanded = isGlob(path) ? await expandGlob(path) : [path];
    if (expanded.length === 0) throw new UserInputError(`${path}: no file matches this pattern`);
    for (const match of expanded) {
      const absolute = resolve(match);
      const info = await stat(absolute).catch(() => undefined);
      if (info === undefined) throw new UserInputError(`${match}: no such file or directory`);
      if (info.isDirectory()) await addDirectory(absolute, found);
      else await addFile(absolute, true, found);
    }
  }
  const chains = await collectorChains([...found.collectors.values()], selection);
  chains.push(...archiveChains([...found.archives.values()], selection));
  for (const file of found.raws) chains.push([fileSource(file, readRawFrames)]);
  for (const [file, reader] of found.fundings) chains.push([{ ...fileSource(file, reader), fundingOnly: true }]);
  return chains.sort((a, b) => (a[0]!.id < b[0]!.id ? -1 : 1));
}

function foundCount(found: Found): number {
  return found.collectors.size + found.archives.size + found.raws.size + found.fundings.size;
}

async function addDirectory(directory: string, found: Found): Promise<void> {
  const before = foundCount(found);
  const entries = await readdir(directory, { withFileTypes: true, recursive: true });
  const files = entries
    .filter((entry) => entry.isFile() && DATA_EXTENSIONS.test(entry.name))
    .map((entry) => join(entry.parentPath, entry.name))
    // Hidden files and folders (such as a cache directory) are not data.
    .filter((file) => !file.slice(directory.length).split(/[\\/]/).some((part) => part.startsWith('.')))
    .sort();
  for (const file of files) await addFile(file, false, found);
  if (foundCount(found) === before) {
    throw new UserInputError(
      `${directory}: no market data found (expected S3 archive l2Book files, raw frame files, ws_collector CSVs or fundingHistory replies)`,
    );
  }
}

async function addFile(file: string, explicit: boolean, found: Found): Promise<void> {
  const name = basename(file);
  const collector = COLLECTOR_CSV.exec(name);
  if (collector !== null) {
    addCollectorFile(file, collector[1]!, collector[2]!, explicit, found);
    return;
  }
  if (name.endsWith('.csv')) {
    if (explicit) throw new UserInputError(`${file}: a CSV that is not orderbooks_, trades_ or prices_<COIN>.csv of a ws_collector`);
    return;
  }
  const hour = ARCHIVE_HOUR_PATH.exec(file.replaceAll('\\', '/'));
  if (hour !== null) {
    const [, year, month, day, hourOfDay, coin] = hour;
    const startTs = Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hourOfDay));
    addArchive({ file, coin: coin!, startTs, fromPath: true }, found);
    return;
  }
  const firstLines = await firstLinesOf(file);
  if (opensFundingArray(firstLines.join('\n'))) {
    found.fundings.set(file, readFundingHistoryArray);
    return;
  }
  // A bad line or two at the top (a cut-off first write) must not hide the format of the rest.
  const candidates = firstLines.filter((line) => line.trim().length > 0).slice(0, SNIFFED_LINES);
  if (candidates.length === 0) return;
  for (const line of candidates) {
    if (RAW_FRAME_LINE.test(line)) {
      found.raws.add(file);
      return;
    }
    const head = archiveLineHead(line);
    if (head !== undefined) {
      addArchive({ file, coin: head.coin, startTs: head.exchTs, fromPath: false }, found);
      return;
    }
    if (isFundingRecordLine(line)) {
      found.fundings.set(file, readFundingHistoryLines);
      return;
    }
  }
  // A directory may hold other JSON (configs, notes); a file named on its own must be data.
  if (!explicit && name.endsWith('.json')) return;
  throw new UserInputError(
    `${file}: not a known market data format (none of its first ${candidates.length} lines is an S3 archive ` +
      'l2Book JSON line, a "<local_ts_ns> <frame>" raw line or a fundingHistory record, and it is not a ' +
      'ws_collector CSV or a fundingHistory reply)',
  );
}

function addCollectorFile(file: string, kind: string, coin: string, explicit: boolean, found: Found): void {
  if (kind === 'prices') {
    if (explicit) {
      throw new UserInputError(`${file}: prices_ (bbo) files are not replayed; pass the directory or its orderbooks_${coin}.csv`);
    }
    return;
  }
  const directory = dirname(file);
  const books = join(directory, `orderbooks_${coin}.csv`);
  if (!existsSync(books)) {
    if (explicit) throw new UserInputError(`${file}: needs orderbooks_${coin}.csv beside it to be replayed`);
    return;
  }
  const trades = join(directory, `trades_${coin}.csv`);
  found.collectors.set(books, { coin, books, trades: existsSync(trades) ? trades : undefined });
}

function addArchive(archive: ArchiveFile, found: Found): void {
  const key = `${archive.coin} ${archive.startTs}`;
  const other = found.archives.get(key);
  if (other !== undefined && other.file !== archive.file) {
    throw new UserInputError(
      `${other.file} and ${archive.file} hold the same ${archive.coin} data from ` +
        `${new Date(archive.startTs).toISOString()}; pass only one of them`,
    );
  }
  found.archives.set(key, archive);
}

/** The items of the selected coins, grouped by coin. */
function bySelectedCoin<T extends { readonly coin: string }>(items: readonly T[], selection: SourceSelection): T[][] {
  const byCoin = new Map<string, T[]>();
  for (const item of items) {
    if (selection.coins !== undefined && !selection.coins.has(item.coin)) continue;
    const group = byCoin.get(item.coin);
    if (group === undefined) byCoin.set(item.coin, [item]);
    else group.push(item);
  }
  return [...byCoin.values()];
}

function archiveChains(archives: ArchiveFile[], selection: SourceSelection): SourceSpec[][] {
  const inRange = archives.filter((archive) => mayHoldRange(archive, selection));
  return bySelectedCoin(inRange, selection).map((hours) =>
    hours.sort((a, b) => a.startTs - b.startTs).map((archive) => ({ ...fileSource(archive.file, readS3L2Book), coin: archive.coin, tradeless: true })),
  );
}

/**
 * One chain per coin of the collector directories that hold it, in the time order of their first
 * books: a coin recorded day after day is read one directory at a time, with one pair of files
 * open, and a directory that repeats time another covered has that part skipped (readChain).
 */
async function collectorChains(collectors: readonly CollectorFiles[], selection: SourceSelection): Promise<SourceSpec[][]> {
  const chains: SourceSpec[][] = [];
  for (const directories of bySelectedCoin(collectors, selection)) {
    const starts = new Map<CollectorFiles, number>();
    if (directories.length > 1) for (const files of directories) starts.set(files, await firstBookTs(files.books));
    directories.sort((a, b) => starts.get(a)! - starts.get(b)!);
    chains.push(directories.map(collectorSource));
  }
  return chains;
}

/** The exchange time of the first book row of an orderbooks_ CSV; Infinity when it has none to read. */
async function firstBookTs(file: string): Promise<number> {
  const [header, first] = (await firstLinesOf(file)).filter((line) => line.trim().length > 0);
  const column = header?.split(',').map((name) => name.trim()).indexOf('exchange_timestamp') ?? -1;
  const ts = column < 0 || first === undefined ? Number.NaN : Number(first.split(',')[column]);
  return Number.isFinite(ts) ? ts : Number.POSITIVE_INFINITY;
}

function mayHoldRange(archive: ArchiveFile, selection: SourceSelection): boolean {
  if (!archive.fromPath) return archive.startTs < selection.to;
  return archive.startTs - HOUR_EDGE_MS < selection.to && archive.startTs + HOUR_MS + HOUR_EDGE_MS > selection.from;
}

function fileSource(file: string, reader: Reader): SourceSpec {
  return { id: file, inputs: [file], read: (context) => reader(file, context) };
}

function collectorSource(files: CollectorFiles): SourceSpec {
  return {
    id: `${dirname(files.books)}#${files.coin}`,
    inputs: files.trades === undefined ? [files.books] : [files.books, files.trades],
    coin: files.coin,
    tradeless: files.trades === undefined,
    read: (context) => readCollectorCoin(files, context),
  };
}

/** The lines of the file's first chunk that has a line that is not empty (none for an empty file). */
async function firstLinesOf(file: string): Promise<string[]> {
  for await (const lines of readLineBatches(file)) {
    if (lines.some((line) => line.trim().length > 0)) return lines;
  }
  return [];
}
