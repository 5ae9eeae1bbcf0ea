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
