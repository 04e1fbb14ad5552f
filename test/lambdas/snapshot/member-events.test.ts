import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  ReceiveMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { Context } from 'aws-lambda';
import type * as RescanHandler from '../../../lambdas/snapshot/rescan-handler';
import { createRescanDeps } from '../../../lambdas/snapshot/rescan-deps';
import { loadConfigFromEnv } from '../../../shared/config';
import { runScan } from '../../../shared/scan';
import { DynamoSnapshotStore, tableDefinition } from '../../../shared/store';
import { StageDriftEventForwarder } from '../../../infra/stage-drift-event-forwarder';
import { eventOf } from '../../attribution/fixtures';
import { synthMonitor, testApp } from '../../infra/support/synth';
import { REST_ORDERS, scanFleet } from '../../scan/scan-fleet';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import type { RefusingSts } from '../../support/refusing-sts';
import { startRefusingSts } from '../../support/refusing-sts';
import type { ControlPlaneSimulator } from '../../support/simulator';
import { startSimulator } from '../../support/simulator';
import { captureJsonLines } from '../capture-output';

/**
 * A member account's console change, end to end: the member's forwarder rule (the reader-role
 * app's template) -> the monitor's default bus -> the monitor's rule (its template) -> the events
 * queue, on moto's EventBridge and SQS; then the rescan handler, which assumes the member's reader
 * role (moto STS) and reads the member's API Gateway (the control-plane simulator) in 2 calls.
 */
const region = 'us-east-1';
const MONITOR = '123456789012'; // moto's account for the 'testing' keys
const MEMBER = '111111111111';
const OTHER = '222222222222';
const TABLE = 'stage-drift-member-events';
const EXTERNAL_ID = 'stage-drift-7f3a';

let moto: MotoServer;
let sim: ControlPlaneSimulator;
/** An STS that answers as the monitor account and refuses every AssumeRole, counting them. */
let refusingSts: RefusingSts;
let memberKeyId = '';
let queueUrl = '';
let queueArn = '';
const savedEnv = { ...process.env };

/** One EventBridge call on moto, as the account whose access key id signs it (JSON 1.1 protocol). */
const eventBridge = async (
  target: string,
  body: object,
  accessKeyId: string = AWS_TEST_CREDENTIALS.accessKeyId,
) => {
  const response = await fetch(moto.endpoint, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-amz-json-1.1',
      'X-Amz-Target': `AWSEvents.${target}`,
      // moto reads the account from the access key id and the region from the credential scope.
      Authorization: `AWS4-HMAC-SHA256 Credential=${accessKeyId}/20250304/${region}/events/aws4_request, SignedHeaders=host, Signature=0`,
    },
    body: JSON.stringify(body),
  });
  const text = await response.text();
  if (!response.ok) throw new Error(`EventBridge ${target}: HTTP ${response.status} ${text}`);
  return (text ? JSON.parse(text) : {}) as Record<string, unknown>;
};

type TemplateRule = { Properties: { EventPattern: object; Targets: { Arn: unknown; RoleArn?: unknown }[] } };
const rulesOf = (template: Template): TemplateRule[] =>
  Object.values(template.findResources('AWS::Events::Rule')) as TemplateRule[];

const env = () => ({
  AWS_ENDPOINT_URL: moto.endpoint,
  AWS_ENDPOINT_URL_API_GATEWAY: sim.endpoint,
  AWS_ENDPOINT_URL_APIGATEWAYV2: sim.endpoint,
  AWS_REGION: region,
  AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
  AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
  STAGE_DRIFT_TABLE: TABLE,
  STAGE_DRIFT_REQUESTS_PER_SECOND: '10',
  STAGE_DRIFT_BURST: '40',
  STAGE_DRIFT_EVENTS_QUEUE_ARN: queueArn,
  STAGE_DRIFT_TARGET_ACCOUNTS: MEMBER,
  STAGE_DRIFT_EXTERNAL_ID: EXTERNAL_ID,
});

const loadRescan = (extra: Record<string, string> = {}): typeof RescanHandler => {
  process.env = { ...env(), ...extra };
  let loaded: typeof RescanHandler | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<typeof RescanHandler>('../../../lambdas/snapshot/rescan-handler');
  });
  return loaded!;
};

const contextFor = (awsRequestId: string): Context =>
  ({
    awsRequestId,
    functionName: 'stage-drift-rescan',
    invokedFunctionArn: `arn:aws:lambda:${region}:${MONITOR}:function:stage-drift-rescan`,
    getRemainingTimeInMillis: () => 60_000,
  }) as unknown as Context;

const sqsRecord = (messageId: string, body: string) => ({
  messageId,
  receiptHandle: `rh-${messageId}`,
  body,
  attributes: {
    ApproximateReceiveCount: '1',
    SentTimestamp: '1741082681000',
    SenderId: 'AIDAEVENTBRIDGE',
    ApproximateFirstReceiveTimestamp: '1741082681000',
  },
  messageAttributes: {},
  md5OfBody: '-',
  eventSource: 'aws:sqs',
  eventSourceARN: queueArn,
  awsRegion: region,
});

/** The fixture's console UpdateStage, as CloudTrail records it in `account`, on the simulator's API. */
const consoleChange = (account: string, eventID: string) => {
  const event = eventOf('rest-update-stage-console');
  const detail = event.detail as Record<string, unknown> & {
    requestParameters: Record<string, unknown>;
    userIdentity: Record<string, unknown> & { sessionContext: { sessionIssuer: Record<string, unknown> } };
  };
  detail.requestParameters.restApiId = REST_ORDERS;
  detail.recipientAccountId = account;
  detail.userIdentity.accountId = account;
  detail.userIdentity.arn = `arn:aws:sts::${account}:assumed-role/Admin/alice@example.com`;
  detail.userIdentity.sessionContext.sessionIssuer.arn = `arn:aws:iam::${account}:role/Admin`;
  detail.userIdentity.sessionContext.sessionIssuer.accountId = account;
  detail.eventTime = new Date().toISOString().replace(/\.\d{3}Z$/, 'Z');
  detail.eventID = eventID;
  const forwarded: Record<string, unknown> & { detail: typeof detail } = { ...event, account, detail };
  return forwarded;
};

beforeAll(async () => {
  moto = await startMoto();
  sim = await startSimulator({ fleet: scanFleet() });
  refusingSts = await startRefusingSts(MONITOR);
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  const dynamo = new DynamoDBClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
  dynamo.destroy();
  const sqs = new SQSClient(config);
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'stage-drift-events' }))).QueueUrl!;
  queueArn = (
    await sqs.send(new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }))
  ).Attributes!.QueueArn!;
  sqs.destroy();
  // The member account, as moto knows it: keys of a role of that account.
  const sts = new STSClient(config);
  const assumed = await sts.send(
    new AssumeRoleCommand({ RoleArn: `arn:aws:iam::${MEMBER}:role/Admin`, RoleSessionName: 'member-admin' }),
  );
  sts.destroy();
  memberKeyId = assumed.Credentials!.AccessKeyId!;
}, 60_000);

afterAll(async () => {
  process.env = { ...savedEnv };
  await sim?.close();
  await refusingSts?.close();
  await moto?.stop();
});

describe("a member account's console change, end to end", () => {
  it('reaches a drift event attributed from the forwarded CloudTrail record, read through the reader role in 2 calls', async () => {
    // Prepare: the member's forwarder (its template) and the monitor's rule (its template) on moto.
    const forwarderStack = new Stack(testApp(), 'Forwarder');
    new StageDriftEventForwarder(forwarderStack, 'Forwarder', {
      monitorAccountId: MONITOR,
      monitorRegion: region,
    });
    const forwarders = rulesOf(Template.fromStack(forwarderStack));
    const busArn = `arn:aws:events:${region}:${MONITOR}:event-bus/default`;
    for (const [i, rule] of forwarders.entries()) {
      await eventBridge(
        'PutRule',
        { Name: `forward-${i}`, EventPattern: JSON.stringify(rule.Properties.EventPattern) },
        memberKeyId,
      );
      await eventBridge(
        'PutTargets',
        {
          Rule: `forward-${i}`,
          Targets: [{ Id: 'monitor', Arn: busArn, RoleArn: `arn:aws:iam::${MEMBER}:role/forwarder` }],
        },
        memberKeyId,
      );
    }
    const monitorTemplate = synthMonitor({ targetAccounts: [MEMBER], externalId: EXTERNAL_ID }).template;
    for (const [i, rule] of rulesOf(monitorTemplate).entries()) {
      await eventBridge('PutRule', {
        Name: `rescan-${i}`,
        EventPattern: JSON.stringify(rule.Properties.EventPattern),
      });
      await eventBridge('PutTargets', { Rule: `rescan-${i}`, Targets: [{ Id: 'queue', Arn: queueArn }] });
    }
    // The member's first full scan, through its reader role: the baseline a rescan needs.
    process.env = { ...env() };
    const { deps } = await createRescanDeps(loadConfigFromEnv(process.env));
    const baseline = await runScan(deps, { scopes: [{ account: MEMBER, region }], now: new Date() });
    expect(baseline.scopes[0]?.failures).toEqual([]);
    // The console change in the member account, and the event CloudTrail gives its default bus.
    const rest = new APIGatewayClient({ endpoint: sim.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
    await rest.send(
      new UpdateStageCommand({
        restApiId: REST_ORDERS,
        stageName: 'prod',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' }],
      }),
    );
    rest.destroy();
    const change = consoleChange(MEMBER, 'member-console-edit-1');
    await eventBridge(
      'PutEvents',
      {
        Entries: [
          {
            Source: change.source as string,
            DetailType: change['detail-type'] as string,
            Detail: JSON.stringify(change.detail),
          },
        ],
      },
      memberKeyId,
    );

    // Act: what the events queue holds, handed to the rescan function.
    const sqs = new SQSClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
    const received = await sqs.send(
      new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10 }),
    );
    sqs.destroy();
    expect(received.Messages).toHaveLength(1);
    const forwarded = JSON.parse(received.Messages![0]!.Body!) as Record<string, unknown> & {
      detail: Record<string, unknown>;
    };
    expect(forwarded).toMatchObject({
      source: 'aws.apigateway',
      'detail-type': 'AWS API Call via CloudTrail',
    });
    expect(forwarded.detail).toEqual(change.detail);
    // EventBridge keeps the source account in `account` across a cross-account forward (a rule
    // naming an `account` matches no event from another account: PutPermission, API reference);
    // moto 5 stamps the receiving bus's account instead (events/models.py, put_events), so the
    // event is put back as EventBridge delivers it. As moto leaves it, it is refused as forged.
    const asEventBridgeDelivers = { ...forwarded, account: MEMBER };
    sim.resetCounts();
    const { handler } = loadRescan();
    const { result, lines } = await captureJsonLines(() =>
      handler(
        { Records: [sqsRecord('m-1', JSON.stringify(asEventBridgeDelivers))] },
        contextFor('run-member-0101'),
      ),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(sim.counts.byOperation).toMatchObject({ GetRestApi: 1, GetStages: 1 });
    expect(sim.counts.total).toBe(2);
    const summary = lines.find((line) => line.message === 'targeted rescans finished');
    expect(summary).toMatchObject({
      targets: [{ api: `${MEMBER}/${region}/${REST_ORDERS}`, outcome: 'rescanned' }],
      calls: 2,
    });
    const dynamo = new DynamoDBClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
    const { events } = await new DynamoSnapshotStore(dynamo, { tableName: TABLE }).listEvents();
    dynamo.destroy();
    const drift = events.find((e) => e.api.id === REST_ORDERS && e.stageName === 'prod');
    expect(drift).toMatchObject({ account: MEMBER, region, change: 'MODIFIED' });
    expect(drift?.attribution).toMatchObject({
      status: 'attributed',
      eventName: 'UpdateStage',
      eventId: 'member-console-edit-1',
      source: 'console',
      principalArn: `arn:aws:sts::${MEMBER}:assumed-role/Admin/alice@example.com`,
    });
  }, 60_000);

  it.each([
    [
      'an account not configured',
      () => ({ ...consoleChange(OTHER, 'other-1') }),
      `account ${OTHER} is not a target`,
    ],
    [
      "an account that is not its record's",
      () => ({ ...consoleChange(MEMBER, 'forged-1'), account: OTHER }),
      `the event came from account ${OTHER} but its record is of account ${MEMBER}: refused as forged`,
    ],
    [
      'a member event as moto delivers it (its account re-stamped)',
      () => ({ ...consoleChange(MEMBER, 'restamped-1'), account: MONITOR }),
      `the event came from account ${MONITOR} but its record is of account ${MEMBER}: refused as forged`,
    ],
  ])(
    'refuses a forged event from %s: logged and counted, nothing read, no role assumed',
    async (_, event, reason) => {
      // Prepare
      sim.resetCounts();
      const assumedBefore = refusingSts.assumeRoleCalls();
      const { handler } = loadRescan({ AWS_ENDPOINT_URL_STS: refusingSts.endpoint });

      // Act
      const { result, lines } = await captureJsonLines(() =>
        handler({ Records: [sqsRecord('m-forged', JSON.stringify(event()))] }, contextFor('run-forged')),
      );

      // Assess
      expect(result).toEqual({ batchItemFailures: [] });
      expect(sim.counts.total).toBe(0);
      expect(refusingSts.assumeRoleCalls()).toBe(assumedBefore);
      expect(lines).toContainEqual(
        expect.objectContaining({
          level: 'WARN',
          message: 'event refused',
          reason: expect.stringContaining(reason),
        }),
      );
      expect(lines.find((line) => line.message === 'targeted rescans finished')).toMatchObject({
        refusedEvents: 1,
      });
      expect(lines.find((line) => '_aws' in line)).toMatchObject({ RefusedEvents: 1 });
    },
  );

  it("refuses a configured member's event when its reader role refuses us, reading nothing", async () => {
    // Prepare
    sim.resetCounts();
    const assumedBefore = refusingSts.assumeRoleCalls();
    const { handler } = loadRescan({ AWS_ENDPOINT_URL_STS: refusingSts.endpoint });
    const event = consoleChange(MEMBER, 'member-2');

    // Act
    const { result, lines } = await captureJsonLines(() =>
      handler({ Records: [sqsRecord('m-2', JSON.stringify(event))] }, contextFor('run-refused-role')),
    );

    // Assess
    expect(result).toEqual({ batchItemFailures: [] });
    expect(refusingSts.assumeRoleCalls()).toBe(assumedBefore + 1);
    expect(sim.counts.total).toBe(0);
    expect(lines).toContainEqual(
      expect.objectContaining({
        message: 'event refused',
        reason: expect.stringContaining(
          `AssumeRole arn:aws:iam::${MEMBER}:role/StageDriftReader was refused`,
        ),
      }),
    );
  });
});
