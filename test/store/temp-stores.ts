import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type Database from 'better-sqlite3';
import { afterAll } from 'vitest';
import { openStore } from '../../src/store/open-database.js';

/**
 * Fresh, migrated database files in a temp directory that is removed (with any database left
 * open closed first) after the test file.
 */
export function useTempStores(prefix: string): { dir: string; newStore: () => Database.Database } {
  const dir = mkdtempSync(join(tmpdir(), `hypermm-${prefix}-`));
  const opened: Database.Database[] = [];
  afterAll(() => {
    for (const db of opened) if (db.open) db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  return {
    dir,
    newStore: () => {
      const { db } = openStore(join(dir, `store-${opened.length + 1}.db`), 1_700_000_000_000);
      opened.push(db);
      return db;
    },
  };
}
