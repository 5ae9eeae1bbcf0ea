import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { isUserInputError } from '../../src/errors.js';
import { latestSchemaVersion, migrate, schemaVersion } from '../../src/store/migrations.js';

const dir = mkdtempSync(join(tmpdir(), 'hypermm-migrations-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function newDatabase(): Database.Database {
  files += 1;
  return new Database(join(dir, `db-${files}.db`));
}

function schemaText(db: Database.Database): string[] {
  return db.prepare('SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL ORDER BY name').pluck().all() as string[];
}

describe('migrate', () => {
  it('builds the schema on a new database and records each version with the time given', () => {
    const db = newDatabase();
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, 1_700_000_000_000)).toEqual([1]);
    expect(schemaVersion(db)).toBe(latestSchemaVersion);
    expect(db.prepare('SELECT version, applied_ts FROM schema_version').all()).toEqual([{ version: 1, applied_ts: 1_700_000_000_000 }]);
    db.close();
  });

  it('is idempotent: a second run applies nothing and changes nothing', () => {
    const db = newDatabase();
    migrate(db, 1);
    const before = schemaText(db);
    expect(migrate(db, 2)).toEqual([]);
    expect(schemaText(db)).toEqual(before);
    expect(db.prepare('SELECT COUNT(*) FROM schema_version').pluck().get()).toBe(1);
    db.close();
  });

  it('refuses a database written by a newer hypermm, naming both versions', () => {
    const db = newDatabase();
    migrate(db, 1);
    db.prepare('INSERT INTO schema_version (version, applied_ts) VALUES (?, ?)').run(latestSchemaVersion + 1, 2);
    expect(() => migrate(db, 3)).toThrow(
      `schema version ${latestSchemaVersion + 1} is newer than this hypermm knows (${latestSchemaVersion}); upgrade hypermm`,
    );
    db.close();
  });

  it('rolls a failed migration back whole and says which one failed', () => {
    const db = newDatabase();
    db.exec('CREATE TABLE fills (something_else TEXT)');
    let failure: unknown;
    try {
      migrate(db, 1);
    } catch (error) {
      failure = error;
    }
    expect(isUserInputError(failure)).toBe(true);
    expect((failure as Error).message).toMatch(/migration 1 \(initial schema.*\) failed: table fills already exists; is this a hypermm database\?/);
    expect(schemaVersion(db)).toBe(0);
    expect(db.prepare("SELECT name FROM sqlite_schema WHERE type = 'table'").pluck().all()).toEqual(['fills']);
    db.close();
  });
});
