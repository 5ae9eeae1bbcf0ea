import { access, readdir } from 'node:fs/promises';
import { join, parse, sep } from 'node:path';

const GLOB_CHARS = /[*?[]/;

export function isGlob(path: string): boolean {
  return GLOB_CHARS.test(path);
}

/**
 * The paths matching a glob with `*`, `?`, `[…]` within a path segment and `**` for any number
 * of directories, sorted. Hidden entries match only a pattern that starts with a dot.
 */
export async function expandGlob(pattern: string): Promise<string[]> {
  const { root } = parse(pattern);
  const segments = pattern.slice(root.length).split(/[\\/]+/).filter((segment) => segment.length > 0);
  const matches: string[] = [];
  await walk(root.length > 0 ? root : '.', root.length > 0 ? root : '', segments, matches);
  return [...new Set(matches)].sort();
}

async function walk(directory: string, prefix: string, segments: readonly string[], matches: string[]): Promise<void> {
  const [segment, ...rest] = segments;
  if (segment === undefined) {
    if (prefix.length > 0) matches.push(prefix);
    return;
  }
  const joinPrefix = (name: string): string => (prefix.length === 0 ? name : prefix.endsWith(sep) ? prefix + name : join(prefix, name));
  if (!isGlob(segment)) {
    const path = joinPrefix(segment);
    if (rest.length === 0) {
      if (await exists(path)) matches.push(path);
      return;
    }
    await walk(path, path, rest, matches);
    return;
  }
  const entries = await readdir(directory, { withFileTypes: true }).catch(() => []);
  if (segment === '**') {
    await walk(directory, prefix, rest, matches);
    for (const entry of entries) {
      if (entry.isDirectory() && !entry.name.startsWith('.')) {
        const path = joinPrefix(entry.name);
        await walk(path, path, segments, matches);
      }
    }
    return;
  }
  const matcher = segmentMatcher(segment);
  for (const entry of entries) {
    if (!matcher.test(entry.name)) continue;
    const path = joinPrefix(entry.name);
    if (rest.length === 0) matches.push(path);
    else if (entry.isDirectory()) await walk(path, path, rest, matches);
  }
}

function segmentMatcher(segment: string): RegExp {
  let source = '';
  for (let index = 0; index < segment.length; index += 1) {
    const char = segment[index]!;
    if (char === '*') source += '[^/\\\\]*';
    else if (char === '?') source += '[^/\\\\]';
    else if (char === '[') {
      const close = segment.indexOf(']', index + 1);
      if (close < 0) source += '\\[';
      else {
        const body = segment.slice(index + 1, close).replace(/^!/, '^').replace(/\\/g, '\\\\');
        source += `[${body}]`;
        index = close;
      }
    } else source += char.replace(/[.+^${}()|\\]/g, '\\$&');
  }
  const hiddenGuard = segment.startsWith('.') ? '' : '(?!\\.)';
  return new RegExp(`^${hiddenGuard}${source}$`);
}

async function exists(path: string): Promise<boolean> {
  return access(path).then(
    () => true,
    () => false,
  );
}
