import { renderDriftReport } from '../../../cli/format/drift-report';
import { renderEvents } from '../../../cli/format/events-report';
import { renderHistory } from '../../../cli/format/history-report';
import { renderStageDocument } from '../../../cli/format/stage-document';
import { diffStages, fingerprintValue } from '../../../shared/diff';
import type { RestStageConfig, StageSnapshot, V2StageConfig } from '../../../shared/model';
import type { VersionAt } from '../../../shared/store';
import { toDriftEventRecord } from '../../../shared/store';
import {
  edit,
  HTTP_PROD,
  OPTIONS,
  REST_BETA,
  REST_PROD,
  REST_PROD_WITH_CANARY,
  restSnapshot,
  v2Snapshot,
  WEBSOCKET_PROD,
} from '../../diff/fixtures';

// Every field of a stage that holds a stage variable value, through every renderer of a
// snapshot or of its changes: the value is shown only as its keyed fingerprint.

const SECRET = 'Pa55w0rd-only-in-the-store';
const CAPTURED_AT = '2026-11-21T10:00:00.000Z';

const versionOf = (snapshot: StageSnapshot): VersionAt => ({
  key: snapshot.key,
  versionSk: `V#${CAPTURED_AT}`,
  capturedAt: CAPTURED_AT,
  hash: snapshot.hash,
  deleted: false,
  snapshot,
});

/** [field, the stage holding SECRET there, the path of that value in `config`]. */
const HOLDERS: readonly (readonly [string, StageSnapshot, readonly string[]])[] = [
  [
    'REST variables',
    restSnapshot(edit(REST_PROD, (c) => void (c.variables!.dbPassword = SECRET))),
    ['variables', 'dbPassword'],
  ],
  [
    'HTTP stageVariables',
    v2Snapshot(
      'HTTP',
      edit(HTTP_PROD, (c) => void (c.stageVariables!.petsTable = SECRET)),
    ),
    ['stageVariables', 'petsTable'],
  ],
  [
    'WebSocket stageVariables',
    v2Snapshot(
      'WEBSOCKET',
      edit(WEBSOCKET_PROD, (c) => void (c.stageVariables!.connectionsTable = SECRET)),
    ),
    ['stageVariables', 'connectionsTable'],
  ],
  [
    'REST canarySettings.stageVariableOverrides',
    restSnapshot(
      edit(
        REST_PROD_WITH_CANARY,
        (c) => void (c.canarySettings!.stageVariableOverrides!.backendUrl = SECRET),
      ),
    ),
    ['canarySettings', 'stageVariableOverrides', 'backendUrl'],
  ],
];

const at = (value: unknown, path: readonly string[]): unknown =>
  path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], value);

describe('stage-drift show (renderStageDocument)', () => {
  it.each(HOLDERS)('prints the %s value as its fingerprint', (_field, snapshot, path) => {
    const out = renderStageDocument(snapshot.key, versionOf(snapshot), OPTIONS.fingerprintKey);
    expect(out).not.toContain(SECRET);
    const document = JSON.parse(out) as { config: unknown };
    expect(at(document.config, path)).toEqual({
      redacted: true,
      fingerprint: fingerprintValue(SECRET, OPTIONS.fingerprintKey),
    });
  });

  it.each(HOLDERS)('prints the %s value as stored with --show-secrets (no key)', (_field, snapshot, path) => {
    const document = JSON.parse(renderStageDocument(snapshot.key, versionOf(snapshot))) as {
      config: unknown;
    };
    expect(at(document.config, path)).toBe(SECRET);
  });

  it('keeps every other field of the stage as stored', () => {
    const snapshot = restSnapshot(REST_PROD_WITH_CANARY);
    const document = JSON.parse(
      renderStageDocument(snapshot.key, versionOf(snapshot), OPTIONS.fingerprintKey),
    ) as { config: RestStageConfig };
    expect({ ...document.config, variables: undefined, canarySettings: undefined }).toEqual({
      ...REST_PROD_WITH_CANARY,
      variables: undefined,
      canarySettings: undefined,
    });
    expect(document.config.canarySettings).toMatchObject({ deploymentId: 'p3q9zz', percentTraffic: 10 });
  });
});

/** [change, before, after]: each way a secret value can enter a change. */
const CHANGES: readonly (readonly [string, StageSnapshot, StageSnapshot])[] = [
  ...HOLDERS.map(([field, before, path]): readonly [string, StageSnapshot, StageSnapshot] => {
    const config = structuredClone(before.config) as unknown as Record<string, unknown>;
    (at(config, path.slice(0, -1)) as Record<string, unknown>)[path.at(-1)!] = `${SECRET}-rotated`;
    const after =
      before.key.apiType === 'REST'
        ? restSnapshot(config as unknown as RestStageConfig)
        : v2Snapshot(before.key.apiType, config as unknown as V2StageConfig);
    return [`a changed ${field} value`, before, after];
  }),
  [
    'a canary added with stage variable overrides',
    restSnapshot(REST_PROD),
    restSnapshot(
      edit(
        REST_PROD_WITH_CANARY,
        (c) => void (c.canarySettings!.stageVariableOverrides!.backendUrl = SECRET),
      ),
    ),
  ],
  [
    'a variables map added to a stage that had none',
    restSnapshot(edit(REST_BETA, (c) => void delete c.variables)),
    restSnapshot({ ...REST_BETA, variables: { token: SECRET } }),
  ],
];

describe.each(CHANGES)('%s', (_case, before, after) => {
  const drift = diffStages(before, after, OPTIONS)!;
  const event = toDriftEventRecord(drift, '0123456789abcdef0123456789abcdef', CAPTURED_AT);
  const versions = [versionOf(after), { ...versionOf(before), capturedAt: '2026-11-01T00:00:00.000Z' }];
  const style = { colour: false, columns: Number.POSITIVE_INFINITY };

  // [renderer, render, whether it prints change values (the event lists print only labels)]
  it.each<[string, () => string, boolean]>([
    ['the diff text report', () => renderDriftReport([drift], 'text'), true],
    ['the diff markdown report', () => renderDriftReport([drift], 'markdown'), true],
    ['the diff JSON report', () => renderDriftReport([drift], 'json'), true],
    ['the history text', () => renderHistory(drift.key, versions, [event], 'text'), true],
    ['the history JSON', () => renderHistory(drift.key, versions, [event], 'json'), true],
    ['the events table', () => renderEvents([event], 'text', style), false],
    ['the events markdown', () => renderEvents([event], 'markdown', style), false],
    ['the events JSON', () => renderEvents([event], 'json', style), true],
  ])('shows no value in %s, only fingerprints', (_renderer, render, showsValues) => {
    const out = render();
    expect(out).not.toContain(SECRET);
    if (showsValues) expect(out).toContain('hmac-sha256:');
  });
});
