import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { CreateQueueCommand, ReceiveMessageCommand, SQSClient } from '@aws-sdk/client-sqs';
import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { BundleResult } from '../../../infra/bundle/bundle-function';
import { bundleFunction } from '../../../infra/bundle/bundle-function';
import { PLANNER_ENTRY, SNAPSHOT_ENTRY } from '../../../infra/runtime-contract';
import { tableDefinition } from '../../../shared/store';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { createMotoOrganization } from '../../support/moto-organizations';
import { createRestApiWithStage } from '../../support/moto-rest-api';

/** The target of test/infra: the snapshot bundle under 500 KB. */
const SNAPSHOT_BUNDLE_LIMIT = 512_000;
const region = 'us-east-1';
const TABLE = 'stage-drift-bundle';
const ACCOUNT = '123456789012'; // moto's
const functionArn = (name: string) => `arn:aws:lambda:${region}:${ACCOUNT}:function:${name}`;

let dir = '';
let snapshot: BundleResult;
let planner: BundleResult;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'stage-drift-bundle-test-'));
  [snapshot, planner] = await Promise.all([
    bundleFunction({ entry: SNAPSHOT_ENTRY, outdir: path.join(dir, 'snapshot') }),
    bundleFunction({ entry: PLANNER_ENTRY, outdir: path.join(dir, 'planner') }),
  ]);
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** The sources in any file of the bundle (the entry and its chunks). */
const inputsOf = (result: BundleResult): string[] =>
  Object.values(result.metafile.outputs).flatMap((output) =>
    Object.entries(output.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([name]) => name),
  );

describe('the bundles as deployed (infra/bundle)', () => {
  it('keeps the snapshot bundle under 500 KB, without the default credential chain or Organizations', () => {
    expect(snapshot.bytes).toBeLessThan(SNAPSHOT_BUNDLE_LIMIT);
    const inputs = inputsOf(snapshot);
    expect(
      inputs.filter((i) =>
        /credential-provider-(ini|sso|process|web-identity)|client-sso|nested-clients|client-organizations/.test(
          i,
        ),
      ),
    ).toEqual([]);
    expect(inputs.some((i) => i.includes('@aws-sdk/credential-provider-env/'))).toBe(true);
    expect(inputs.some((i) => i.includes('@aws-sdk/client-api-gateway/'))).toBe(true);
  });

  it('loads the Security Hub export only when the setting turns it on (a chunk of its own, not parsed at init)', () => {
    const atInit = (source: string) => snapshot.initInputs.some((i) => i.includes(source));
    expect(inputsOf(snapshot).some((i) => i.includes('@aws-sdk/client-securityhub/'))).toBe(true);
    expect(atInit('@aws-sdk/client-securityhub/')).toBe(false);
    expect(atInit('shared/findings/')).toBe(false);
    expect(atInit('shared/scan/')).toBe(true);
  });

  it('writes the schema keys of the installed SDK as literals (the plugin still has work to do)', () => {
    expect(snapshot.schemaKeys.files).toBeGreaterThan(0);
    expect(snapshot.schemaKeys.keys).toBeGreaterThan(0);
  });

  it('gives the planner Organizations and SQS, and no API Gateway, DynamoDB, STS or CloudTrail client', () => {
    const inputs = inputsOf(planner);
    expect(inputs.some((i) => i.includes('@aws-sdk/client-organizations/'))).toBe(true);
    expect(inputs.some((i) => i.includes('@aws-sdk/client-sqs/'))).toBe(true);
    expect(
      inputs.filter((i) => /@aws-sdk\/client-(api-gateway|apigatewayv2|dynamodb|sts|cloudtrail)\//.test(i)),
    ).toEqual([]);
  });
});

/**
 * Runs a bundle's handler once in a fresh `node`, as Lambda would: ESM import, source maps on,
 * and the credentials in the environment only (no home directory, no config or credentials file).
 */
const invokeBundle = async (
  bundle: string,
  functionName: string,
  env: Record<string, string>,
  event: unknown,
): Promise<unknown> => {
  const script =
    'const { handler } = await import(process.env.TEST_BUNDLE_URL);' +
    'const context = { awsRequestId: "bundle-test", functionName: process.env.TEST_FUNCTION_NAME,' +
    ' invokedFunctionArn: process.env.TEST_FUNCTION_ARN, getRemainingTimeInMillis: () => 900000 };' +
    'const result = await handler(JSON.parse(process.env.TEST_EVENT), context);' +
    'process.stdout.write("\\nRESULT " + JSON.stringify(result) + "\\n");';
  const child = spawn(process.execPath, ['--input-type=module', '-e', script], {
    env: {
      PATH: process.env.PATH ?? '',
      HOME: dir,
      AWS_CONFIG_FILE: path.join(dir, 'no-config'),
      AWS_SHARED_CREDENTIALS_FILE: path.join(dir, 'no-credentials'),
      AWS_ACCESS_KEY_ID: AWS_TEST_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: AWS_TEST_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: 'testing',
      AWS_REGION: region,
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      NODE_OPTIONS: '--enable-source-maps',
      POWERTOOLS_METRICS_NAMESPACE: 'StageDrift',
      TEST_BUNDLE_URL: pathToFileURL(bundle).href,
      TEST_FUNCTION_NAME: functionName,
      TEST_FUNCTION_ARN: functionArn(functionName),
      TEST_EVENT: JSON.stringify(event),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => (output += chunk));
  const code = await new Promise<number | null>((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', resolve);
  });
  const result = /^RESULT (.*)$/m.exec(output);
  if (code !== 0 || !result)
    throw new Error(`the ${functionName} bundle failed (exit ${String(code)}):\n${output}`);
  return JSON.parse(result[1]!);
};

describe('the built bundles, run against moto with credentials in the environment only', () => {
  let moto: MotoServer;
  const clientConfig = () => ({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });

  beforeAll(async () => {
    moto = await startMoto();
  });

  afterAll(async () => {
    await moto?.stop();
  });

  it('scans REST and HTTP stages with the snapshot bundle, then reports a changed stage', async () => {
    // Prepare: the table, a REST stage and an HTTP stage.
    const dynamo = new DynamoDBClient(clientConfig());
    await dynamo.send(new CreateTableCommand(tableDefinition(TABLE)));
    dynamo.destroy();
    const rest = new APIGatewayClient(clientConfig());
    const v2 = new ApiGatewayV2Client(clientConfig());
    const restApiId = await createRestApiWithStage(rest, { name: 'orders-api' }, { stageName: 'prod' });
    const http = await v2.send(new CreateApiCommand({ Name: 'pets-http', ProtocolType: 'HTTP' }));
    await v2.send(new CreateStageCommand({ ApiId: http.ApiId!, StageName: '$default', AutoDeploy: true }));
    const env = {
      AWS_ENDPOINT_URL: moto.endpoint,
      STAGE_DRIFT_TABLE: TABLE,
      STAGE_DRIFT_REQUESTS_PER_SECOND: '10',
      STAGE_DRIFT_BURST: '40',
      POWERTOOLS_SERVICE_NAME: 'stage-drift-snapshot',
    };
    const tick = { source: 'stage-drift.schedule' };

    // Act 1: the baseline
    const baseline = await invokeBundle(snapshot.outfile, 'stage-drift-snapshot', env, tick);

    // Prepare 2: execution logging of every method turned up to data tracing (a HIGH change).
    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [{ op: 'replace', path: '/*/*/logging/dataTrace', value: 'true' }],
      }),
    );
    rest.destroy();
    v2.destroy();

    // Act 2
    const drift = await invokeBundle(snapshot.outfile, 'stage-drift-snapshot', env, tick);

    // Assess
    expect(baseline).toMatchObject({ baseline: true, stagesRead: 2, stagesChanged: 2, failures: 0 });
    expect(drift).toMatchObject({
      baseline: false,
      stagesRead: 2,
      stagesChanged: 1,
      failures: 0,
      events: { HIGH: 1 },
    });
  });

  it("plans the OU tree's accounts with the planner bundle (Organizations, SQS)", async () => {
    // Prepare: an OU with a child OU, one account in each, and the FIFO task queue.
    const organizations = new OrganizationsClient(clientConfig());
    const org = await createMotoOrganization(organizations);
    const workloads = await org.ou(org.rootId, 'workloads');
    const accounts = [
      await org.account(workloads, 'api'),
      await org.account(await org.ou(workloads, 'prod'), 'prod-api'),
    ];
    organizations.destroy();
    const sqs = new SQSClient(clientConfig());
    const { QueueUrl } = await sqs.send(
      new CreateQueueCommand({ QueueName: 'bundle-tasks.fifo', Attributes: { FifoQueue: 'true' } }),
    );

    // Act
    const planned = await invokeBundle(
      planner.outfile,
      'stage-drift-planner',
      {
        AWS_ENDPOINT_URL: moto.endpoint,
        STAGE_DRIFT_TABLE: TABLE,
        STAGE_DRIFT_TASK_QUEUE_URL: QueueUrl!,
        STAGE_DRIFT_TARGET_OU: workloads,
        POWERTOOLS_SERVICE_NAME: 'stage-drift-planner',
      },
      { source: 'stage-drift.schedule', scheduledTime: '2024-06-01T00:15:00Z' },
    );
    const received = await sqs.send(new ReceiveMessageCommand({ QueueUrl, MaxNumberOfMessages: 10 }));
    sqs.destroy();

    // Assess
    expect(planned).toEqual({ accounts: 2, tasks: 2 });
    expect(
      (received.Messages ?? []).map((m) => (JSON.parse(m.Body!) as { account: string }).account).sort(),
    ).toEqual([...accounts].sort());
  });
});
