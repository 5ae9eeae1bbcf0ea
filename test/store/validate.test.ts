import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openExistingDatabase } from '../../src/store/open-database.js';
import { validate } from '../../src/store/validate.js';
import { useTempStores } from './temp-stores.js';

const { dir, newStore } = useTempStores('validate');

describe('validate', () => {
  it('finds nothing wrong with a freshly migrated database', () => {
    expect(validate(newStore())).toEqual([]);
  });

  it('names a dropped column', () => {
    const db = newStore();
    db.exec('ALTER TABLE fills DROP COLUMN fee');
    expect(validate(db)).toEqual(['table fills: missing column fee']);
  });

  it('names a dropped table and a dropped index', () => {
    const db = newStore();
    db.exec('DROP TABLE rate_limit_usage; DROP INDEX trades_bot_coin_ts');
    expect(validate(db)).toEqual(['table trades: missing index trades_bot_coin_ts (bot_id, coin, ts)', 'missing table rate_limit_usage']);
  });

  it('names a column whose type changed and an index over other columns', () => {
    const db = newStore();
    db.exec(`
      ALTER TABLE pnl_tracking RENAME COLUMN funding TO funding_old;
      ALTER TABLE pnl_tracking ADD COLUMN funding TEXT;
      DROP INDEX fills_bot_coin_ts;
      CREATE INDEX fills_bot_coin_ts ON fills (bot_id, ts);`);
    expect(validate(db)).toEqual([
      'table fills: index fills_bot_coin_ts covers (bot_id, ts), expected (bot_id, coin, ts)',
      'table pnl_tracking: column funding has type TEXT, expected REAL',
    ]);
  });

  it('allows tables, columns and indexes of the user’s own', () => {
    const db = newStore();
    db.exec('CREATE TABLE notes (text TEXT); ALTER TABLE fills ADD COLUMN venue TEXT; CREATE INDEX fills_tid ON fills (tid)');
    expect(validate(db)).toEqual([]);
  });

  it('lists an empty SQLite file as an unmigrated schema: the version first, then every table', () => {
    const path = join(dir, 'empty.db');
    writeFileSync(path, '');
    const db = openExistingDatabase(path);
    const problems = validate(db);
    db.close();
    expect(problems[0]).toBe('schema version 0 is older than 1; run `hypermm db init` on this file to migrate it');
    expect(problems.slice(1)).toEqual([
      'missing table schema_version',
      'missing table bots',
      'missing table trades',
      'missing table orderbook_snapshots',
      'missing table fills',
      'missing table pnl_tracking',
      'missing table performance_metrics',
      'missing table system_events',
      'missing table rate_limit_usage',
    ]);
  });

  it('names a schema version from a newer hypermm', () => {
    const db = newStore();
    db.prepare('INSERT INTO schema_version (version, applied_ts) VALUES (7, 0)').run();
    expect(validate(db)).toEqual(['schema version 7 is newer than this hypermm knows (1); upgrade hypermm']);
  });
});
