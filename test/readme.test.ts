import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderConfigReference } from '../src/config/reference.js';
import { projectRoot } from './helpers/cli.js';

const readme = readFileSync(`${projectRoot}README.md`, 'utf8');

describe('README', () => {
  it('embeds the configuration reference generated from the schema (regenerate: hypermm config keys --markdown)', () => {
    const block = /<!-- config-reference:start -->\n([\s\S]*?)\n<!-- config-reference:end -->/.exec(readme);
    expect(block, 'README.md has no config-reference block').not.toBeNull();
    expect(block![1]).toBe(renderConfigReference());
  });

  it('shows the test command', () => {
    expect(readme).toContain('npm test');
  });
});

describe('README and --help', () => {
  it('documents every command that --help lists, with an example', async () => {
    const { runMain } = await import('./helpers/cli.js');
    const help = await runMain(['--help']);
    const listing = help.stdout.slice(help.stdout.indexOf('Commands:'));
    const commands = [...listing.matchAll(/^ {2}([a-z-]+)/gm)].map((m) => m[1]!).filter((c) => c !== 'help');
    expect(commands).toEqual(expect.arrayContaining(['config', 'db', 'quote', 'backtest', 'research']));
    for (const command of commands) expect(readme, `README has no example of hypermm ${command}`).toMatch(new RegExp(`npx hypermm ${command}\\b`));
  });
});
