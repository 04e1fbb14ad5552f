import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { readFileSync, writeFileSync } from 'node:fs';
import * as path from 'node:path';
import type { SettingSpec } from '../../shared/config';
import { SETTING_NAMES, settingSpec } from '../../shared/config';
import {
  DOCS_LINKS,
  renderEnvironmentTable,
  renderFunctionEnvironmentTable,
  renderSettingsTable,
} from '../../shared/config/settings-docs';

/**
 * The configuration tables of the docs are rendered from the settings table
 * (shared/config/settings.ts). A change there, or an edit of a table by hand, fails here with the
 * Markdown expected; `UPDATE_README=1 npx jest test/config/settings-readme` rewrites the tables.
 */
const ROOT = path.join(__dirname, '..', '..');
const UPDATE = process.env.UPDATE_README === '1';

interface Block {
  readonly start: number;
  readonly end: number;
}

/** The Markdown tables (runs of lines starting with `|`) of the section under `heading`. */
const tablesIn = (lines: readonly string[], heading: string): Block[] => {
  const at = lines.indexOf(heading);
  if (at < 0) throw new Error(`no heading "${heading}"`);
  const level = heading.indexOf(' ');
  const blocks: Block[] = [];
  for (let i = at + 1; i < lines.length; i++) {
    const line = lines[i] ?? '';
    const hashes = /^(#+) /.exec(line)?.[1]?.length;
    if (hashes !== undefined && hashes <= level) break;
    if (line.startsWith('|') && !(lines[i - 1] ?? '').startsWith('|')) {
      let end = i;
      while ((lines[end + 1] ?? '').startsWith('|')) end++;
      blocks.push({ start: i, end });
    }
  }
  return blocks;
};

describe.each([
  ['README.md', '### Configuration', [renderSettingsTable(), renderEnvironmentTable()]],
  ['docs/deploy.md', '## Configuration', [renderSettingsTable(DOCS_LINKS)]],
  [
    'docs/alerts.md',
    '### Configuration of the publish function',
    [renderFunctionEnvironmentTable('publish')],
  ],
])('the configuration tables of %s', (file, heading, expected) => {
  it(`are the settings table rendered (the tables under "${heading}")`, () => {
    // Prepare
    const target = path.join(ROOT, file);
    const lines = readFileSync(target, 'utf8').split('\n');
    const blocks = tablesIn(lines, heading);

    // Act
    const actual = blocks.map(({ start, end }) => lines.slice(start, end + 1).join('\n'));

    // Assess
    if (UPDATE && blocks.length === expected.length) {
      for (const [i, { start, end }] of [...blocks.entries()].reverse()) {
        lines.splice(start, end - start + 1, expected[i] ?? '');
      }
      writeFileSync(target, lines.join('\n'));
      return;
    }
    expected.forEach((table, i) => {
      if (actual[i] !== table) {
        throw new Error(
          `${file}, "${heading}": table ${i + 1} of ${expected.length} differs from the settings table ` +
            '(shared/config/settings.ts). Rewrite it with `UPDATE_README=1 npx jest test/config/settings-readme`; ' +
            `expected:\n\n${table}\n`,
        );
      }
    });
    expect(actual).toHaveLength(expected.length);
  });
});

/** The public enum of each enum setting's prop. */
const PROP_ENUMS: Readonly<Record<string, string>> = {
  outOfBand: 'OutOfBandMode',
  slackMinSeverity: 'Severity',
  removalPolicy: 'RemovalPolicy',
};

/** The `@default` a prop's doc in stage-drift-monitor-props.ts must give for its setting's default. */
const propDefault = (name: string, spec: SettingSpec): string | undefined => {
  if (!('default' in spec) || spec.default === undefined) return undefined;
  switch (spec.type) {
    case 'duration':
      return `Duration.minutes(${spec.default})`;
    case 'logRetention':
      return `RetentionDays.${Object.entries(RetentionDays).find(([, days]) => days === spec.default)?.[0]}`;
    case 'enum':
      return `${PROP_ENUMS[name]}.${spec.default.toUpperCase().replace(/-/g, '_')}`;
    case 'string':
      return `'${spec.default}'`;
    default:
      return String(spec.default);
  }
};

describe('the props docs (infra/stage-drift-monitor-props.ts)', () => {
  const source = readFileSync(path.join(ROOT, 'infra', 'stage-drift-monitor-props.ts'), 'utf8');
  const props = source.slice(source.indexOf('export interface StageDriftMonitorProps'));
  const withDefaults = SETTING_NAMES.flatMap((name) => {
    const spec = settingSpec(name);
    const expected = propDefault(name, spec);
    return spec.context?.prop === name && expected !== undefined ? [[name, expected] as const] : [];
  });

  it.each(withDefaults)('give %s the default of the settings table, %s', (name, expected) => {
    // The doc block right before the prop.
    const at = props.indexOf(`  readonly ${name}?:`);
    const doc = props.slice(props.lastIndexOf('/**', at), at);
    expect(/@default (.+)$/m.exec(doc)?.[1]?.trim()).toBe(expected);
  });
});
