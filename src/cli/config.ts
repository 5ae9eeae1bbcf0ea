import type { Command } from 'commander';
import { loadConfigPath, type LoadedConfig } from '../config/load.js';
import { renderConfigReference, settingDocs } from '../config/reference.js';
import { loadRateBudgets, loadSecrets } from '../config/secrets.js';
import { coinSettingKeys, settingKeys, settings } from '../config/settings.js';
import { report, type CliIO } from './io.js';
import { createTable } from './table.js';

function formatValue(value: unknown): string {
  if (value === undefined) return '—';
  return typeof value === 'string' ? value : JSON.stringify(value);
}

function renderHuman(config: LoadedConfig, extras: { secrets: object; rateBudgets: object }): string {
  const coins = Object.keys(config.coins);
  const header = `${config.file}: valid — bot "${config.bot.bot_id}", network ${config.bot.network}, coins ${coins.join(', ')}`;
  const bot = createTable(['bot setting', 'value']);
  for (const key of settingKeys.filter((k) => settings[k].scope === 'bot')) {
    bot.push([key, formatValue(config.bot[key as keyof typeof config.bot])]);
  }
  const perCoin = createTable(['coin setting', ...coins]);
  for (const key of coinSettingKeys) {
    perCoin.push([
      key,
      ...coins.map((coin) => {
        const value = formatValue(config.coins[coin]![key]);
        return config.overrides[coin]?.includes(key) ? `${value} *` : value;
      }),
    ]);
  }
  return [
    header,
    bot.toString(),
    perCoin.toString(),
    '* = set in per_coin',
    `secrets: ${JSON.stringify(extras.secrets)}`,
    `rate budgets per minute: ${JSON.stringify(extras.rateBudgets)}`,
  ].join('\n');
}

export function registerConfigCommands(program: Command, io: CliIO): void {
  const config = program.command('config').description('Validate configuration files and list every setting');

  config
    .command('check')
    .description('Validate a config file (or every *.json in a directory) and print the effective settings per coin')
    .argument('<path>', 'config file or directory of config files')
    .option('--json', 'print JSON: one object for a file, an array for a directory')
    .action((path: string, options: { json?: boolean }) => {
      const loaded = loadConfigPath(path);
      const extras = { secrets: loadSecrets().toJSON(), rateBudgets: loadRateBudgets() };
      const documents = loaded.map((c) => ({ file: c.file, bot: c.bot, coins: c.coins, overrides: c.overrides, ...extras }));
      const isSingleFile = loaded.length === 1 && loaded[0]!.file === path;
      report(io, Boolean(options.json), isSingleFile ? documents[0] : documents, () =>
        loaded.map((c) => renderHuman(c, extras)).join('\n\n'),
      );
    });

  config
    .command('keys')
    .description('List every setting with its type, scope, default and meaning')
    .option('--json', 'print JSON')
    .option('--markdown', 'print the Markdown reference table the README embeds')
    .action((options: { json?: boolean; markdown?: boolean }) => {
      if (options.markdown) {
        io.out(renderConfigReference());
        return;
      }
      report(io, Boolean(options.json), settingDocs(), (docs) => {
        const table = createTable(['key', 'type', 'where', 'default']);
        for (const d of docs) table.push([d.key, d.type, d.scope === 'coin' ? 'bot, per_coin' : 'bot', formatValue(d.default)]);
        return table.toString();
      });
    });
}
