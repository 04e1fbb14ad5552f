import fc from 'fast-check';
import type { AttributionWindow, CloudTrailRecord } from '../../shared/attribution';
import {
  AttributionInputError,
  attributeDrift,
  CLOUDFORMATION_STACK_NAME_TAG,
} from '../../shared/attribution';
import type { StageChangeKind, StageKey } from '../../shared/model';
import { recordAt, recordOf } from './fixtures';

const key = (apiId: string, stageName: string, apiType: StageKey['apiType'] = 'REST'): StageKey => ({
  account: '123456789012',
  region: 'us-east-1',
  apiType,
  apiId,
  stageName,
});
const PROD = key('a1b2c3d4e5', 'prod');
const drift = (stage: StageKey, change: StageChangeKind) => ({ key: stage, change });

/** The fixtures' calls all fall between 10:00 and 10:30; attribution runs an hour later. */
const WINDOW: AttributionWindow = {
  start: '2025-03-04T10:00:00.000Z',
  end: '2025-03-04T10:30:00.000Z',
  now: '2025-03-04T11:30:00.000Z',
};

/** Every API Gateway and WAF call of the fixtures: the lookup of a busy half hour. */
const BUSY_WINDOW: readonly CloudTrailRecord[] = [
  'rest-update-stage-console',
  'rest-update-stage-failed',
  'rest-create-deployment-cli',
  'rest-delete-stage-sdk',
  'rest-update-stage-boto3',
  'rest-create-deployment-cloudformation',
  'rest-tag-stage-cli',
  'waf-associate-stage-terraform',
  'waf-disassociate-stage-console',
  'waf-regional-disassociate-stage-service',
  'rest-delete-rest-api-console',
  'http-create-stage-terraform',
  'http-update-stage-console',
  'http-create-api-quick-cli',
  'http-untag-stage-sdk',
  'http-delete-api-terraform',
  'tag-domain-name-cli',
].map(recordOf);

const attributed = (result: ReturnType<typeof attributeDrift>) => {
  if (result.status !== 'attributed') throw new Error(`expected an attribution, got: ${result.reason}`);
  return result;
};

describe('attributeDrift', () => {
  it('picks, among several calls on the stage, the newest that can modify it, with every field', () => {
    // Prepare: prod was updated in the console, deployed by CLI, updated by a script, then its
    // WAF was detached by a service; other stages and APIs changed around it.
    const candidates = [
      'rest-update-stage-console',
      'rest-create-deployment-cli',
      'rest-delete-stage-sdk',
      'rest-update-stage-boto3',
      'http-update-stage-console',
    ].map(recordOf);

    // Act
    const result = attributed(attributeDrift(drift(PROD, 'MODIFIED'), candidates, WINDOW));

    // Assess
    const boto = recordOf('rest-update-stage-boto3');
    expect(result.candidates).toBe(3);
    expect(result.attribution).toEqual({
      principalArn: 'arn:aws:sts::123456789012:assumed-role/ops-scripts/botocore-session-1741083065',
      principalType: 'AssumedRole',
      sessionIssuer: 'arn:aws:iam::123456789012:role/ops-scripts',
      sourceIp: '198.51.100.77',
      userAgent: boto.userAgent,
      eventName: 'UpdateStage',
      eventTime: '2025-03-04T10:11:05Z',
      requestId: boto.requestID,
      eventId: boto.eventID,
      source: 'cli-sdk',
    });
  });

  it.each<[string, StageKey, StageChangeKind, string, number]>([
    // The WAF service call at 10:19 is the newest modification of prod before its API was deleted.
    ['a modified REST stage', PROD, 'MODIFIED', 'waf-regional-disassociate-stage-service', 9],
    ['a deleted REST stage, to the API deletion', PROD, 'DELETED', 'rest-delete-rest-api-console', 9],
    [
      'a deleted sibling stage, to its own DeleteStage',
      key('a1b2c3d4e5', 'dev'),
      'DELETED',
      'rest-delete-stage-sdk',
      2,
    ],
    [
      'a created HTTP stage',
      key('h1t2t3p4a5', 'staging', 'HTTP'),
      'CREATED',
      'http-create-stage-terraform',
      2,
    ],
    [
      'a modified $default stage',
      key('h1t2t3p4a5', '$default', 'HTTP'),
      'MODIFIED',
      'http-untag-stage-sdk',
      3,
    ],
    [
      'a quick-created API stage',
      key('q1u2i3c4k5', '$default', 'HTTP'),
      'CREATED',
      'http-create-api-quick-cli',
      1,
    ],
  ])('attributes %s in a busy window', (_label, stage, change, expected, candidates) => {
    const result = attributed(attributeDrift(drift(stage, change), BUSY_WINDOW, WINDOW));
    expect(result.attribution.eventId).toBe(recordOf(expected).eventID);
    expect(result.candidates).toBe(candidates);
  });

  it('prefers a call naming the stage over a newer call naming only its API', () => {
    const stageless = {
      ...recordAt('rest-create-deployment-cli', '2025-03-04T10:25:00Z'),
      requestParameters: { restApiId: 'a1b2c3d4e5', template: false },
    };
    const candidates = [recordOf('rest-update-stage-console'), stageless];

    const result = attributed(attributeDrift(drift(PROD, 'MODIFIED'), candidates, WINDOW));

    expect(result.attribution.eventName).toBe('UpdateStage');
    expect(result.candidates).toBe(2);
  });

  it('falls back on a call naming only the API when nothing names the stage', () => {
    const apiTag = {
      ...recordOf('rest-tag-stage-cli'),
      requestParameters: { resourceArn: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5' },
    };
    const result = attributed(attributeDrift(drift(PROD, 'MODIFIED'), [apiTag], WINDOW));
    expect(result.attribution.eventName).toBe('TagResource');
  });

  it('attributes a recreated stage to the newest create, not the delete before it', () => {
    const candidates = [
      recordAt('rest-delete-stage-sdk', '2025-03-04T10:01:00Z', 'delete'),
      {
        ...recordAt('rest-create-deployment-cli', '2025-03-04T10:02:00Z', 'recreate'),
        requestParameters: { restApiId: 'a1b2c3d4e5', createDeploymentInput: { stageName: 'dev' } },
      },
    ];
    const result = attributed(
      attributeDrift(drift(key('a1b2c3d4e5', 'dev'), 'RECREATED'), candidates, WINDOW),
    );
    expect(result.attribution.eventId).toBe('recreate');
  });

  it('names the CloudFormation stack from the stage tag', () => {
    const result = attributed(
      attributeDrift(drift(PROD, 'MODIFIED'), [recordOf('rest-create-deployment-cloudformation')], WINDOW, {
        stageTags: { [CLOUDFORMATION_STACK_NAME_TAG]: 'payments-api-prod' },
      }),
    );
    expect(result.attribution).toMatchObject({
      source: 'cloudformation',
      stackName: 'payments-api-prod',
      principalArn:
        'arn:aws:sts::123456789012:assumed-role/cdk-hnb659fds-cfn-exec-role-123456789012-us-east-1/AWSCloudFormation',
    });
  });

  it('names an AWS service acting on its own by the service', () => {
    const result = attributed(
      attributeDrift(drift(PROD, 'MODIFIED'), [recordOf('waf-regional-disassociate-stage-service')], WINDOW),
    );
    expect(result.attribution).toMatchObject({
      principalArn: 'fms.amazonaws.com',
      principalType: 'AWSService',
      source: 'aws-service',
    });
    expect(result.attribution.sessionIssuer).toBeUndefined();
  });

  describe('leaves out', () => {
    it.each<[string, CloudTrailRecord]>([
      ['a failed call', recordOf('rest-update-stage-failed')],
      ['a call before the window', recordAt('rest-update-stage-console', '2025-03-04T09:59:59Z')],
      ['a call after the window', recordAt('rest-update-stage-console', '2025-03-04T10:30:01Z')],
      ['a call in another region', { ...recordOf('rest-update-stage-console'), awsRegion: 'eu-west-1' }],
      [
        'a call in another account',
        { ...recordOf('rest-update-stage-console'), recipientAccountId: '210987654321' },
      ],
      ['a call on another stage', recordOf('rest-delete-stage-sdk')],
      [
        'a v2 call on an API with the same id',
        {
          ...recordOf('http-update-stage-console'),
          requestParameters: { apiId: 'a1b2c3d4e5', stageName: 'prod' },
        },
      ],
      ['a read-only call', recordOf('rest-get-stages-console')],
    ])('%s', (_label, record) => {
      const result = attributeDrift(drift(PROD, 'MODIFIED'), [record], WINDOW);
      expect(result.status).toBe('unattributed');
    });
  });

  it('keeps a call made in the same second as the window start (CloudTrail truncates to the second)', () => {
    const window = { ...WINDOW, start: '2025-03-04T10:04:41.900Z' };
    const result = attributeDrift(drift(PROD, 'MODIFIED'), [recordOf('rest-update-stage-console')], window);
    expect(result.status).toBe('attributed');
  });

  describe('without a candidate', () => {
    it('says the record may not be there yet when the change was seen minutes ago', () => {
      const recent = { ...WINDOW, now: '2025-03-04T10:31:30.000Z' };
      expect(attributeDrift(drift(PROD, 'MODIFIED'), [], recent)).toEqual({
        status: 'unattributed',
        reason:
          'no CloudTrail record yet: CloudTrail delivers within ~5 minutes, and this change was seen 90 s ago; ' +
          'sent now rather than held back',
        candidates: 0,
      });
    });

    it('says no call was recorded when the window is long past', () => {
      const result = attributeDrift(drift(PROD, 'MODIFIED'), [], WINDOW);
      expect(result.status === 'unattributed' && result.reason).toBe(
        'no CloudTrail record of a call on a1b2c3d4e5/prod between 2025-03-04T10:00:00.000Z and ' +
          '2025-03-04T10:30:00.000Z (is CloudTrail logging in this region?)',
      );
    });

    it('says the lookup was incomplete when it was', () => {
      const result = attributeDrift(drift(PROD, 'MODIFIED'), [], WINDOW, { lookupIncomplete: 'throttled' });
      expect(result.status === 'unattributed' && result.reason).toMatch(
        /^CloudTrail lookup incomplete \(throttled\)/,
      );
    });

    it('honours a custom delivery delay', () => {
      const result = attributeDrift(drift(PROD, 'MODIFIED'), [], WINDOW, { deliveryDelayMs: 2 * 3600_000 });
      expect(result.status === 'unattributed' && result.reason).toMatch(/^no CloudTrail record yet/);
    });
  });

  it('refuses a window that cannot be read, saying how to fix it', () => {
    expect(() => attributeDrift(drift(PROD, 'MODIFIED'), [], { ...WINDOW, start: 'yesterday' })).toThrow(
      new AttributionInputError('window.start must be an ISO-8601 time, got "yesterday".'),
    );
    expect(() =>
      attributeDrift(drift(PROD, 'MODIFIED'), [], { ...WINDOW, start: WINDOW.end, end: WINDOW.start }),
    ).toThrow(/is after window.end .*pass the previous capture time as start/);
  });

  it('gives the same answer whatever the order of the candidates (property)', () => {
    const changes: StageChangeKind[] = ['CREATED', 'MODIFIED', 'DELETED', 'RECREATED'];
    const stages = [PROD, key('a1b2c3d4e5', 'dev'), key('h1t2t3p4a5', '$default', 'HTTP')];
    fc.assert(
      fc.property(
        fc.shuffledSubarray([...BUSY_WINDOW]),
        fc.constantFrom(...changes),
        fc.constantFrom(...stages),
        (subset, change, stage) => {
          const forward = attributeDrift(drift(stage, change), subset, WINDOW);
          const backward = attributeDrift(drift(stage, change), [...subset].reverse(), WINDOW);
          expect(backward).toEqual(forward);
        },
      ),
      { numRuns: 200 },
    );
  });
});
