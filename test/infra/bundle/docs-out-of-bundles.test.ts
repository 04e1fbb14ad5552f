import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { bundleFunction } from '../../../infra/bundle/bundle-function';
import { stripDocProperties } from '../../../infra/bundle/docs-out-of-bundles';
import { PUBLISH_ENTRY } from '../../../infra/runtime-contract';
import { SETTINGS } from '../../../shared/config';
import { DEFAULT_SEVERITY_RULES } from '../../../shared/diff';

describe('stripDocProperties', () => {
  it('removes the named properties of object literals with their comments and commas, and nothing else', () => {
    // Prepare
    const source = [
      'interface Spec { doc: string; min: number }',
      'export const TABLE = {',
      '  a: {',
      '    min: 1,',
      '    /** The doc. */',
      "    doc: 'first line ' +",
      "      'second line',",
      '    max: 2,',
      '  },',
      "  b: { doc: `x`, context: { prop: 'b' }, env: { name: 'B' } },",
      '};',
      'const doc = (spec: Spec) => spec.doc;',
    ].join('\n');

    // Act
    const { code, stripped } = stripDocProperties(source, 'table.ts', ['doc', 'context']);

    // Assess
    expect(stripped).toBe(3);
    expect(code).not.toMatch(/first line|second line|The doc|prop: 'b'/);
    expect(code).toContain('interface Spec { doc: string; min: number }');
    expect(code).toContain("b: { env: { name: 'B' } }");
    expect(code).toContain('const doc = (spec: Spec) => spec.doc;');
    expect(code).toMatch(/min: 1,\s+max: 2,/);
  });
});

describe('the publish bundle', () => {
  let dir = '';
  afterAll(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("keeps the settings' environment names and leaves their docs and the rules' descriptions out", async () => {
    // Prepare
    dir = await mkdtemp(path.join(tmpdir(), 'stage-drift-docs-'));

    // Act
    const result = await bundleFunction({ entry: PUBLISH_ENTRY, outdir: dir });
    const code = await readFile(result.outfile.replace(path.dirname(result.outfile), dir), 'utf8');

    // Assess
    const found = (texts: readonly string[]) => texts.filter((text) => code.includes(text));
    expect(found([SETTINGS.slackMinSeverity.env.name, SETTINGS.table.env.name])).toHaveLength(2);
    expect(found(Object.values(SETTINGS).map((spec) => spec.doc))).toEqual([]);
    expect(found([SETTINGS.ignore.context.example, SETTINGS.emailSubscriptions.context.example])).toEqual([]);
    expect(
      found(DEFAULT_SEVERITY_RULES.filter((rule) => rule.scope === 'field').map((rule) => rule.description)),
    ).toEqual([]);
  });
});
