import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openExistingDatabase, openStore } from '../../src/store/open-database.js';

const dir = mkdtempSync(join(tmpdir(), 'hypermm-open-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('openStore', () => {
  it('creates the file in WAL mode with the connection settings, and migrates it', () => {
    const path = join(dir, 'new.db');
    const { db, created, applied } = openStore(path);
    expect(created).toBe(true);
    expect(applied).toEqual([1]);
    expect(db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(db.pragma('synchronous', { simple: true })).toBe(1);
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(db.pragma('busy_timeout', { simple: true })).toBe(5000);
    expect(db.pragma('temp_store', { simple: true })).toBe(2);
    expect(db.pragma('cache_size', { simple: true })).toBe(-16000);
    db.close();

    const again = openStore(path);
    expect(again.created).toBe(false);
    expect(again.applied).toEqual([]);
    again.db.close();
  });

  it('names a missing directory', () => {
    const path = join(dir, 'no-such-dir', 'x.db');
    expect(() => openStore(path)).toThrow(`${path}: directory ${join(dir, 'no-such-dir')} does not exist`);
  });

  it('refuses a file that is not SQLite', () => {
    const path = join(dir, 'notes.txt');
    writeFileSync(path, 'these are not the bytes of a database, but there are enough of them to have a header '.repeat(2));
    expect(() => openStore(path)).toThrow(`${path}: not a SQLite database`);
  });
});

describe('openExistingDatabase', () => {
  it('names a missing file and suggests db init', () => {
    const path = join(dir, 'absent.db');
    expect(() => openExistingDatabase(path)).toThrow(`${path}: no such database file; create one with \`hypermm db init --db ${path}\``);
  });

  it('refuses a file that is not SQLite, suggesting db init', () => {
    const path = join(dir, 'junk.db');
    writeFileSync(path, 'x'.repeat(200));
    expect(() => openExistingDatabase(path)).toThrow(/^.*junk\.db: not a SQLite database; .*`hypermm db init --db <new path>`$/);
  });

  it('changes nothing on the file it inspects: a rollback-journal database stays one', () => {
    const path = join(dir, 'rollback.db');
    new Database(path).exec('CREATE TABLE t (x INTEGER)').close();
    const db = openExistingDatabase(path);
    expect(db.pragma('journal_mode', { simple: true })).toBe('delete');
    expect(db.pragma('foreign_keys', { simple: true })).toBe(1);
    db.close();
  });
});
