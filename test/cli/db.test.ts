import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, describe, expect, it } from 'vitest';
import { openStore } from '../../src/store/open-database.js';
import { StoreWriter } from '../../src/store/writer.js';
import { runCli, runMain } from '../helpers/cli.js';

const dir = mkdtempSync(join(tmpdir(), 'hypermm-cli-db-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let files = 0;
function freshPath(): string {
  files += 1;
  return join(dir, `db-${files}.db`);
}

async function initialized(): Promise<string> {
  const path = freshPath();
  expect((await runMain(['db', 'init', '--db', path])).code).toBe(0);
  return path;
}

function oneErrorLine(stderr: string): string {
  const lines = stderr.trim().split('\n');
  expect(lines).toHaveLength(1);
  return lines[0]!;
}

describe('hypermm db init and validate', () => {
  it('creates ./hypertrade.db in the current directory, which then validates', () => {
    const cwd = join(dir, 'workdir');
    mkdirSync(cwd);
    const init = runCli(['db', 'init'], { cwd });
    expect(init.code).toBe(0);
    expect(init.stdout.trim()).toBe('created ./hypertrade.db at schema version 1');
    expect(existsSync(join(cwd, 'hypertrade.db'))).toBe(true);
    const validate = runCli(['db', 'validate'], { cwd });
    expect(validate.code).toBe(0);
    expect(validate.stdout.trim()).toBe('./hypertrade.db: valid (schema version 1, latest 1)');
  });

  it('is safe to run twice, and says there was nothing to do', async () => {
    const path = await initialized();
    const again = await runMain(['db', 'init', '--db', path]);
    expect(again.code).toBe(0);
    expect(again.stdout.trim()).toBe(`${path}: already at schema version 1; nothing to do`);
    const json = await runMain(['db', 'init', '--db', path, '--json']);
    expect(JSON.parse(json.stdout)).toEqual({ path, created: false, applied: [], schemaVersion: 1 });
  });

  it('lists a dropped column and exits 2 with a one-line summary', async () => {
    const path = await initialized();
    new Database(path).exec('ALTER TABLE fills DROP COLUMN fee').close();
    const result = await runMain(['db', 'validate', '--db', path]);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe(`${path}: 1 problem(s)\n  table fills: missing column fee\n`);
    expect(oneErrorLine(result.stderr)).toBe(
      `error: ${path}: not a valid hypermm database (1 problem), first: table fills: missing column fee`,
    );
  });

  it('prints every problem as JSON with --json, still exiting 2', async () => {
    const path = await initialized();
    new Database(path).exec('ALTER TABLE fills DROP COLUMN fee; DROP TABLE system_events').close();
    const result = await runMain(['db', 'validate', '--db', path, '--json']);
    expect(result.code).toBe(2);
    expect(JSON.parse(result.stdout)).toEqual({
      path,
      valid: false,
      schemaVersion: 1,
      problems: ['table fills: missing column fee', 'missing table system_events'],
    });
    expect(oneErrorLine(result.stderr)).toContain('(2 problems), first: table fills: missing column fee');
  });

  it('exits 2 for a missing file, naming it and suggesting db init', async () => {
    const path = join(dir, 'absent.db');
    for (const command of ['validate', 'info']) {
      const result = await runMain(['db', command, '--db', path]);
      expect(result.code).toBe(2);
      expect(oneErrorLine(result.stderr)).toBe(`error: ${path}: no such database file; create one with \`hypermm db init --db ${path}\``);
    }
    expect(existsSync(path)).toBe(false);
  });

  it('exits 2 for a file that is not SQLite, naming it', async () => {
    const path = join(dir, 'config.json');
    writeFileSync(path, JSON.stringify({ coins: ['BTC'], note: 'not a database'.repeat(20) }));
    for (const command of ['init', 'validate', 'info']) {
      const result = await runMain(['db', command, '--db', path]);
      expect(result.code).toBe(2);
      expect(oneErrorLine(result.stderr)).toBe(
        `error: ${path}: not a SQLite database; pass the path of a hypermm database, or create one with \`hypermm db init --db <new path>\``,
      );
    }
  });

  it('refuses a database from a newer hypermm, exit 2', async () => {
    const path = await initialized();
    new Database(path).exec('INSERT INTO schema_version (version, applied_ts) VALUES (2, 0)').close();
    const init = await runMain(['db', 'init', '--db', path]);
    expect(init.code).toBe(2);
    expect(oneErrorLine(init.stderr)).toBe(`error: ${path}: schema version 2 is newer than this hypermm knows (1); upgrade hypermm to use this database`);
    const validate = await runMain(['db', 'validate', '--db', path]);
    expect(validate.code).toBe(2);
    expect(validate.stdout).toContain('schema version 2 is newer than this hypermm knows (1); upgrade hypermm');
  });
});

describe('hypermm db info', () => {
  function writeRows(path: string, now: number): void {
    const { db } = openStore(path);
    const writer = new StoreWriter(db);
    for (let i = 0; i < 5; i += 1) writer.enqueue('trades', { bot_id: 'alpha', coin: 'BTC', ts: now - 5000 + i, action: 'place', cloid: `0x${i}` });
    for (let i = 0; i < 3; i += 1) {
      writer.enqueue('fills', {
        bot_id: 'alpha',
        coin: 'BTC',
        ts: now - 1000 + i,
        cloid: `0x${i}`,
        side: 'bid',
        price: 100,
        size: 2,
        fee: 0.03,
        maker: i > 0,
        realized_pnl: 1,
        position_after: 2 * (i + 1),
      });
    }
    writer.enqueue('system_events', { bot_id: 'beta', ts: now - 2000, severity: 'error', kind: 'api_error', message: 'HTTP 502' });
    writer.enqueue('system_events', { bot_id: 'alpha', ts: now - 100, severity: 'warning', kind: 'rate_limit', message: 'usage 91%' });
    writer.close();
    db.close();
  }

  it('prints counts that match the rows written, the file size and each bot with --json', async () => {
    const path = await initialized();
    writeRows(path, 1_700_000_000_000);
    const result = await runMain(['db', 'info', '--db', path, '--json']);
    expect(result.code).toBe(0);
    const info = JSON.parse(result.stdout) as Record<string, unknown>;
    expect(info).toEqual({
      path,
      sizeBytes: statSync(path).size,
      schemaVersion: 1,
      tables: {
        trades: 5,
        orderbook_snapshots: 0,
        fills: 3,
        pnl_tracking: 0,
        performance_metrics: 0,
        system_events: 2,
        rate_limit_usage: 0,
        bots: 0,
        schema_version: 1,
      },
      bots: [
        { botId: 'alpha', firstTs: 1_700_000_000_000 - 5000, lastTs: 1_700_000_000_000 - 100, rows: 9 },
        { botId: 'beta', firstTs: 1_700_000_000_000 - 2000, lastTs: 1_700_000_000_000 - 2000, rows: 1 },
      ],
    });
    expect(info.sizeBytes).toBeGreaterThan(0);
  });

  it('prints tables and bots for a person', async () => {
    const path = await initialized();
    writeRows(path, Date.parse('2025-01-02T03:04:05.000Z'));
    const result = await runMain(['db', 'info', '--db', path]);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(new RegExp(`^${path}: \\d+ bytes, schema version 1\\n`));
    expect(result.stdout).toMatch(/│ fills\s+│ 3\s+│/);
    expect(result.stdout).toMatch(/│ alpha │ 2025-01-02T03:04:00\.000Z │ 2025-01-02T03:04:04\.900Z │ 9\s+│/);
  });

  it('summarises one bot over the last hours with --bot', async () => {
    const path = await initialized();
    writeRows(path, Date.now());
    const result = await runMain(['db', 'info', '--db', path, '--bot', 'alpha', '--hours', '1', '--json']);
    expect(result.code).toBe(0);
    const { summary } = JSON.parse(result.stdout) as { summary: Record<string, unknown> };
    expect(summary).toMatchObject({
      botId: 'alpha',
      hours: 1,
      performance: { fills: 3, makerFills: 2, takerFills: 1, volume: 600, realizedPnl: 3, ordersPlaced: 5, ordersCancelled: 0 },
      coins: [{ coin: 'BTC', fills: 3, volume: 600, realizedPnl: 3, lastPosition: 6 }],
      events: [{ severity: 'warning', kind: 'rate_limit', message: 'usage 91%' }],
    });
    const human = await runMain(['db', 'info', '--db', path, '--bot', 'alpha']);
    expect(human.stdout).toContain('bot alpha, last 24 h: 3 fills (66.7% maker), volume 600.00, realized 3.0000, fees 0.0900');
  });

  it('refuses an invalid database, naming the first problem', async () => {
    const path = await initialized();
    new Database(path).exec('ALTER TABLE trades DROP COLUMN message').close();
    const result = await runMain(['db', 'info', '--db', path]);
    expect(result.code).toBe(2);
    expect(oneErrorLine(result.stderr)).toBe(
      `error: ${path}: not a valid hypermm database (1 problem), first: table trades: missing column message; run \`hypermm db validate --db ${path}\` for the list`,
    );
  });

  it('exits 2 on a window that is not a positive number of hours', async () => {
    const result = await runMain(['db', 'info', '--db', await initialized(), '--bot', 'alpha', '--hours', '-3']);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("option '--hours <n>' argument '-3' is invalid. expected a positive number of hours.");
  });
});

describe('hypermm db --help', () => {
  it.each(['init', 'validate', 'info'])('explains db %s', async (command) => {
    const result = await runMain(['db', command, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`Usage: hypermm db ${command} [options]`);
    expect(result.stdout).toContain('--db <path>');
    expect(result.stdout).toContain('--json');
  });
});
