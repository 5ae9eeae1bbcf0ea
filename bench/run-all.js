/**
 * Runs every benchmark in bench/ (each *.js file but this one), one after another in its own
 * Node process so that one benchmark's heap and JIT state cannot colour the next, and prints
 * one JSON array of their results. A benchmark prints one JSON value on stdout (an array counts
 * as several results); its stderr passes through. A benchmark that fails or prints no JSON
 * gives {benchmark, error} and makes the exit code 1.
 *
 * Usage: npm run bench   (builds first; or: npm run build && node bench/run-all.js)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { fileURLToPath, URL } from 'node:url';

const benchDir = fileURLToPath(new URL('.', import.meta.url));
const self = basename(fileURLToPath(import.meta.url));

/** Output size a benchmark may print before it is cut off (its JSON is small). */
const MAX_OUTPUT_BYTES = 16 * 1024 * 1024;

function runOne(file) {
  const child = spawnSync(process.execPath, [file], {
    cwd: benchDir,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'inherit'],
    maxBuffer: MAX_OUTPUT_BYTES,
  });
  const name = file.replace(/\.js$/, '');
  if (child.error) return [{ benchmark: name, error: child.error.message }];
  if (child.status !== 0) {
    const how = child.signal ? `killed by ${child.signal}` : `exit code ${child.status}`;
    return [{ benchmark: name, error: `${file} failed (${how})` }];
  }
  try {
    const result = JSON.parse(child.stdout);
    return Array.isArray(result) ? result : [result];
  } catch {
    return [{ benchmark: name, error: `${file} did not print one JSON value on stdout` }];
  }
}

const files = readdirSync(benchDir)
  .filter((file) => file.endsWith('.js') && file !== self)
  .sort();
const results = [];
for (const file of files) {
  console.error(`bench: running ${file}`);
  results.push(...runOne(file));
}
console.log(JSON.stringify(results, null, 2));
if (results.some((result) => result !== null && typeof result === 'object' && 'error' in result)) process.exitCode = 1;
