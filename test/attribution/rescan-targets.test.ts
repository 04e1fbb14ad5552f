import fc from 'fast-check';
import type { RecordScope, RescanTarget } from '../../shared/attribution';
import { parseApiGatewayArn, scopeOfRecord, toRescanTargets } from '../../shared/attribution';
import { eventOf, recordOf, STAGE_CHANGE_FIXTURES } from './fixtures';

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';
const rest = (apiId: string): RescanTarget => ({ account: ACCOUNT, region: REGION, apiType: 'REST', apiId });
const v2 = (apiId: string): RescanTarget => ({ account: ACCOUNT, region: REGION, apiType: 'V2', apiId });

describe('scopeOfRecord', () => {
  it.each<[string, RecordScope]>([
    ['rest-update-stage-console', { kind: 'stage', apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'prod' }],
    [
      'rest-create-deployment-cli',
      { kind: 'stage', apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'prod' },
    ],
    ['rest-delete-stage-sdk', { kind: 'stage', apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'dev' }],
    ['rest-tag-stage-cli', { kind: 'stage', apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'prod' }],
    ['rest-delete-rest-api-console', { kind: 'api', apiType: 'REST', apiId: 'a1b2c3d4e5' }],
    [
      'http-create-stage-terraform',
      { kind: 'stage', apiType: 'V2', apiId: 'h1t2t3p4a5', stageName: 'staging' },
    ],
    [
      'http-update-stage-console',
      { kind: 'stage', apiType: 'V2', apiId: 'h1t2t3p4a5', stageName: '$default' },
    ],
    ['http-untag-stage-sdk', { kind: 'stage', apiType: 'V2', apiId: 'h1t2t3p4a5', stageName: '$default' }],
    ['http-create-api-quick-cli', { kind: 'api', apiType: 'V2', apiId: 'q1u2i3c4k5' }],
    ['http-delete-api-terraform', { kind: 'api', apiType: 'V2', apiId: 'h1t2t3p4a5' }],
    [
      'waf-associate-stage-terraform',
      { kind: 'stage', apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'prod' },
    ],
    [
      'waf-regional-disassociate-stage-service',
      { kind: 'stage', apiType: 'REST', apiId: 'a1b2c3d4e5', stageName: 'prod' },
    ],
  ])('reads what %s touched', (name, expected) => {
    expect(scopeOfRecord(recordOf(name))).toEqual(expected);
  });

  it.each<[string, RegExp]>([
    ['tag-domain-name-cli', /domainnames\/api\.example\.com, which is not an API Gateway API or stage/],
    ['waf-associate-alb-console', /loadbalancer\/app\/web.*not an API Gateway API or stage/],
    ['rest-create-rest-api-cli', /CreateRestApi changes no stage/],
    ['rest-get-stages-console', /GetStages changes no stage/],
  ])('says why %s touches no watched stage', (name, reason) => {
    const scope = scopeOfRecord(recordOf(name));
    expect(scope.kind).toBe('none');
    expect(scope.kind === 'none' && scope.reason).toMatch(reason);
  });

  it('keeps a v1 CreateDeployment without a stage at the API level', () => {
    const record = recordOf('rest-create-deployment-cli');
    const scope = scopeOfRecord({
      ...record,
      requestParameters: { restApiId: 'a1b2c3d4e5', template: false },
    });
    expect(scope).toEqual({ kind: 'api', apiType: 'REST', apiId: 'a1b2c3d4e5' });
  });
});

describe('parseApiGatewayArn', () => {
  it.each([
    [
      'arn:aws:apigateway:eu-west-1::/restapis/abc/stages/prod',
      { region: 'eu-west-1', apiType: 'REST', apiId: 'abc', stageName: 'prod' },
    ],
    ['arn:aws:apigateway:eu-west-1::/restapis/abc', { region: 'eu-west-1', apiType: 'REST', apiId: 'abc' }],
    [
      'arn:aws:apigateway:us-east-1::/apis/xyz/stages/$default',
      { region: 'us-east-1', apiType: 'V2', apiId: 'xyz', stageName: '$default' },
    ],
    [
      'arn:aws:apigateway:us-east-1::/apis/xyz/stages/%24default',
      { region: 'us-east-1', apiType: 'V2', apiId: 'xyz', stageName: '$default' },
    ],
    [
      'arn:aws-us-gov:apigateway:us-gov-west-1::/apis/xyz',
      { region: 'us-gov-west-1', apiType: 'V2', apiId: 'xyz' },
    ],
  ])('parses %s', (arn, expected) => {
    expect(parseApiGatewayArn(arn)).toEqual(expected);
  });

  it.each([
    'arn:aws:apigateway:us-east-1::/domainnames/api.example.com',
    'arn:aws:apigateway:us-east-1::/usageplans/u1',
    'arn:aws:apigateway:us-east-1::/restapis/abc/resources/r1',
    'arn:aws:elasticloadbalancing:us-east-1:123456789012:loadbalancer/app/web/1',
    'not an arn',
  ])('gives nothing for %s', (arn) => {
    expect(parseApiGatewayArn(arn)).toBeUndefined();
  });
});

describe('toRescanTargets', () => {
  it('coalesces a deploy burst on one API into one target', () => {
    // Prepare: a CloudFormation deploy and its neighbours all touch REST API a1b2c3d4e5.
    const burst = [
      'rest-create-deployment-cloudformation',
      'rest-update-stage-console',
      'rest-create-deployment-cli',
      'rest-tag-stage-cli',
      'waf-associate-stage-terraform',
      'rest-delete-stage-sdk',
    ].map(eventOf);

    // Act
    const plan = toRescanTargets(burst);

    // Assess
    expect(plan.targets).toEqual([rest('a1b2c3d4e5')]);
    expect(plan.skipped).toEqual([]);
    expect(plan.records.map((r) => r.eventName)).toEqual([
      'CreateDeployment',
      'UpdateStage',
      'CreateDeployment',
      'TagResource',
      'AssociateWebACL',
      'DeleteStage',
    ]);
  });

  it('gives one target per API across every fixture, sorted, and explains every skip', () => {
    const plan = toRescanTargets(STAGE_CHANGE_FIXTURES.map(eventOf));

    expect(plan.targets).toEqual([rest('a1b2c3d4e5'), v2('h1t2t3p4a5'), v2('q1u2i3c4k5')]);
    expect(plan.skipped).toEqual([
      {
        eventId: recordOf('rest-update-stage-failed').eventID,
        eventName: 'UpdateStage',
        reason: 'the call failed with AccessDenied, so it changed nothing',
      },
      {
        eventId: recordOf('tag-domain-name-cli').eventID,
        eventName: 'TagResource',
        reason:
          'TagResource on arn:aws:apigateway:us-east-1::/domainnames/api.example.com, which is not an API Gateway API or stage',
      },
    ]);
  });

  it('keeps the same API in two accounts or regions apart', () => {
    const other = eventOf('rest-update-stage-console');
    other.detail.awsRegion = 'eu-west-1';
    const third = eventOf('rest-update-stage-console');
    third.detail.recipientAccountId = '210987654321';
    third.account = '210987654321';

    const plan = toRescanTargets([eventOf('rest-update-stage-console'), other, third]);

    // Sorted by account, then region.
    expect(plan.targets).toEqual([
      { ...rest('a1b2c3d4e5'), region: 'eu-west-1' },
      rest('a1b2c3d4e5'),
      { ...rest('a1b2c3d4e5'), account: '210987654321' },
    ]);
  });

  it("refuses an event whose account is not its record's (forged), and rescans nothing for it", () => {
    // A member account's genuine forwarded event, and a forged one: the envelope says one account
    // (the one the event came from, kept by EventBridge across accounts), the record another.
    const member = eventOf('rest-update-stage-console');
    member.account = '210987654321';
    member.detail.recipientAccountId = '210987654321';
    const forged = eventOf('rest-update-stage-console');
    forged.account = '210987654321';
    forged.detail.eventID = 'forged-1';

    const plan = toRescanTargets([member, forged]);

    expect(plan.targets).toEqual([{ ...rest('a1b2c3d4e5'), account: '210987654321' }]);
    expect(plan.records.map((r) => r.eventID)).toEqual([member.detail.eventID]);
    expect(plan.refused).toEqual([
      {
        eventId: 'forged-1',
        eventName: 'UpdateStage',
        reason:
          'the event came from account 210987654321 but its record is of account 123456789012: refused as forged',
      },
    ]);
    expect(plan.skipped).toEqual([]);
  });

  it('skips what is not a CloudTrail API call event, or not a readable record', () => {
    const noDetail = {
      ...eventOf('rest-update-stage-console'),
      id: 'evt-1',
      detail: { eventName: 'UpdateStage' },
    };
    const plan = toRescanTargets([
      { 'detail-type': 'APIGateway CRL Processing', id: 'evt-0' },
      noDetail,
      'not an event',
    ]);

    expect(plan.targets).toEqual([]);
    expect(plan.skipped).toEqual([
      { eventId: 'evt-0', reason: "not an 'AWS API Call via CloudTrail' event" },
      { eventId: 'evt-1', reason: expect.stringMatching(/has no eventID/) },
      { eventId: '#2', reason: "not an 'AWS API Call via CloudTrail' event" },
    ]);
  });

  it('gives the same targets for any order and repetition of the events (property)', () => {
    const events = STAGE_CHANGE_FIXTURES.map(eventOf);
    const indices = [...events.keys()];
    const expected = toRescanTargets(events).targets;
    fc.assert(
      fc.property(
        fc.shuffledSubarray(indices, { minLength: indices.length, maxLength: indices.length }),
        fc.array(fc.constantFrom(...indices), { maxLength: 30 }),
        (order, repeats) => {
          const stream = [...order, ...repeats].map((i) => events[i]);
          expect(toRescanTargets(stream).targets).toEqual(expected);
        },
      ),
      { numRuns: 50 },
    );
  });
});
