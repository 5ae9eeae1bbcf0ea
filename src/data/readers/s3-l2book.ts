import type { BookSnapshotEvent, MarketEvent } from '../../core/types.js';
import { isRecord, parseL2BookData } from './l2-book-frame.js';
import type { ReaderContext } from './source.js';
import { L2BookFrameScanner } from './scan-l2-book-frame.js';
import { readLineBatches } from './text-lines.js';
import { TimeOrderBuffer } from './time-order-buffer.js';

/**
 * Book snapshots from a Hyperliquid S3 archive l2Book file (`.lz4`, `.jsonl.gz` or `.jsonl`):
 * one `{time, ver_num, raw: {channel: "l2Book", data}}` per line. The exchange time is
 * `raw.data.time`; the local time is the top-level `time`, Hyperliquid's capture time.
 */
export async function* readS3L2Book(file: string, context: ReaderContext): AsyncGenerator<MarketEvent[]> {
  const order = new TimeOrderBuffer(context.toleranceMs);
  const scanner = new L2BookFrameScanner();
  let lineNumber = 0;
  for await (const lines of readLineBatches(file, context.recorder)) {
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim().length === 0) continue;
      const book = scanArchiveLine(line, scanner) ?? parseArchiveLine(line);
      if (typeof book === 'string') context.recorder.badLine(file, lineNumber, book);
      else if (!order.push(book)) context.recorder.badLine(file, lineNumber, order.lateReason(book));
    }
    const ready: MarketEvent[] = [];
    order.releaseReady(ready);
    context.recorder.stats.events += ready.length;
    if (ready.length > 0) yield ready;
  }
  const rest: MarketEvent[] = [];
  order.releaseAll(rest);
  context.recorder.stats.events += rest.length;
  if (rest.length > 0) yield rest;
}

/** The coin and exchange time of an archive line, for sorting files without reading them. */
export function archiveLineHead(line: string): { coin: string; exchTs: number } | undefined {
  const book = parseArchiveLine(line);
  return typeof book === 'string' ? undefined : { coin: book.coin, exchTs: book.exchTs };
}

/** The start of an archive line as the archive writes it: capture time, version, then the frame. */
const ARCHIVE_LINE_HEAD = /^\{"time":"([\d:.TZ-]*)","ver_num":(?:0|[1-9]\d*),"raw":/;
const CLOSE_BRACE = 125;

/**
 * An archive line in exactly the archive's own form, read by the scanner; undefined for anything
 * else (including a bad capture time), which parseArchiveLine reads and reports instead.
 */
function scanArchiveLine(line: string, scanner: L2BookFrameScanner): BookSnapshotEvent | string | undefined {
  const head = ARCHIVE_LINE_HEAD.exec(line);
  if (head === null || line.charCodeAt(line.length - 1) !== CLOSE_BRACE) return undefined;
  const localTs = parseCaptureTime(head[1]);
  if (localTs === undefined) return undefined;
  return scanner.scan(line, head[0].length, line.length - 1, localTs);
}

function parseArchiveLine(line: string): BookSnapshotEvent | string {
  let document: unknown;
  try {
    document = JSON.parse(line);
  } catch {
    return 'not valid JSON';
  }
  if (!isRecord(document) || !isRecord(document.raw)) return 'no "raw" object (not an S3 archive l2Book line)';
  if (document.raw.channel !== 'l2Book') return `channel ${JSON.stringify(document.raw.channel)} is not "l2Book"`;
  let localTs: number | undefined;
  if (document.time !== undefined) {
    localTs = parseCaptureTime(document.time);
    if (localTs === undefined) return `"time" ${JSON.stringify(document.time)} is not an ISO-8601 UTC time`;
  }
  return parseL2BookData(document.raw.data, localTs);
}

const CAPTURE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,9}))?Z?$/;

/**
 * `2024-01-01T12:00:01.138942031` in ms. It is UTC without the `Z`, which Date.parse would read
 * as local time, and has nanoseconds, which are cut to ms like every other local time here.
 */
function parseCaptureTime(value: unknown): number | undefined {
  if (typeof value !== 'string') return undefined;
  const match = CAPTURE_TIME.exec(value);
  if (match === null) return undefined;
  const [, year, month, day, hour, minute, second, fraction = ''] = match;
  const ms = Number(fraction.padEnd(3, '0').slice(0, 3));
  return Date.UTC(Number(year), Number(month) - 1, Number(day), Number(hour), Number(minute), Number(second), ms);
}
