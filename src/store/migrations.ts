import type Database from 'better-sqlite3';
import { UserInputError } from '../errors.js';

export interface Migration {
  readonly version: number;
  readonly description: string;
  readonly sql: string;
}

// STRICT tables refuse a value of the wrong type instead of storing it silently.
const initialSchema = `
CREATE TABLE schema_version (
  version INTEGER PRIMARY KEY,
  applied_ts INTEGER NOT NULL
) STRICT;

CREATE TABLE bots (
  bot_id TEXT PRIMARY KEY,
  name TEXT,
  network TEXT,
  config_json TEXT,
  created_ts INTEGER NOT NULL
) STRICT;

CREATE TABLE trades (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  coin TEXT NOT NULL,
  ts INTEGER NOT NULL,
  action TEXT NOT NULL CHECK (action IN ('place', 'modify', 'cancel', 'ack', 'reject', 'fill', 'canceled')),
  oid INTEGER,
  cloid TEXT,
  side TEXT CHECK (side IN ('bid', 'ask')),
  price REAL,
  size REAL,
  tif TEXT CHECK (tif IN ('Alo', 'Ioc', 'Gtc')),
  reduce_only INTEGER CHECK (reduce_only IN (0, 1)),
  maker INTEGER CHECK (maker IN (0, 1)),
  position_before REAL,
  position_after REAL,
  fee REAL,
  realized_pnl REAL,
  status TEXT,
  message TEXT
) STRICT;
CREATE INDEX trades_bot_coin_ts ON trades (bot_id, coin, ts);
CREATE INDEX trades_bot_cloid ON trades (bot_id, cloid);

CREATE TABLE orderbook_snapshots (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  coin TEXT NOT NULL,
  ts INTEGER NOT NULL,
  best_bid REAL,
  best_ask REAL,
  bid_size REAL,
  ask_size REAL,
  spread_bps REAL,
  mid REAL,
  source TEXT NOT NULL CHECK (source IN ('ws', 'rest', 'sim')),
  trade_id INTEGER REFERENCES trades (id),
  cloid TEXT
) STRICT;
CREATE INDEX orderbook_snapshots_bot_coin_ts ON orderbook_snapshots (bot_id, coin, ts);

CREATE TABLE fills (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  coin TEXT NOT NULL,
  ts INTEGER NOT NULL,
  trade_id INTEGER REFERENCES trades (id),
  oid INTEGER,
  cloid TEXT,
  tid INTEGER,
  side TEXT NOT NULL CHECK (side IN ('bid', 'ask')),
  price REAL NOT NULL,
  size REAL NOT NULL,
  fee REAL NOT NULL,
  maker INTEGER NOT NULL CHECK (maker IN (0, 1)),
  realized_pnl REAL NOT NULL,
  position_after REAL,
  avg_entry_after REAL
) STRICT;
CREATE INDEX fills_bot_coin_ts ON fills (bot_id, coin, ts);

CREATE TABLE pnl_tracking (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  coin TEXT NOT NULL,
  ts INTEGER NOT NULL,
  position REAL NOT NULL,
  avg_entry REAL,
  mark_price REAL,
  notional REAL,
  realized_pnl REAL NOT NULL,
  unrealized_pnl REAL,
  fees REAL NOT NULL,
  funding REAL NOT NULL
) STRICT;
CREATE INDEX pnl_tracking_bot_coin_ts ON pnl_tracking (bot_id, coin, ts);

CREATE TABLE performance_metrics (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  coin TEXT NOT NULL,
  ts INTEGER NOT NULL,
  maker_fills INTEGER NOT NULL,
  taker_fills INTEGER NOT NULL,
  maker_ratio REAL,
  pnl REAL NOT NULL,
  fees REAL NOT NULL,
  orders_placed INTEGER NOT NULL,
  orders_cancelled INTEGER NOT NULL,
  avg_spread_bps REAL,
  avg_latency_ms REAL
) STRICT;
CREATE INDEX performance_metrics_bot_coin_ts ON performance_metrics (bot_id, coin, ts);

CREATE TABLE system_events (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  coin TEXT,
  ts INTEGER NOT NULL,
  severity TEXT NOT NULL CHECK (severity IN ('debug', 'info', 'warning', 'error', 'critical')),
  kind TEXT NOT NULL,
  message TEXT NOT NULL,
  details TEXT CHECK (details IS NULL OR json_valid(details))
) STRICT;
CREATE INDEX system_events_bot_coin_ts ON system_events (bot_id, coin, ts);
CREATE INDEX system_events_bot_ts ON system_events (bot_id, ts);

CREATE TABLE rate_limit_usage (
  id INTEGER PRIMARY KEY,
  bot_id TEXT NOT NULL,
  ts INTEGER NOT NULL,
  ws_used INTEGER NOT NULL,
  ws_capacity INTEGER NOT NULL,
  rest_used INTEGER NOT NULL,
  rest_capacity INTEGER NOT NULL,
  usage_pct REAL NOT NULL,
  critical INTEGER NOT NULL CHECK (critical IN (0, 1))
) STRICT;
CREATE INDEX rate_limit_usage_bot_ts ON rate_limit_usage (bot_id, ts);
`;

/** Every schema change ever made, oldest first. Append only: a released migration never changes. */
export const migrations: readonly Migration[] = [
  { version: 1, description: 'initial schema: trades, fills, book snapshots, PnL, metrics, events, rate limits, bots', sql: initialSchema },
];

export const latestSchemaVersion = migrations[migrations.length - 1]!.version;

function hasSchemaVersionTable(db: Database.Database): boolean {
  return db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'schema_version'").get() !== undefined;
}

/** The highest migration applied to `db`; 0 for a database hypermm never touched. */
export function schemaVersion(db: Database.Database): number {
  if (!hasSchemaVersionTable(db)) return 0;
  const row = db.prepare('SELECT MAX(version) AS version FROM schema_version').get() as { version: number | null };
  return row.version ?? 0;
}

function refuseNewer(db: Database.Database, version: number): void {
  if (version > latestSchemaVersion) {
    throw new UserInputError(
      `${db.name}: schema version ${version} is newer than this hypermm knows (${latestSchemaVersion}); upgrade hypermm to use this database`,
    );
  }
}

function isSqlError(error: unknown): error is Error {
  return error instanceof Error && (error as { code?: unknown }).code === 'SQLITE_ERROR';
}

/**
 * Applies the migrations above the stored version, each in its own immediate transaction (which
 * also serialises two processes migrating at once). Returns the versions applied; [] when current.
 */
export function migrate(db: Database.Database, now: number = Date.now()): number[] {
  refuseNewer(db, schemaVersion(db));
  const applied: number[] = [];
  for (const migration of migrations) {
    const apply = db.transaction(() => {
      const current = schemaVersion(db);
      refuseNewer(db, current);
      if (current >= migration.version) return;
      db.exec(migration.sql);
      db.prepare('INSERT INTO schema_version (version, applied_ts) VALUES (?, ?)').run(migration.version, now);
      applied.push(migration.version);
    });
    try {
      apply.immediate();
    } catch (error) {
      // SQLITE_ERROR is the SQL itself failing, e.g. a foreign table of the same name already there.
      if (!isSqlError(error)) throw error;
      throw new UserInputError(
        `${db.name}: migration ${migration.version} (${migration.description}) failed: ${error.message}; is this a hypermm database? pass another --db path`,
      );
    }
  }
  return applied;
}
