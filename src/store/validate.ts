import Database from 'better-sqlite3';
import { latestSchemaVersion, migrate, schemaVersion } from './migrations.js';

interface TableShape {
  /** Column name to declared type, in table order. */
  readonly columns: ReadonlyMap<string, string>;
  /** Index name to its columns, for indexes made by CREATE INDEX. */
  readonly indexes: ReadonlyMap<string, readonly string[]>;
}

function describeSchema(db: Database.Database): Map<string, TableShape> {
  const tables = db
    .prepare("SELECT name FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY rowid")
    .pluck()
    .all() as string[];
  const columnsOf = db.prepare('SELECT name, type FROM pragma_table_info(?)');
  const indexesOf = db.prepare("SELECT name FROM pragma_index_list(?) WHERE origin = 'c'").pluck();
  const indexColumnsOf = db.prepare('SELECT name FROM pragma_index_info(?) ORDER BY seqno').pluck();
  const shapes = new Map<string, TableShape>();
  for (const table of tables) {
    const columns = new Map((columnsOf.all(table) as { name: string; type: string }[]).map((c) => [c.name, c.type]));
    const indexes = new Map((indexesOf.all(table) as string[]).map((name) => [name, indexColumnsOf.all(name) as string[]]));
    shapes.set(table, { columns, indexes });
  }
  return shapes;
}

let expectedSchema: Map<string, TableShape> | undefined;

/** The schema the migrations build, read back from a scratch in-memory database: one source of truth. */
function expected(): Map<string, TableShape> {
  if (expectedSchema === undefined) {
    const scratch = new Database(':memory:');
    try {
      migrate(scratch, 0);
      expectedSchema = describeSchema(scratch);
    } finally {
      scratch.close();
    }
  }
  return expectedSchema;
}

function versionProblems(version: number): string[] {
  if (version < latestSchemaVersion) {
    return [`schema version ${version} is older than ${latestSchemaVersion}; run \`hypermm db init\` on this file to migrate it`];
  }
  if (version > latestSchemaVersion) {
    return [`schema version ${version} is newer than this hypermm knows (${latestSchemaVersion}); upgrade hypermm`];
  }
  return [];
}

function tableProblems(table: string, want: TableShape, have: TableShape): string[] {
  const problems: string[] = [];
  for (const [column, type] of want.columns) {
    const actual = have.columns.get(column);
    if (actual === undefined) problems.push(`table ${table}: missing column ${column}`);
    else if (actual !== type) problems.push(`table ${table}: column ${column} has type ${actual || 'none'}, expected ${type}`);
  }
  for (const [index, columns] of want.indexes) {
    const actual = have.indexes.get(index);
    if (actual === undefined) problems.push(`table ${table}: missing index ${index} (${columns.join(', ')})`);
    else if (actual.join() !== columns.join()) {
      problems.push(`table ${table}: index ${index} covers (${actual.join(', ')}), expected (${columns.join(', ')})`);
    }
  }
  return problems;
}

/**
 * Compares `db` with the schema hypermm expects and lists every difference, one line each
 * ("table fills: missing column fee"); [] when valid. Extra tables, columns and indexes are allowed.
 */
export function validate(db: Database.Database): string[] {
  const actual = describeSchema(db);
  const readableVersion = actual.get('schema_version')?.columns.has('version') ?? false;
  const problems = versionProblems(readableVersion ? schemaVersion(db) : 0);
  for (const [table, want] of expected()) {
    const have = actual.get(table);
    if (have === undefined) problems.push(`missing table ${table}`);
    else problems.push(...tableProblems(table, want, have));
  }
  return problems;
}
