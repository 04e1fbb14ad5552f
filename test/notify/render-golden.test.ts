import type { DriftAttribution } from '../../shared/attribution';
import type { ApiType, StageChangeKind } from '../../shared/model';
import type { DriftEventRecord } from '../../shared/store';
import { renderSlackDigest, renderSlackMessage, renderSnsMessage } from '../../shared/notify';
import { CHANGE_KINDS, eventFor, manyEvents } from './fixtures';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expectGolden } from './golden';
import { validate } from './json-schema';
import { previewSlackMessage } from './slack-preview';

// Every change kind for both API versions (REST = v1, HTTP = v2) plus a WebSocket stage, as
// golden files. After an intended change: UPDATE_GOLDEN=1 npx jest test/notify, then review the diff.

const CASES: readonly [ApiType, StageChangeKind][] = [
  ...CHANGE_KINDS.map((k): [ApiType, StageChangeKind] => ['REST', k]),
  ...CHANGE_KINDS.map((k): [ApiType, StageChangeKind] => ['HTTP', k]),
  ['WEBSOCKET', 'MODIFIED'],
];

// Attribution as a scan stores it: a console edit, a CloudFormation deploy (with its stack), a
// change CloudTrail had no record of yet; RECREATED carries none (attribution not configured).
const ATTRIBUTIONS: Readonly<Record<StageChangeKind, DriftAttribution | undefined>> = {
  MODIFIED: {
    status: 'attributed',
    principalArn: 'arn:aws:sts::111122223333:assumed-role/Admin/alice',
    principalType: 'AssumedRole',
    sessionIssuer: 'arn:aws:iam::111122223333:role/Admin',
    sourceIp: '203.0.113.7',
    userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7)',
    eventName: 'UpdateStage',
    eventTime: '2026-11-21T10:41:12Z',
    requestId: '3f1c1f0e-6a57-4bd8-9c7e-0d4b8a1e2f3a',
    eventId: 'b7e4a0c2-1d5f-4e8a-9b6c-2f3d4e5a6b7c',
    source: 'console',
  },
  DELETED: {
    status: 'attributed',
    principalArn: 'cloudformation.amazonaws.com',
    principalType: 'AssumedRole',
    sessionIssuer: 'arn:aws:iam::111122223333:role/cdk-hnb659fds-cfn-exec-role',
    userAgent: 'cloudformation.amazonaws.com',
    eventName: 'DeleteStage',
    eventTime: '2026-11-21T10:38:02Z',
    eventId: 'c8f5b1d3-2e6a-4f9b-8c7d-3a4e5f6a7b8c',
    source: 'cloudformation',
    stackName: 'OrdersApiStack',
  },
  CREATED: {
    status: 'unattributed',
    reason:
      'no CloudTrail record yet: CloudTrail delivers within ~5 minutes, and this change was seen 0 s ago; sent now rather than held back',
  },
  RECREATED: undefined,
  // A revert records who ran it in its own `revert` annotation, not as a CloudTrail attribution.
  REVERTED: undefined,
};

const withAttribution = (event: DriftEventRecord, change: StageChangeKind): DriftEventRecord => {
  const attribution = ATTRIBUTIONS[change];
  return attribution === undefined ? event : { ...event, attribution };
};

const schema = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'shared', 'notify', 'drift-event.schema.json'), 'utf8'),
) as Parameters<typeof validate>[0];

const fileName = (apiType: ApiType, change: StageChangeKind) => `${apiType}-${change}`.toLowerCase();

describe.each(CASES)('the alert of a %s stage %s', (apiType, change) => {
  const event = withAttribution(eventFor(apiType, change), change);

  it('renders the SNS subject, attributes and JSON message of its golden file', () => {
    const message = renderSnsMessage(event);
    const parsed: unknown = JSON.parse(message.Message);
    expect(message.Message).toBe(JSON.stringify(parsed, null, 2));
    expect(validate(schema, parsed)).toEqual([]); // attributed, unattributed and absent attribution
    expectGolden(
      `${fileName(apiType, change)}.sns.json`,
      `${JSON.stringify({ Subject: message.Subject, MessageAttributes: message.MessageAttributes, Message: parsed }, null, 2)}\n`,
    );
  });

  it('renders the Slack Block Kit message of its golden files (JSON and a text preview)', () => {
    const message = renderSlackMessage(event);
    expectGolden(`${fileName(apiType, change)}.slack.json`, `${JSON.stringify(message, null, 2)}\n`);
    expectGolden(`${fileName(apiType, change)}.slack.txt`, previewSlackMessage(message));
  });
});

it('renders a digest of twelve events as its golden files', () => {
  const digest = renderSlackDigest(manyEvents(12));
  expectGolden('digest.slack.json', `${JSON.stringify(digest, null, 2)}\n`);
  expectGolden('digest.slack.txt', previewSlackMessage(digest));
});
