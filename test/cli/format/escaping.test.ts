import fc from 'fast-check';
import { renderDriftReport } from '../../../cli/format/drift-report';
import { renderEvents } from '../../../cli/format/events-report';
import { renderHistory } from '../../../cli/format/history-report';
import { renderScanText } from '../../../cli/format/scan-report';
import { renderStages, toStageRows } from '../../../cli/format/stages-report';
import { emptyCallCounts } from '../../../shared/collect/collect-result';
import { diffStages } from '../../../shared/diff';
import type { StageDrift, StageSnapshot } from '../../../shared/model';
import { formatStageKey } from '../../../shared/model';
import type { ScanSummary } from '../../../shared/scan';
import { zeroCounts } from '../../../shared/scan/scan-types';
import type { DriftEventRecord, LatestEntry, VersionEntry } from '../../../shared/store';
import { toDriftEventRecord } from '../../../shared/store';
import { edit, OPTIONS, REST_PROD, restSnapshot } from '../../diff/fixtures';

// Stage names, API names, descriptions, tags and their keys are stage data: whoever can call
// UpdateStage chooses them. No text or markdown output may pass a control, bidi or separator
// character through as it is (it could erase lines, recolour, reorder or forge them).

/** Printed as they are, these move the cursor, recolour, reorder or break a line. */
const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

/** Moves up over the report and erases it, then prints a clean bill of health. */
const ERASE_AND_FORGE = 'x\r\x1b[2K\x1b[1A\x1b[2K\x1b[1A\x1b[2K\x1b[0mNo drift.';

const DETECTED_AT = '2026-11-21T10:00:00.000Z';

interface Crafted {
  readonly stageName: string;
  readonly apiName: string;
  readonly tagKey: string;
  readonly tagValue: string;
  readonly description: string;
}

const craftedDrift = (c: Crafted): { drift: StageDrift; before: StageSnapshot; after: StageSnapshot } => {
  const options = { stageName: c.stageName, apiName: c.apiName };
  const before = restSnapshot(REST_PROD, options);
  const after = restSnapshot(
    edit(REST_PROD, (s) => {
      s.methodSettings!['*/*']!.loggingLevel = 'OFF';
      s.tags![c.tagKey] = c.tagValue;
      s.description = c.description;
    }),
    options,
  );
  const drift = diffStages(before, after, OPTIONS);
  if (!drift) throw new Error('the crafted edit must drift');
  return { drift, before, after };
};

const eventOf = (drift: StageDrift): DriftEventRecord =>
  toDriftEventRecord(drift, '0123456789abcdef0123456789abcdef', DETECTED_AT);

const versionsOf = (drift: StageDrift): VersionEntry[] => [
  {
    key: drift.key,
    versionSk: `V#${DETECTED_AT}`,
    capturedAt: DETECTED_AT,
    hash: 'b'.repeat(64),
    deleted: false,
  },
  {
    key: drift.key,
    versionSk: 'V#2026-11-01T00:00:00.000Z',
    capturedAt: '2026-11-01T00:00:00.000Z',
    hash: 'a'.repeat(64),
    deleted: false,
  },
];

const scanOf = (event: DriftEventRecord): ScanSummary => ({
  startedAt: DETECTED_AT,
  baseline: false,
  postureSummaries: [],
  postureChanges: [],
  durationMs: 1200,
  events: [event],
  scopes: [
    {
      account: event.account,
      region: event.region,
      baseline: false,
      apisListed: 2,
      apisRead: 1,
      stagesRead: 1,
      stagesChanged: 1,
      events: { ...zeroCounts(), HIGH: 1 },
      replayed: 0,
      superseded: 0,
      warnings: [],
      calls: emptyCallCounts(),
      durationMs: 1200,
      failures: [
        {
          kind: 'normalize',
          apiType: 'V2',
          apiId: 'q1w2e3r4t5',
          stageName: event.stageName,
          errorName: 'NormalizeError',
          message: `bad stage ${event.stageName}`,
        },
        {
          kind: 'collect',
          apiType: 'REST',
          apiId: 'z9y8x7w6v5',
          apiName: event.api.name,
          operation: 'GetStages',
          errorName: 'BadRequestException',
          message: `no such stage ${event.stageName}`,
        },
      ],
    },
  ],
});

const latestOf = (drift: StageDrift): LatestEntry => ({
  key: drift.key,
  hash: 'b'.repeat(64),
  capturedAt: DETECTED_AT,
  versionSk: `V#${DETECTED_AT}`,
  apiName: drift.apiName,
  lastChange: 'MODIFIED',
  lastSeverity: 'HIGH',
  lastDriftAt: DETECTED_AT,
});

const noColour = { colour: false, columns: Number.POSITIVE_INFINITY };

const stageRowsOf = (c: Crafted) => {
  const { drift, after } = craftedDrift(c);
  return toStageRows([latestOf(drift)], new Map([[formatStageKey(drift.key), after]]));
};

/** Every text and markdown renderer of stage data, on one crafted drift. */
const renderers: readonly (readonly [string, (c: Crafted) => string])[] = [
  ['diff/scan text report', (c) => renderDriftReport([craftedDrift(c).drift], 'text')],
  ['diff markdown report', (c) => renderDriftReport([craftedDrift(c).drift], 'markdown')],
  ['scan text summary', (c) => renderScanText(scanOf(eventOf(craftedDrift(c).drift)))],
  ['events table', (c) => renderEvents([eventOf(craftedDrift(c).drift)], 'text', noColour)],
  ['events markdown', (c) => renderEvents([eventOf(craftedDrift(c).drift)], 'markdown', noColour)],
  [
    'history text',
    (c) => {
      const { drift } = craftedDrift(c);
      return renderHistory(drift.key, versionsOf(drift), [eventOf(drift)], 'text');
    },
  ],
  ['stages table', (c) => renderStages(stageRowsOf(c), 'text', noColour)],
  ['stages markdown', (c) => renderStages(stageRowsOf(c), 'markdown', noColour)],
];

const PLAIN: Crafted = {
  stageName: 'prod',
  apiName: 'orders-api',
  tagKey: 'owner',
  tagValue: 'platform',
  description: 'Production (hotfix 4711)',
};

const lineCount = (text: string) => text.split('\n').length;

/** Cell separators of a markdown table row: pipes not escaped by an odd run of backslashes. */
const cellSeparators = (row: string): number => {
  let count = 0;
  for (let i = 0; i < row.length; i += 1) {
    if (row[i] === '\\') i += 1;
    else if (row[i] === '|') count += 1;
  }
  return count;
};

const riskyText = fc.string({
  unit: fc.oneof(
    fc.constantFrom('a', 'b', ' ', '\\', 'n', '|', '<', '!', '-', '&', '#', ';', '*', '`'),
    fc.constantFrom('\n', '\r', '\t', '\x1b', '[', '2', 'K', '\x7f', '\u009b', '\u0085'),
    fc.constantFrom('\u202e', '\u2066', '\u2028', '\u2029', '\u200f', '\u061c'),
  ),
  minLength: 1,
  maxLength: 20,
});
const craftedData = fc.record({
  stageName: riskyText,
  apiName: riskyText,
  tagKey: riskyText,
  tagValue: riskyText,
  description: riskyText,
});

describe.each(renderers)('the %s', (_name, render) => {
  it('passes no control, bidi or separator character through, and adds no line', () => {
    const lines = lineCount(render(PLAIN));
    fc.assert(
      fc.property(craftedData, (crafted) => {
        const out = render(crafted);
        expect(out).not.toMatch(UNSAFE);
        expect(lineCount(out)).toBe(lines);
      }),
      { numRuns: 60 },
    );
  });

  it('shows an ANSI erase-and-forge sequence in a tag as visible text', () => {
    const out = render({ ...PLAIN, stageName: ERASE_AND_FORGE, apiName: `api${ERASE_AND_FORGE}` });
    expect(out).not.toContain('\x1b');
    expect(out).not.toContain('\r');
    // As text: \r\x1b[2K; in markdown each backslash is doubled, so that it renders as one.
    expect(out).toMatch(/\\{1,2}r\\{1,2}x1b\[2K\\{1,2}x1b\[1A/);
    expect(out.split('\n')).not.toContain('No drift.');
  });
});

describe('the drift report', () => {
  it('cannot be made to say "No drift." by a tag value that erases the HIGH lines', () => {
    const out = renderDriftReport([craftedDrift({ ...PLAIN, tagValue: ERASE_AND_FORGE }).drift], 'text');
    expect(out).toContain(
      'Tag owner: (none) -> x\\r\\x1b[2K\\x1b[1A\\x1b[2K\\x1b[1A\\x1b[2K\\x1b[0mNo drift.',
    );
    expect(out).not.toMatch(/\x1b|\r/);
    expect(out.trimEnd().split('\n').at(-1)).toBe('1 stage drifted (worst HIGH): 1 HIGH.');
  });

  it('escapes control characters in tag keys (part of the field label) and descriptions', () => {
    const out = renderDriftReport(
      [craftedDrift({ ...PLAIN, tagKey: 'owner\nHIGH', description: 'a\u202eb\tc' }).drift],
      'text',
    );
    expect(out).toContain('Tag owner\\nHIGH: (none) -> platform');
    expect(out).toContain('Description: Production -> a\\u202eb\\tc');
  });

  it('prints a literal backslash-n differently from an escaped newline', () => {
    const literal = renderDriftReport([craftedDrift({ ...PLAIN, description: 'a\\nb' }).drift], 'text');
    const newline = renderDriftReport([craftedDrift({ ...PLAIN, description: 'a\nb' }).drift], 'text');
    expect(literal).toContain('-> a\\\\nb');
    expect(newline).toContain('-> a\\nb');
  });

  it('keeps every markdown row at 8 cell separators whatever pipes and backslashes the data holds', () => {
    fc.assert(
      fc.property(craftedData, (crafted) => {
        const rows = renderDriftReport([craftedDrift(crafted).drift], 'markdown')
          .split('\n')
          .filter((l) => l.startsWith('|'));
        for (const row of rows) expect(cellSeparators(row)).toBe(8);
      }),
      { numRuns: 60 },
    );
  });

  it('lets no markdown data open an HTML comment or spell an entity that would hide the rows after it', () => {
    const out = renderDriftReport(
      [craftedDrift({ ...PLAIN, tagValue: '<!-- hidden', description: '&#x202E;' }).drift],
      'markdown',
    );
    expect(out).not.toMatch(/(^|[^\\])<!--/);
    expect(out).not.toMatch(/(^|[^\\])&#x202E;/);
    expect(out).toContain('\\<!-- hidden');
    expect(out).toContain('\\&#x202E;');
  });

  it('keeps a markdown row of a pipe in a tag value', () => {
    const out = renderDriftReport([craftedDrift({ ...PLAIN, tagValue: 'a|b' }).drift], 'markdown');
    expect(out).toContain('| Tag owner | (none) | a\\|b |');
  });
});
