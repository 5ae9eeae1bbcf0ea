/**
 * Rows per second the batched store writer commits: 200k fills (the widest hot table) into a
 * fresh WAL database, batches of 1000 rows, one transaction each, as the engine writes them.
 *
 * Usage: npm run build && node bench/store-writer.js [--rows N]
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openStore } from '../dist/store/open-database.js';
import { StoreWriter } from '../dist/store/writer.js';

const rowsFlag = process.argv.indexOf('--rows');
const rows = rowsFlag > 0 ? Number(process.argv[rowsFlag + 1]) : 200_000;
const batch = 1000;

const dir = mkdtempSync(join(tmpdir(), 'hypermm-bench-writer-'));
try {
  const path = join(dir, 'bench.db');
  const { db } = openStore(path, 0);
  const writer = new StoreWriter(db, { maxQueuedRows: batch });
  const started = process.hrtime.bigint();
  for (let i = 0; i < rows; i++) {
    writer.enqueue('fills', {
      bot_id: 'bench',
      coin: i % 2 ? 'BTC' : 'ETH',
      ts: 1_700_000_000_000 + i,
      oid: i,
      cloid: null,
      tid: i,
      side: i % 2 ? 'bid' : 'ask',
      price: 100_000 + (i % 50),
      size: 0.001,
      fee: 0.015,
      maker: true,
      realized_pnl: 0,
      position_after: 0.001,
      avg_entry_after: 100_000,
    });
  }
  writer.flush();
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  writer.close();
  db.close();
  console.log(
    JSON.stringify({
      benchmark: 'store-writer',
      rows,
      batchRows: batch,
      seconds: Number(seconds.toFixed(3)),
      rowsPerSec: Math.round(rows / seconds),
      fileMb: Number((statSync(path).size / 1e6).toFixed(1)),
      node: process.version,
    }),
  );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
