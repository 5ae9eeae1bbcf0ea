import type Database from 'better-sqlite3';
import { allTables, dataTables } from './schema.js';

export interface BotActivity {
  readonly botId: string;
  /** Earliest and latest `ts` over every data table; null for a registered bot with no rows. */
  readonly firstTs: number | null;
  readonly lastTs: number | null;
  /** Rows over every data table. */
  readonly rows: number;
}

/** Row count of every hypermm table; the database must be valid (see validate). */
export function tableRowCounts(db: Database.Database): Record<string, number> {
  return Object.fromEntries(
    allTables.map((table) => [table, db.prepare(`SELECT COUNT(*) FROM ${table}`).pluck().get() as number]),
  );
}

/** Each bot that has rows or is registered in `bots`, by bot id. */
export function botActivity(db: Database.Database): BotActivity[] {
  const perTable = dataTables
    .map((table) => `SELECT bot_id, MIN(ts) AS first_ts, MAX(ts) AS last_ts, COUNT(*) AS n FROM ${table} GROUP BY bot_id`)
    .join(' UNION ALL ');
  const rows = db
    .prepare(
      `SELECT bot_id AS botId, MIN(first_ts) AS firstTs, MAX(last_ts) AS lastTs, SUM(n) AS rows
       FROM (${perTable} UNION ALL SELECT bot_id, NULL, NULL, 0 FROM bots)
       GROUP BY bot_id ORDER BY bot_id`,
    )
    .all() as BotActivity[];
  return rows;
}
