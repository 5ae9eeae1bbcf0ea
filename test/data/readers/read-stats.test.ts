import { describe, expect, it } from 'vitest';
import { UserInputError } from '../../../src/errors.js';
import { describeDataWarning, StatsRecorder, type DataWarning } from '../../../src/data/readers/read-stats.js';

const T = Date.UTC(2025, 8, 3, 12, 57, 26, 680);

describe('describeDataWarning', () => {
  it.each<[DataWarning, string]>([
    [
      { kind: 'gap', coin: 'BTC', fromTs: T, toTs: T + 249_648, seconds: 249.648 },
      'BTC: no book for 249.6 s, 2025-09-03T12:57:26.680Z to 2025-09-03T13:01:36.328Z (a gap in the recording)',
    ],
    [
      { kind: 'droppedTrades', file: 'trades_BTC.csv', coin: 'BTC', duplicates: 30, beforeFirstBook: 2 },
      'trades_BTC.csv: BTC trades left out: 30 repeating a trade id, 2 older than the first book',
    ],
    [{ kind: 'cache', file: 'x.hmmc', message: 'cut short; rebuilt from the source' }, 'cache x.hmmc: cut short; rebuilt from the source'],
    [
      { kind: 'cutShort', file: 'BTC.lz4', afterLine: 4120, reason: 'content checksum does not match' },
      'BTC.lz4: cannot decompress after line 4120 (content checksum does not match); the rest of the file is skipped (damaged or cut off)',
    ],
    [
      { kind: 'overlap', file: 'b.jsonl', previousFile: 'a.jsonl', skipped: 5, untilTs: T },
      'b.jsonl: starts before a.jsonl ends; its 5 events before 2025-09-03T12:57:26.680Z were skipped',
    ],
    [
      { kind: 'skippedFrames', file: 'raw.gz', channels: { bbo: 1200, activeSpotAssetCtx: 3 } },
      'raw.gz: frames of channels that are not replayed were skipped: bbo 1200, activeSpotAssetCtx 3',
    ],
  ])('says %j in a sentence', (warning, sentence) => {
    expect(describeDataWarning(warning)).toBe(sentence);
  });
});

describe('StatsRecorder.cutShort', () => {
  it('records a warning, and passes it to the read it is part of', () => {
    const parent = new StatsRecorder(false);
    const recorder = new StatsRecorder(false, parent);
    recorder.cutShort('BTC.jsonl.gz', 12, 'unexpected end of file');
    const warning = { kind: 'cutShort', file: 'BTC.jsonl.gz', afterLine: 12, reason: 'unexpected end of file' };
    expect(recorder.stats.warnings).toEqual([warning]);
    expect(parent.stats.warnings).toEqual([warning]);
  });

  it('stops a strict read with a UserInputError that says what to do', () => {
    const recorder = new StatsRecorder(true);
    expect(() => recorder.cutShort('BTC.jsonl.gz', 12, 'unexpected end of file')).toThrow(UserInputError);
    expect(() => recorder.cutShort('BTC.jsonl.gz', 12, 'unexpected end of file')).toThrow(
      'BTC.jsonl.gz: cannot decompress after line 12 (unexpected end of file); the file is damaged or cut off: replace it, or read without strict mode',
    );
  });
});
