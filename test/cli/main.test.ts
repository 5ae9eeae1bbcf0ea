import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { projectRoot, runCli, runMain } from '../helpers/cli.js';

describe('hypermm CLI', () => {
  it('prints the package version with --version', () => {
    const pkg = JSON.parse(readFileSync(`${projectRoot}package.json`, 'utf8')) as { version: string };
    const result = runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toBe(pkg.version);
  });

  it('prints usage with --help and exits 0', async () => {
    const result = await runMain(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('Usage: hypermm');
  });

  it('exits 2 on an unknown command', async () => {
    const result = await runMain(['no-such-command']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error/i);
  });
});
