/**
 * Funding rates saved from Hyperliquid's info endpoint (`{"type":"fundingHistory","coin":…,
 * "startTime":…}`): `[{coin, fundingRate, premium, time}, …]`. Each record is the hourly rate paid
 * at `time`; it becomes a FundingEvent at that time without an oracle price, so the simulated
 * exchange pays it at the mid.
 */
import type { FundingEvent, MarketEvent } from '../../core/types.js';
import { UserInputError } from '../../errors.js';
import { decimal, isEpochMs, isRecord } from './l2-book-frame.js';
import type { ReaderContext } from './source.js';
import { readLineBatches } from './text-lines.js';
import { TimeOrderBuffer } from './time-order-buffer.js';

/** True when `line` is one fundingHistory record on its own (the JSON-lines form). */
export function isFundingRecordLine(line: string): boolean {
  try {
    const record: unknown = JSON.parse(line);
    return isRecord(record) && 'fundingRate' in record && 'time' in record;
  } catch {
    return false;
  }
}

/** True when `head`, the start of a file, opens a JSON array of fundingHistory records (or an empty one). */
export function opensFundingArray(head: string): boolean {
  return /^\s*\[\s*(?:\]|\{[^{}]*"fundingRate"\s*:)/.test(head);
}

/**
 * A reply as the endpoint returns it: one JSON array, read whole (a reply holds at most a few
 * hundred records). Records come out sorted by time; a bad record is a bad line on the line where
 * the array opens, its position in the array named.
 */
export async function* readFundingHistoryArray(file: string, context: ReaderContext): AsyncGenerator<MarketEvent[]> {
  const lines: string[] = [];
  for await (const batch of readLineBatches(file)) lines.push(...batch);
  const arrayLine = lines.findIndex((line) => line.trim().length > 0) + 1;
  let records: unknown;
  try {
    records = JSON.parse(lines.join('\n'));
  } catch (error) {
    throw new UserInputError(
      `${file}: not valid JSON (${error instanceof Error ? error.message : String(error)}); ` +
        'save the fundingHistory reply unchanged, or write one record per line',
    );
  }
  if (!Array.isArray(records)) throw new UserInputError(`${file}: not a JSON array of fundingHistory records`);
  const events: { event: FundingEvent; index: number }[] = [];
  (records as unknown[]).forEach((record, index) => {
    const event = fundingEvent(record);
    if (typeof event === 'string') context.recorder.badLine(file, arrayLine, `record ${index} of the array: ${event}`);
    else events.push({ event, index });
  });
  const order = new FundingOrder(file, context);
  for (const { event, index } of events.sort((a, b) => a.event.exchTs - b.event.exchTs)) {
    order.place(event, arrayLine, `record ${index} of the array: `);
  }
  const out = order.releaseAll();
  if (out.length > 0) yield out;
}

/**
 * The same records one JSON object per line, so that long histories can be streamed and replies
 * concatenated. Records must be in time order per file (within the reader's tolerance).
 */
export async function* readFundingHistoryLines(file: string, context: ReaderContext): AsyncGenerator<MarketEvent[]> {
  const order = new FundingOrder(file, context);
  let lineNumber = 0;
  for await (const lines of readLineBatches(file, context.recorder)) {
    for (const line of lines) {
      lineNumber += 1;
      if (line.trim().length === 0) continue;
      let record: unknown;
      try {
        record = JSON.parse(line);
      } catch {
        context.recorder.badLine(file, lineNumber, 'not valid JSON');
        continue;
      }
      const event = fundingEvent(record);
      if (typeof event === 'string') context.recorder.badLine(file, lineNumber, event);
      else order.place(event, lineNumber, '');
    }
    const ready = order.releaseReady();
    if (ready.length > 0) yield ready;
  }
  const rest = order.releaseAll();
  if (rest.length > 0) yield rest;
}

function fundingEvent(record: unknown): FundingEvent | string {
  if (!isRecord(record)) return 'record is not a JSON object';
  const { coin, time } = record;
  const rate = decimal(record.fundingRate);
  if (typeof coin !== 'string' || coin.length === 0) return 'record without a "coin"';
  if (!isEpochMs(time) || !Number.isInteger(time)) return 'record without a "time" in ms';
  if (!Number.isFinite(rate)) return `"fundingRate" ${JSON.stringify(record.fundingRate)} is not a number`;
  return { type: 'funding', coin, exchTs: time, localTs: time, rate };
}

/**
 * Puts records in time order and refuses, as bad lines, records too far back in time and repeats
 * of a coin's latest record (concatenated replies that overlap), which would pay funding twice.
 */
class FundingOrder {
  private readonly order: TimeOrderBuffer;
  private readonly latest = new Map<string, number>();

  constructor(
    private readonly file: string,
    private readonly context: ReaderContext,
  ) {
    this.order = new TimeOrderBuffer(context.toleranceMs);
  }

  place(event: FundingEvent, line: number, where: string): void {
    const latest = this.latest.get(event.coin);
    if (latest === event.exchTs) {
      this.context.recorder.badLine(this.file, line, `${where}repeats the ${event.coin} record at ${new Date(latest).toISOString()}`);
    } else if (!this.order.push(event)) {
      this.context.recorder.badLine(this.file, line, `${where}${this.order.lateReason(event)}`);
    } else if (latest === undefined || event.exchTs > latest) {
      this.latest.set(event.coin, event.exchTs);
    }
  }

  releaseReady(): MarketEvent[] {
    const out: MarketEvent[] = [];
    this.order.releaseReady(out);
    this.context.recorder.stats.events += out.length;
    return out;
  }

  releaseAll(): MarketEvent[] {
    const out: MarketEvent[] = [];
    this.order.releaseAll(out);
    this.context.recorder.stats.events += out.length;
    return out;
  }
}
