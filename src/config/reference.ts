import type { z } from 'zod';
import { settingKeys, settings, type SettingKey } from './settings.js';

function typeName(schema: z.ZodType): string {
  const def = schema._zod.def as { type: string; innerType?: z.ZodType; element?: z.ZodType; entries?: Record<string, string> };
  switch (def.type) {
    case 'optional':
      return typeName(def.innerType!);
    case 'enum':
      return Object.values(def.entries ?? {}).join(' | ');
    case 'array':
      return `${typeName(def.element!)}[]`;
    case 'number':
      return (schema as z.ZodNumber).format === 'safeint' ? 'integer' : 'number';
    default:
      return def.type;
  }
}

export interface SettingDoc {
  key: SettingKey;
  type: string;
  scope: 'bot' | 'coin';
  default: unknown;
  doc: string;
}

export function settingDocs(): SettingDoc[] {
  return settingKeys.map((key) => ({
    key,
    type: typeName(settings[key].schema),
    scope: settings[key].scope,
    default: settings[key].default,
    doc: settings[key].doc,
  }));
}

/** The configuration reference as a Markdown table (the README embeds exactly this). */
export function renderConfigReference(): string {
  const rows = settingDocs().map(
    (s) => `| \`${s.key}\` | ${s.type.replaceAll('|', '\\|')} | ${s.scope === 'coin' ? 'bot, per_coin' : 'bot'} | ${s.default === undefined ? '—' : `\`${JSON.stringify(s.default)}\``} | ${s.doc} |`,
  );
  return ['| key | type | where | default | meaning |', '| --- | --- | --- | --- | --- |', ...rows].join('\n');
}
