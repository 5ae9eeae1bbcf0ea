import { createHash } from 'node:crypto';
import { readdir, readFile } from 'node:fs/promises';
import { extname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where the code lives that decides what a cache holds: the readers, and the cache itself. */
const CODE_DIRECTORIES = ['../readers/', './'];

let hashing: Promise<string> | undefined;

/**
 * A hash of the code that turns data files into cached events. A cache written by other code
 * (an older or newer hypermm) is rebuilt instead of replaying what that code read. Computed once
 * per process from the modules beside this one: `.js` in the build, `.ts` under the test runner.
 */
export function readerCodeHash(): Promise<string> {
  hashing ??= hashCode();
  return hashing;
}

async function hashCode(): Promise<string> {
  const extension = extname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const directory of CODE_DIRECTORIES) {
    const url = new URL(directory, import.meta.url);
    const names = (await readdir(url)).filter((name) => name.endsWith(extension) && !name.endsWith(`.d${extension}`)).sort();
    for (const name of names) hash.update(`${directory}${name}\0`).update(await readFile(new URL(name, url))).update('\0');
  }
  return hash.digest('hex').slice(0, 16);
}
