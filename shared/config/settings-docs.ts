import type { SettingName, SettingReader, SettingSpec } from './settings';
import { SETTING_NAMES, settingSpec } from './settings';

/**
 * The configuration tables of README.md ("### Configuration") and docs/deploy.md
 * ("## Configuration"), rendered from the settings table; test/config/settings-readme.test.ts
 * fails when a document's table differs (`UPDATE_README=1` rewrites them). Laid out as prettier
 * lays out Markdown tables, so `prettier --check` keeps passing.
 */

const code = (text: string | number | boolean): string => `\`${String(text)}\``;

/** The default as the docs write it. */
export const defaultDoc = (spec: SettingSpec): string => {
  if (spec.defaultDoc !== undefined) return spec.defaultDoc;
  if (!('default' in spec) || spec.default === undefined) return 'none';
  switch (spec.type) {
    case 'number':
    case 'integer':
    case 'logRetention':
      return String(spec.default);
    case 'duration':
      return `${spec.default} minutes`;
    default:
      return code(spec.default);
  }
};

/** The one-line doc with the range or the values the table gives. */
export const meaningDoc = (spec: SettingSpec): string => {
  switch (spec.type) {
    case 'number':
    case 'integer':
      return `${spec.doc}, ${spec.min}–${spec.max}`;
    case 'enum':
      return spec.docExplainsValues ? spec.doc : `${spec.doc} (${spec.values.map(code).join(', ')})`;
    default:
      return spec.doc;
  }
};

/** A Markdown table, each column as wide as its widest cell (prettier's layout). */
export const renderMarkdownTable = (
  header: readonly string[],
  rows: readonly (readonly string[])[],
): string => {
  const widths = header.map((cell, i) => Math.max(cell.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    `| ${cells.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join(' | ')} |`;
  return [line(header), line(widths.map((width) => '-'.repeat(width))), ...rows.map(line)].join('\n');
};

const NO_REWRITE = { from: '', to: '' } as const;

/** For docs/deploy.md: links relative to docs/. */
export const DOCS_LINKS = { from: 'docs/', to: '' } as const;

/**
 * The settings one sets with `-c key=value` (or in cdk.json) or as props. Links are relative to
 * the repository root; `linkBase` rewrites them for a document elsewhere (`''` for docs/).
 */
export const renderSettingsTable = (linkBase: { readonly from: string; readonly to: string } = NO_REWRITE) =>
  renderMarkdownTable(
    ['context key', 'prop', 'default', 'meaning'],
    SETTING_NAMES.flatMap((name) => {
      const spec = settingSpec(name);
      if (!spec.context) return [];
      const prop = spec.context.prop === undefined ? '(stack name)' : code(spec.context.prop);
      const meaning = meaningDoc(spec).split(`](${linkBase.from}`).join(`](${linkBase.to}`);
      return [[code(name), prop, defaultDoc(spec), meaning]];
    }),
  );

/** The functions' environment variables: what the construct sets, and what each function reads. */
export const renderEnvironmentTable = (): string =>
  renderMarkdownTable(
    ['variable', 'read by', 'default', 'meaning'],
    SETTING_NAMES.flatMap((name: SettingName) => {
      const spec = settingSpec(name);
      if (!spec.env) return [];
      const meaning = spec.context ? `the setting ${code(name)}` : meaningDoc(spec);
      return [[code(spec.env.name), spec.env.readBy.join(', '), defaultDoc(spec), meaning]];
    }),
  );

/** The environment variables one function reads, each with its full meaning (docs/alerts.md). */
export const renderFunctionEnvironmentTable = (reader: SettingReader): string =>
  renderMarkdownTable(
    ['variable', 'default', 'meaning'],
    SETTING_NAMES.flatMap((name: SettingName) => {
      const spec = settingSpec(name);
      if (!spec.env?.readBy.includes(reader)) return [];
      return [[code(spec.env.name), defaultDoc(spec), meaningDoc(spec)]];
    }),
  );
