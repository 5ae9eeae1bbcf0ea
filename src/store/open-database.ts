import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { UserInputError } from '../errors.js';
import { migrate } from './migrations.js';

// Per-connection settings: NORMAL sync is crash-safe in WAL mode (a killed process loses no
// commit; only an OS crash can lose the last ones), and the busy timeout lets bots share a file.
const connectionPragmas = [
  'synchronous = NORMAL',
  'foreign_keys = ON',
  'busy_timeout = 5000',
  'temp_store = MEMORY',
  'cache_size = -16000',
];

export interface OpenedStore {
  readonly db: Database.Database;
  /** True when the file did not exist before. */
  readonly created: boolean;
  /** Migration versions applied by this open; [] when the schema was current. */
  readonly applied: number[];
}

function initHint(path: string): string {
  return `create one with \`hypermm db init --db ${path}\``;
}

function isNotADatabase(error: unknown): boolean {
  return error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_NOTADB';
}

function notADatabase(path: string): UserInputError {
  return new UserInputError(
    `${path}: not a SQLite database; pass the path of a hypermm database, or create one with \`hypermm db init --db <new path>\``,
  );
}

function configure(db: Database.Database, path: string, setup: (db: Database.Database) => void): Database.Database {
  try {
    setup(db);
    for (const pragma of connectionPragmas) db.pragma(pragma);
    return db;
  } catch (error) {
    db.close();
    throw isNotADatabase(error) ? notADatabase(path) : error;
  }
}

/**
 * Opens the database the engine and `db init` write to: creates the file if needed, switches it
 * to WAL and applies pending migrations. The caller closes `db`.
 */
export function openStore(path: string, now: number = Date.now()): OpenedStore {
  const directory = dirname(path);
  if (!existsSync(directory)) {
    throw new UserInputError(`${path}: directory ${directory} does not exist; create it or pass another --db path`);
  }
  const created = !existsSync(path);
  const db = configure(new Database(path), path, (opened) => opened.pragma('journal_mode = WAL'));
  try {
    return { db, created, applied: migrate(db, now) };
  } catch (error) {
    db.close();
    throw error;
  }
}

/**
 * Opens an existing database to inspect it, changing nothing (no journal-mode switch, no
 * migration). A missing file or one that is not SQLite is a UserInputError naming the path.
 */
export function openExistingDatabase(path: string): Database.Database {
  if (!existsSync(path)) throw new UserInputError(`${path}: no such database file; ${initHint(path)}`);
  if (statSync(path).isDirectory()) throw new UserInputError(`${path}: is a directory, not a database file; ${initHint(`${path}/hypertrade.db`)}`);
  // SQLite reads the header lazily: the first query is what finds a file that is not a database.
  return configure(new Database(path, { fileMustExist: true }), path, (opened) =>
    opened.prepare('SELECT COUNT(*) FROM sqlite_schema').get(),
  );
}
