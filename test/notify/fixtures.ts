import { createHash } from 'node:crypto';
import { diffStages } from '../../shared/diff';
import type { ApiType, StageChangeKind, StageDrift, StageSnapshot } from '../../shared/model';
import type { DriftEventRecord, PostureSummaryRecord } from '../../shared/store';
import { postureSummaryIdFor, toDriftEventRecord } from '../../shared/store';
import { edit, HTTP_PROD, OPTIONS, REST_PROD, snapshotOf, WEBSOCKET_PROD } from '../diff/fixtures';

/** Stage variable values in the fixtures: none of them may appear in any alert. */
export const SECRET_VALUES = [
  's3cr3t-hunter2',
  'n3w-s3cr3t-rotated',
  'https://orders.internal.example.com',
  'https://orders-v2.internal.example.com',
  'pets-prod',
  'pets-prod-restored',
  'chat-connections',
] as const;

export const DETECTED_AT = '2026-11-21T10:00:00.000Z';

export const eventIdOf = (name: string): string =>
  createHash('sha256').update(name).digest('hex').slice(0, 32);

const CONFIG_BY_TYPE = { REST: REST_PROD, HTTP: HTTP_PROD, WEBSOCKET: WEBSOCKET_PROD } as const;

/** A realistic edit of each API type: security-relevant settings off, a secret variable rotated. */
const modified = (apiType: ApiType) => {
  if (apiType === 'REST') {
    return edit(REST_PROD, (c) => {
      c.methodSettings!['*/*']!.loggingLevel = 'OFF';
      c.methodSettings!['*/*']!.dataTraceEnabled = true;
      c.tracingEnabled = false;
      delete c.webAclArn;
      c.variables!.dbPassword = 'n3w-s3cr3t-rotated';
      c.variables!.backendUrl = 'https://orders-v2.internal.example.com';
      c.description = 'Production (hotfix 4711)';
    });
  }
  if (apiType === 'HTTP') {
    return edit(HTTP_PROD, (c) => {
      delete c.accessLogSettings;
      c.defaultRouteSettings!.throttlingRateLimit = 10000;
      c.stageVariables!.petsTable = 'pets-prod-restored';
      c.tags!.team = 'pets-platform';
    });
  }
  return edit(WEBSOCKET_PROD, (c) => {
    c.defaultRouteSettings!.dataTraceEnabled = true;
    delete c.clientCertificateId;
    c.stageVariables!.connectionsTable = 'chat-connections-v2';
  });
};

/** The drift of `change` on the prod stage of an API of `apiType`, as the diff returns it. */
export const driftFor = (apiType: ApiType, change: StageChangeKind): StageDrift => {
  const base = CONFIG_BY_TYPE[apiType];
  const before = snapshotOf(apiType, base);
  let pair: [StageSnapshot | undefined, StageSnapshot | undefined];
  switch (change) {
    case 'CREATED':
      pair = [undefined, before];
      break;
    case 'DELETED':
      pair = [before, undefined];
      break;
    case 'MODIFIED':
      pair = [before, snapshotOf(apiType, modified(apiType))];
      break;
    case 'REVERTED': {
      // `stage-drift revert` put the drifted stage back: the MODIFIED drift, undone.
      const undone = diffStages(snapshotOf(apiType, modified(apiType)), before, OPTIONS);
      if (!undone) throw new Error(`no drift for ${apiType} ${change}`);
      return { ...undone, change: 'REVERTED', rule: 'stage-reverted' };
    }
    case 'RECREATED':
      pair = [
        before,
        snapshotOf(
          apiType,
          edit(base, (c) => {
            c.deploymentId = 'r3cr8d';
          }),
          { volatile: { createdDate: '2026-11-21T09:41:07Z' } },
        ),
      ];
      break;
  }
  const drift = diffStages(pair[0], pair[1], OPTIONS);
  if (!drift) throw new Error(`no drift for ${apiType} ${change}`);
  return drift;
};

/** The drift event of `change` on the prod stage of an API of `apiType`, as the scan records it. */
export const eventFor = (apiType: ApiType, change: StageChangeKind): DriftEventRecord =>
  toDriftEventRecord(
    driftFor(apiType, change),
    eventIdOf(`${apiType}/${change}`),
    DETECTED_AT,
    change === 'REVERTED' ? { revert: REVERT_BY_BOB(apiType) } : {},
  );

/** How a `stage-drift revert` records itself: who, from and to which version, what it undid. */
const REVERT_BY_BOB = (apiType: ApiType) => ({
  by: 'arn:aws:sts::111122223333:assumed-role/OnCall/bob',
  fromVersion: '2026-11-21T09:45:00.000Z',
  toVersion: '2026-11-20T08:00:00.000Z',
  revertedEventIds: [eventIdOf(`${apiType}/MODIFIED`)],
});

export const API_TYPES_UNDER_TEST: readonly ApiType[] = ['REST', 'HTTP', 'WEBSOCKET'];
export const CHANGE_KINDS: readonly StageChangeKind[] = [
  'CREATED',
  'DELETED',
  'MODIFIED',
  'RECREATED',
  'REVERTED',
];

/** Many events of mixed severity on different stages, for digests and batches. */
export const manyEvents = (count: number): DriftEventRecord[] =>
  Array.from({ length: count }, (_, i) => {
    const apiType = API_TYPES_UNDER_TEST[i % 3]!;
    const change = CHANGE_KINDS[i % 4]!;
    const event = eventFor(apiType, change);
    return {
      ...event,
      id: eventIdOf(`many/${i}`),
      stageName: `stage${String(i).padStart(2, '0')}`,
      detectedAt: new Date(Date.parse(DETECTED_AT) + i * 60_000).toISOString(),
    };
  });

/** A baseline's posture summary of one scope: one REST stage failing X-Ray tracing (APIGateway.3). */
export const postureSummaryFor = (
  account: string,
  region: string,
  detectedAt: string,
): PostureSummaryRecord => ({
  kind: 'POSTURE_SUMMARY',
  id: postureSummaryIdFor(account, region, ['REST', 'V2'], detectedAt),
  detectedAt,
  account,
  region,
  severity: 'LOW',
  families: ['REST', 'V2'],
  stagesScanned: 2,
  stagesFailing: 1,
  counts: [{ id: 'APIGateway.3', passed: 0, failed: 1, notApplicable: 1 }],
  failing: [
    {
      id: 'APIGateway.3',
      title: 'AWS X-Ray tracing is enabled',
      severity: 'LOW',
      stageCount: 1,
      stages: [
        { apiType: 'REST', apiId: 'a1b2c3d4e5', apiName: 'orders-api', stageName: 'prod', reason: 'off' },
      ],
    },
  ],
});
