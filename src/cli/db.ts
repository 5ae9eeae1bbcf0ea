import { statSync } from 'node:fs';
import { InvalidArgumentError, type Command } from 'commander';
import type Database from 'better-sqlite3';
import { UserInputError } from '../errors.js';
import { botActivity, tableRowCounts, type BotActivity } from '../store/info.js';
import { latestSchemaVersion, schemaVersion } from '../store/migrations.js';
import { openExistingDatabase, openStore } from '../store/open-database.js';
import {
  botPerformanceSummary,
  pnlSummaryByCoin,
  recentSystemEvents,
  type BotPerformanceSummary,
  type CoinPnlSummary,
  type SystemEventRecord,
} from '../store/queries.js';
import { validate } from '../store/validate.js';
import { report, type CliIO } from './io.js';
import { createTable } from './table.js';

const defaultDbPath = './hypertrade.db';
const summaryEventLimit = 20;

interface DbOptions {
  db: string;
  json?: boolean;
}

interface InfoOptions extends DbOptions {
  bot?: string;
  hours: number;
}

interface BotSummary {
  botId: string;
  hours: number;
  now: number;
  performance: BotPerformanceSummary;
  coins: CoinPnlSummary[];
  events: SystemEventRecord[];
}

interface DatabaseInfo {
  path: string;
  sizeBytes: number;
  schemaVersion: number;
  tables: Record<string, number>;
  bots: BotActivity[];
  summary?: BotSummary;
}

function withDatabase<T>(db: Database.Database, use: (db: Database.Database) => T): T {
  try {
    return use(db);
  } finally {
    db.close();
  }
}

function problemSummary(path: string, problems: readonly string[]): string {
  return `${path}: not a valid hypermm database (${problems.length} problem${problems.length === 1 ? '' : 's'}), first: ${problems[0]}`;
}

function parseHours(value: string): number {
  const hours = Number(value);
  if (!Number.isFinite(hours) || hours <= 0) throw new InvalidArgumentError('expected a positive number of hours.');
  return hours;
}

function formatTs(ts: number | null): string {
  return ts === null ? '—' : new Date(ts).toISOString();
}

function money(value: number): string {
  return value.toFixed(4);
}

function renderSummary(summary: BotSummary): string {
  const p = summary.performance;
  const makerShare = p.makerRatio === null ? '—' : `${(p.makerRatio * 100).toFixed(1)}% maker`;
  const coins = createTable(['coin', 'fills', 'volume', 'realized', 'fees', 'funding', 'net', 'position']);
  for (const c of summary.coins) {
    coins.push([c.coin, c.fills, c.volume.toFixed(2), money(c.realizedPnl), money(c.fees), money(c.funding), money(c.net), c.lastPosition ?? '—']);
  }
  const events = createTable(['time', 'severity', 'coin', 'kind', 'message']);
  for (const e of summary.events) events.push([formatTs(e.ts), e.severity, e.coin ?? '—', e.kind, e.message]);
  return [
    `bot ${summary.botId}, last ${summary.hours} h: ${p.fills} fills (${makerShare}), volume ${p.volume.toFixed(2)}, ` +
      `realized ${money(p.realizedPnl)}, fees ${money(p.fees)}, funding ${money(p.funding)}, net ${money(p.net)}; ` +
      `orders placed ${p.ordersPlaced}, cancelled ${p.ordersCancelled}`,
    coins.toString(),
    `events at warning or above (newest ${summaryEventLimit}):`,
    events.toString(),
  ].join('\n');
}

function renderInfo(info: DatabaseInfo): string {
  const tables = createTable(['table', 'rows']);
  for (const [name, count] of Object.entries(info.tables)) tables.push([name, count]);
  const bots = createTable(['bot', 'first', 'last', 'rows']);
  for (const bot of info.bots) bots.push([bot.botId, formatTs(bot.firstTs), formatTs(bot.lastTs), bot.rows]);
  const sections = [`${info.path}: ${info.sizeBytes} bytes, schema version ${info.schemaVersion}`, tables.toString()];
  sections.push(info.bots.length === 0 ? 'no bots yet' : bots.toString());
  if (info.summary) sections.push(renderSummary(info.summary));
  return sections.join('\n');
}

function init(path: string, io: CliIO, json: boolean): void {
  const opened = openStore(path);
  const { version, problems } = withDatabase(opened.db, (db) => ({ version: schemaVersion(db), problems: validate(db) }));
  if (problems.length > 0) throw new UserInputError(`${problemSummary(path, problems)}; run \`hypermm db validate --db ${path}\` for the list`);
  const result = { path, created: opened.created, applied: opened.applied, schemaVersion: version };
  report(io, json, result, (r) => {
    if (r.created) return `created ${r.path} at schema version ${r.schemaVersion}`;
    if (r.applied.length > 0) return `${r.path}: migrated to schema version ${r.schemaVersion} (applied ${r.applied.join(', ')})`;
    return `${r.path}: already at schema version ${r.schemaVersion}; nothing to do`;
  });
}

function validateCommand(path: string, io: CliIO, json: boolean): void {
  const { version, problems } = withDatabase(openExistingDatabase(path), (db) => ({
    version: schemaVersion(db),
    problems: validate(db),
  }));
  const result = { path, valid: problems.length === 0, schemaVersion: version, problems };
  report(io, json, result, (r) =>
    r.valid
      ? `${r.path}: valid (schema version ${r.schemaVersion}, latest ${latestSchemaVersion})`
      : [`${r.path}: ${r.problems.length} problem(s)`, ...r.problems.map((p) => `  ${p}`)].join('\n'),
  );
  if (problems.length > 0) throw new UserInputError(problemSummary(path, problems));
}

function info(path: string, io: CliIO, options: InfoOptions): void {
  const gathered = withDatabase(openExistingDatabase(path), (db) => {
    const problems = validate(db);
    if (problems.length > 0) {
      throw new UserInputError(`${problemSummary(path, problems)}; run \`hypermm db validate --db ${path}\` for the list`);
    }
    const window = { hours: options.hours, now: Date.now() };
    const summary =
      options.bot === undefined
        ? undefined
        : {
            botId: options.bot,
            ...window,
            performance: botPerformanceSummary(db, options.bot, window),
            coins: pnlSummaryByCoin(db, options.bot, window),
            events: recentSystemEvents(db, options.bot, { ...window, minSeverity: 'warning', limit: summaryEventLimit }),
          };
    return { schemaVersion: schemaVersion(db), tables: tableRowCounts(db), bots: botActivity(db), summary };
  });
  // Measured after closing: the last connection's close checkpoints the WAL into the file.
  const result: DatabaseInfo = { path, sizeBytes: statSync(path).size, ...gathered };
  report(io, Boolean(options.json), result, renderInfo);
}

export function registerDbCommands(program: Command, io: CliIO): void {
  const db = program.command('db').description(`Create, check and inspect the SQLite database (default ${defaultDbPath})`);
  const dbOption = ['--db <path>', 'database file, relative to the current directory', defaultDbPath] as const;

  db.command('init')
    .description('Create the database (WAL mode) or migrate it to the latest schema; safe to run again')
    .option(...dbOption)
    .option('--json', 'print JSON: {path, created, applied, schemaVersion}')
    .action((options: DbOptions) => init(options.db, io, Boolean(options.json)));

  db.command('validate')
    .description('Check every table, column and index; print each problem and exit 2 when there is any')
    .option(...dbOption)
    .option('--json', 'print JSON: {path, valid, schemaVersion, problems}')
    .action((options: DbOptions) => validateCommand(options.db, io, Boolean(options.json)));

  db.command('info')
    .description('Row counts per table, file size, schema version, and each bot\'s first/last time and rows')
    .option(...dbOption)
    .option('--bot <id>', 'also summarise this bot over the last --hours: PnL per coin, totals, warnings and errors')
    .option('--hours <n>', 'window of the --bot summary, hours back from now', parseHours, 24)
    .option('--json', 'print JSON: {path, sizeBytes, schemaVersion, tables, bots[, summary]}')
    .action((options: InfoOptions) => info(options.db, io, options));
}
