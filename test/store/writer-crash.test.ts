import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openExistingDatabase } from '../../src/store/open-database.js';
import { validate } from '../../src/store/validate.js';
import { projectRoot } from '../helpers/cli.js';

const totalRows = 100_000;
const batchRows = 1000;
const reportsBeforeKill = 3;
// The child starts writing the next batch right after a report; a short delay lands the kill inside it.
const killDelayMs = 2;

const dir = mkdtempSync(join(tmpdir(), 'hypermm-writer-crash-'));
// The child runs compiled JS from the temp dir, not dist/, so this never rewrites files other tests are running.
const compiledDir = join(dir, 'dist');
const childScript = fileURLToPath(new URL('fixtures/writer-child.js', import.meta.url));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/**
 * Compiles `entries` and every module they import, relative to src/, into `outDir`: type
 * stripping only (the type check is the project's), so it takes a fraction of a full build.
 */
function compileWithImports(entries: readonly string[], outDir: string): void {
  const pending = [...entries];
  const compiled = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (compiled.has(file)) continue;
    compiled.add(file);
    const source = readFileSync(join(projectRoot, 'src', file), 'utf8');
    for (const { fileName } of ts.preProcessFile(source).importedFiles) {
      if (fileName.startsWith('.')) pending.push(join(dirname(file), fileName).replace(/\.js$/, '.ts'));
    }
    const { outputText } = ts.transpileModule(source, {
      fileName: file,
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2023, verbatimModuleSyntax: true },
    });
    const target = join(outDir, file.replace(/\.ts$/, '.js'));
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(target, outputText);
  }
}

beforeAll(() => {
  compileWithImports(['store/open-database.ts', 'store/writer.ts'], compiledDir);
  // The compiled code finds better-sqlite3 through this link, as it would in the project.
  symlinkSync(join(projectRoot, 'node_modules'), join(dir, 'node_modules'), 'dir');
});

interface ChildRun {
  lastReported: number;
  signal: NodeJS.Signals | null;
}

/** Runs the child writer and kills it with SIGKILL soon after it has reported a few committed batches. */
function runAndKill(dbPath: string): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childScript, compiledDir, dbPath, String(totalRows), String(batchRows)], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let lastReported = 0;
    let reports = 0;
    let stdout = '';
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const lines = stdout.split('\n');
      stdout = lines.pop()!;
      for (const line of lines) {
        lastReported = Number(/^committed (\d+)$/.exec(line)![1]);
        reports += 1;
      }
      if (reports === reportsBeforeKill) setTimeout(() => child.kill('SIGKILL'), killDelayMs);
    });
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (signal === null) reject(new Error(`child exited with code ${code} before it was killed:\n${stderr}`));
      else resolve({ lastReported, signal });
    });
  });
}

describe('StoreWriter killed mid-run', () => {
  it('keeps every committed batch, loses no part of one, and leaves a valid file', async () => {
    const dbPath = join(dir, 'crash.db');
    const run = await runAndKill(dbPath);
    expect(run.signal).toBe('SIGKILL');
    expect(run.lastReported).toBeGreaterThanOrEqual(reportsBeforeKill * batchRows);

    const db = openExistingDatabase(dbPath);
    try {
      expect(db.pragma('integrity_check', { simple: true })).toBe('ok');
      expect(validate(db)).toEqual([]);
      const rows = db.prepare('SELECT COUNT(*) FROM fills').pluck().get() as number;
      expect(rows).toBeGreaterThanOrEqual(run.lastReported);
      expect(rows).toBeLessThan(totalRows);
      expect(rows % batchRows).toBe(0);
      const lastTid = db.prepare('SELECT MAX(tid) FROM fills').pluck().get() as number;
      expect(lastTid).toBe(rows - 1);
    } finally {
      db.close();
    }
  });
});
