import type { BookSnapshotEvent, MarketEvent } from '../../core/types.js';
import { isRecord, parseL2BookData } from './l2-book-frame.js';
import type { ReaderContext } from './source.js';
import { readLineBatches } from './text-lines.js';
import { TimeOrderBuffer } from './time-order-buffer.js';

/**
 * Book snapshots from a Hyperliquid S3 archive l2Book file (`.lz4`, `.jsonl.gz` or `.jsonl`):
 * one `{time, ver_num, raw: {channel: "l2Book", data}}` per line. The exchange time is
 * `raw.data.time`; the local time is the top-level `time`, Hyperliquid's capture time.
 */
export async function* readS3L2Book(file: string, context: ReaderContext): AsyncGenerator<MarketEvent[]> {
  const order = new TimeOrderBuffer(context.toleranceMs);
  let lineNumber = 0;
  for await (const lines of readLineBatches(file)) {
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim().length === 0) continue;
      const book = parseArchiveLine(line);
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
