import type Database from 'better-sqlite3';

/** Tables holding a bot's rows, children before the trades they refer to, the bot itself last. */
const TABLES_BY_BOT = ['orderbook_snapshots', 'fills', 'trades', 'pnl_tracking', 'performance_metrics', 'system_events', 'rate_limit_usage', 'bots'] as const;

/** Removes every row of one bot in one transaction: a backtest that failed leaves nothing half-written. */
export function deleteBotRows(db: Database.Database, botId: string): void {
  db.transaction(() => {
    for (const table of TABLES_BY_BOT) db.prepare(`DELETE FROM ${table} WHERE bot_id = ?`).run(botId);
  })();
}
