import type Database from 'better-sqlite3';
import { dataTables, type DataTable, type DataTableRows } from './schema.js';

/** An interval flush has no caller to throw to, so it needs somewhere to report errors. */
export type StoreWriterOptions = {
  /** Rows held before `enqueue` flushes synchronously; default 1000. */
  readonly maxQueuedRows?: number;
} & (
  | { readonly flushIntervalMs?: undefined }
  | {
      /** Also flush on this interval, ms; the timer is unref'd so it never keeps the process alive. */
      readonly flushIntervalMs: number;
      readonly onError: (error: Error) => void;
    }
);

export interface RefusedRow {
  readonly table: DataTable;
  readonly row: object;
  readonly reason: string;
}

/** Thrown after a batch committed without some rows SQLite refused (a constraint or a bad value). */
export class RefusedRowsError extends Error {
  constructor(readonly refused: readonly RefusedRow[]) {
    const first = refused[0]!;
    super(`store writer: ${refused.length} row(s) refused, first in ${first.table}: ${first.reason}`);
    this.name = 'RefusedRowsError';
  }
}

interface QueuedRow {
  readonly table: DataTable;
  readonly row: object;
}

type SqlValue = number | string | bigint | Buffer | null;

interface PreparedInsert {
  /** Every column but id, bound by name. */
  readonly columns: readonly string[];
  readonly statement: Database.Statement;
}

function toSql(value: unknown): SqlValue {
  if (value === undefined) return null;
  if (typeof value === 'boolean') return value ? 1 : 0;
  return value as SqlValue;
}

// Constraint failures and unbindable values concern one row; anything else (disk full, lock
// timeout) concerns the whole batch, which then stays queued.
function isRowError(error: unknown): error is Error {
  if (error instanceof TypeError || error instanceof RangeError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('SQLITE_CONSTRAINT');
}

/**
 * Appends rows to the data tables off the hot path: rows wait in a bounded queue and are written
 * in one transaction per batch, in the order they were enqueued. A full queue flushes
 * synchronously rather than drop a row. Does not close the database.
 */
export class StoreWriter {
  private queue: QueuedRow[] = [];
  private readonly inserts = new Map<DataTable, PreparedInsert>();
  private readonly maxQueuedRows: number;
  private readonly timer: NodeJS.Timeout | undefined;
  private readonly writeBatch: Database.Transaction<(batch: readonly QueuedRow[]) => RefusedRow[]>;

  constructor(
    private readonly db: Database.Database,
    options: StoreWriterOptions = {},
  ) {
    this.maxQueuedRows = options.maxQueuedRows ?? 1000;
    if (!Number.isInteger(this.maxQueuedRows) || this.maxQueuedRows < 1) {
      throw new RangeError(`maxQueuedRows must be a positive integer, got ${this.maxQueuedRows}`);
    }
    this.writeBatch = db.transaction((batch: readonly QueuedRow[]) => this.insertAll(batch));
    if (options.flushIntervalMs !== undefined) {
      const onError = options.onError;
      this.timer = setInterval(() => {
        try {
          this.flush();
        } catch (error) {
          onError(error instanceof Error ? error : new Error(String(error)));
        }
      }, options.flushIntervalMs);
      this.timer.unref();
    }
  }

  get queuedRows(): number {
    return this.queue.length;
  }

  /**
   * Queues a row; the row that fills the queue flushes it synchronously. If that flush fails the
   * rows stay queued (past the bound) and its error is thrown here.
   */
  enqueue<T extends DataTable>(table: T, row: DataTableRows[T]): void {
    if (!dataTables.includes(table)) throw new RangeError(`store writer: unknown table ${String(table)}`);
    this.queue.push({ table, row });
    if (this.queue.length >= this.maxQueuedRows) this.flush();
  }

  /**
   * Writes every queued row in one transaction and returns how many were committed. If the
   * transaction fails the rows stay queued and the error is thrown; rows SQLite refuses one by one
   * are left out of the commit and reported by a RefusedRowsError after it.
   */
  flush(): number {
    if (this.queue.length === 0) return 0;
    const batch = this.queue;
    this.queue = [];
    let refused: RefusedRow[];
    try {
      refused = this.writeBatch.immediate(batch);
    } catch (error) {
      this.queue = batch.concat(this.queue);
      throw error;
    }
    if (refused.length > 0) throw new RefusedRowsError(refused);
    return batch.length;
  }

  /** Stops the interval and writes what is queued. */
  close(): void {
    if (this.timer !== undefined) clearInterval(this.timer);
    this.flush();
  }

  private insertAll(batch: readonly QueuedRow[]): RefusedRow[] {
    const refused: RefusedRow[] = [];
    for (const { table, row } of batch) {
      const insert = this.insertFor(table);
      const values: Record<string, SqlValue> = {};
      for (const column of insert.columns) values[column] = toSql((row as Record<string, unknown>)[column]);
      try {
        insert.statement.run(values);
      } catch (error) {
        if (!isRowError(error)) throw error;
        refused.push({ table, row, reason: error.message });
      }
    }
    return refused;
  }

  private insertFor(table: DataTable): PreparedInsert {
    const cached = this.inserts.get(table);
    if (cached !== undefined) return cached;
    const columns = (this.db.prepare('SELECT name FROM pragma_table_info(?)').pluck().all(table) as string[]).filter(
      (column) => column !== 'id',
    );
    // trade_id may be left to the writer: the first trades row of the same bot and cloid.
    const linksTrade = columns.includes('trade_id') && columns.includes('cloid');
    const values = columns.map((column) =>
      linksTrade && column === 'trade_id'
        ? 'COALESCE(@trade_id, (SELECT id FROM trades WHERE bot_id = @bot_id AND cloid = @cloid ORDER BY id LIMIT 1))'
        : `@${column}`,
    );
    const statement = this.db.prepare(`INSERT INTO ${table} (${columns.join(', ')}) VALUES (${values.join(', ')})`);
    const insert = { columns, statement };
    this.inserts.set(table, insert);
    return insert;
  }
}
