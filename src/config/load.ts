import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { z } from 'zod';
import { UserInputError } from '../errors.js';
import {
  coinSettingKeys,
  settingKeys,
  settings,
  type BotConfig,
  type CoinConfig,
  type SettingKey,
} from './settings.js';
import { closestName } from './suggest.js';

/** A validated config file: bot-wide settings and the effective settings of each coin. */
export interface LoadedConfig {
  readonly file: string;
  readonly bot: BotConfig;
  readonly coins: Readonly<Record<string, CoinConfig>>;
  /** Keys set in `per_coin` for each coin, to show which values are overrides. */
  readonly overrides: Readonly<Record<string, readonly string[]>>;
}

const coinOverrideSchema = z.strictObject(
  Object.fromEntries(coinSettingKeys.map((key) => [key, settings[key].schema.optional()])),
);

const fileSchema = z.strictObject({
  ...Object.fromEntries(
    settingKeys.map((key) => [key, key === 'coins' ? settings[key].schema : settings[key].schema.optional()]),
  ),
  per_coin: z.record(z.string(), coinOverrideSchema).optional(),
});

function describeValue(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  if (typeof value === 'string') return `string ${JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value)}`;
  if (typeof value === 'object') return 'an object';
  return `${typeof value} ${JSON.stringify(value)}`;
}

function valueAt(root: unknown, path: readonly PropertyKey[]): unknown {
  let node = root;
  for (const key of path) {
    if (node === null || typeof node !== 'object') return undefined;
    node = (node as Record<PropertyKey, unknown>)[key];
  }
  return node;
}

function keyPath(path: readonly PropertyKey[]): string {
  return path.map((part) => (typeof part === 'number' ? `[${part}]` : String(part))).join('.').replace(/\.\[/g, '[');
}

function knownKeysAt(path: readonly PropertyKey[]): readonly string[] {
  if (path.length === 0) return [...settingKeys, 'per_coin'];
  if (path[0] === 'per_coin' && path.length === 2) return coinSettingKeys;
  return [];
}

function describeIssue(issue: z.core.$ZodIssue, raw: unknown): string[] {
  if (issue.code === 'unrecognized_keys') {
    return issue.keys.map((key) => {
      const where = keyPath([...issue.path, key]);
      const known = knownKeysAt(issue.path);
      const hint = closestName(key, known);
      const botWide = issue.path[0] === 'per_coin' && settingKeys.includes(key as SettingKey);
      if (botWide) return `${where}: "${key}" is a bot-wide setting and cannot be set per coin`;
      return `${where}: unknown key${hint ? ` (did you mean "${hint}"?)` : ''}`;
    });
  }
  const where = keyPath(issue.path) || '(top level)';
  const actual = valueAt(raw, issue.path);
  if (issue.code === 'invalid_type') {
    if (actual === undefined) return [`${where}: required, missing`];
    return [`${where}: expected ${issue.expected}, got ${describeValue(actual)}`];
  }
  if (issue.code === 'invalid_value') {
    return [`${where}: expected one of ${issue.values.map((v) => JSON.stringify(v)).join(', ')}, got ${describeValue(actual)}`];
  }
  return [`${where}: ${issue.message.replace(/^Invalid input: /, '')} (got ${describeValue(actual)})`];
}

function positionToLineColumn(text: string, position: number): string {
  const before = text.slice(0, position);
  const line = before.split('\n').length;
  const column = position - before.lastIndexOf('\n');
  return `line ${line}, column ${column}`;
}

function parseJson(file: string, text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const position = /position (\d+)/.exec(message);
    const where = position ? positionToLineColumn(text, Number(position[1])) : 'somewhere';
    throw new UserInputError(`${file}: not valid JSON at ${where}: ${message.replace(/ in JSON at position \d+.*$/, '')}`);
  }
}

function readConfigText(file: string): string {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') throw new UserInputError(`${file}: file not found; pass the path of a JSON config (see configs/example-mm.json)`);
    if (code === 'EISDIR') throw new UserInputError(`${file}: is a directory; pass a JSON file, or use a command that takes a directory`);
    throw new UserInputError(`${file}: cannot read (${code ?? 'error'})`);
  }
}

type RawConfig = Partial<Record<SettingKey, unknown>> & {
  coins: string[];
  per_coin?: Record<string, Partial<Record<SettingKey, unknown>>>;
};

function defaultsFor(keys: readonly SettingKey[]): Record<string, unknown> {
  return Object.fromEntries(keys.map((key) => [key, settings[key].default]));
}

function crossFieldProblems(bot: BotConfig, coins: Record<string, CoinConfig>, raw: RawConfig): string[] {
  const problems: string[] = [];
  for (const coin of Object.keys(raw.per_coin ?? {})) {
    if (!bot.coins.includes(coin)) problems.push(`per_coin.${coin}: coin is not in coins [${bot.coins.join(', ')}]`);
  }
  if (bot.emergency_stop_loss_pct > bot.portfolio_pause_threshold_pct) {
    problems.push(
      `emergency_stop_loss_pct: ${bot.emergency_stop_loss_pct} must be at or below portfolio_pause_threshold_pct ${bot.portfolio_pause_threshold_pct}`,
    );
  }
  for (const [coin, config] of Object.entries(coins)) {
    const where = raw.per_coin?.[coin] ? `per_coin.${coin}` : '';
    const prefix = (key: string) => (where && raw.per_coin?.[coin]?.[key as SettingKey] !== undefined ? `${where}.${key}` : key);
    const split = config.level_size_split;
    if (split) {
      if (split.length !== config.num_levels) {
        problems.push(`${prefix('level_size_split')}: has ${split.length} entries for ${config.num_levels} levels (${coin}); give one fraction per level`);
      }
      const sum = split.reduce((total, part) => total + part, 0);
      if (Math.abs(sum - 1) > 1e-9) problems.push(`${prefix('level_size_split')}: fractions sum to ${sum} (${coin}); they must sum to 1`);
    }
    if (config.bailout_full_mae_bps < config.bailout_partial_mae_bps) {
      problems.push(`${prefix('bailout_full_mae_bps')}: ${config.bailout_full_mae_bps} is below bailout_partial_mae_bps ${config.bailout_partial_mae_bps} (${coin})`);
    }
    if (config.max_spread_bps < config.min_spread_bps) {
      problems.push(`${prefix('max_spread_bps')}: ${config.max_spread_bps} is below min_spread_bps ${config.min_spread_bps} (${coin})`);
    }
  }
  return problems;
}

/** Validates a parsed config object. `file` only names the source in errors. */
export function parseConfig(file: string, raw: unknown, fallbackBotId: string): LoadedConfig {
  const result = fileSchema.safeParse(raw);
  if (!result.success) {
    const lines = result.error.issues.flatMap((issue) => describeIssue(issue, raw));
    throw new UserInputError(lines.map((line) => `${file}: ${line}`).join('\n'));
  }
  const config = result.data as RawConfig;
  const botKeys = settingKeys.filter((key) => settings[key].scope === 'bot');
  const bot = { ...defaultsFor(botKeys), ...pick(config, botKeys) } as Record<string, unknown>;
  bot.bot_id ??= fallbackBotId;
  const globalCoin = { ...defaultsFor(coinSettingKeys), ...pick(config, coinSettingKeys) };
  const coins: Record<string, CoinConfig> = {};
  const overrides: Record<string, string[]> = {};
  for (const coin of config.coins) {
    const override = config.per_coin?.[coin] ?? {};
    coins[coin] = { ...globalCoin, ...stripUndefined(override), coin } as CoinConfig;
    overrides[coin] = Object.keys(stripUndefined(override));
  }
  const problems = crossFieldProblems(bot as BotConfig, coins, config);
  if (problems.length > 0) throw new UserInputError(problems.map((line) => `${file}: ${line}`).join('\n'));
  return { file, bot: bot as BotConfig, coins, overrides };
}

function pick(source: Record<string, unknown>, keys: readonly string[]): Record<string, unknown> {
  return stripUndefined(Object.fromEntries(keys.map((key) => [key, source[key]])));
}

function stripUndefined(source: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(source).filter(([, value]) => value !== undefined));
}

/** Reads and validates one JSON config file. */
export function loadConfigFile(file: string): LoadedConfig {
  const text = readConfigText(file);
  return parseConfig(file, parseJson(file, text), basename(file).replace(/\.json$/i, ''));
}

/** Loads one file, or every *.json in a directory (each is one bot; bot ids must be unique). */
export function loadConfigPath(path: string): LoadedConfig[] {
  let isDirectory: boolean;
  try {
    isDirectory = statSync(path).isDirectory();
  } catch {
    throw new UserInputError(`${path}: file not found; pass a JSON config file or a directory of them`);
  }
  if (!isDirectory) return [loadConfigFile(path)];
  const files = readdirSync(path).filter((name) => name.toLowerCase().endsWith('.json')).sort();
  if (files.length === 0) throw new UserInputError(`${path}: directory has no .json config files`);
  const loaded = files.map((name) => loadConfigFile(join(path, name)));
  const seen = new Map<string, string>();
  for (const config of loaded) {
    const other = seen.get(config.bot.bot_id);
    if (other) {
      throw new UserInputError(`${config.file}: bot_id "${config.bot.bot_id}" is also used by ${relative(path, other) || other}; give each bot its own bot_id`);
    }
    seen.set(config.bot.bot_id, config.file);
  }
  return loaded;
}

/** The effective settings of one coin, or a clear error naming the coins the config has. */
export function coinConfig(loaded: LoadedConfig, coin: string): CoinConfig {
  const config = loaded.coins[coin];
  if (!config) {
    throw new UserInputError(`${loaded.file}: coin "${coin}" is not configured; coins are ${Object.keys(loaded.coins).join(', ')}`);
  }
  return config;
}
