import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { Context } from 'aws-lambda';
import type * as Handler from '../../../lambdas/snapshot/handler';
import { tableDefinition } from '../../../shared/store';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { scanningEnv } from '../scanning-env';
import { createRestApiWithStage } from '../../support/moto-rest-api';
import { captureJsonLines } from '../capture-output';

// The snapshot function with STAGE_DRIFT_SECURITY_HUB=true, against moto (API Gateway, DynamoDB,
// Security Hub): the baseline's findings are imported; a Security Hub that fails is counted and
// logged, and the scan still succeeds.

type HandlerModule = typeof Handler;
const HANDLER = '../../../lambdas/snapshot/handler';
const region = 'us-east-1';
const savedEnv = { ...process.env };
let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

afterEach(() => {
  process.env = { ...savedEnv };
});

const loadHandler = (env: Record<string, string>): HandlerModule => {
  process.env = { ...env };
  let loaded: HandlerModule | undefined;
  jest.isolateModules(() => {
    loaded = jest.requireActual<HandlerModule>(HANDLER);
  });
  return loaded!;
};

const context = (awsRequestId: string): Context =>
  ({
    awsRequestId,
    functionName: 'stage-drift-snapshot',
    getRemainingTimeInMillis: () => 900_000,
  }) as Context;

/** A fresh moto with one REST stage (logging off, no tracing) and a table. */
const prepare = async (table: string) => {
  await moto.reset();
  const config = { endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS };
  const rest = new APIGatewayClient(config);
  await createRestApiWithStage(rest, { name: 'orders-api' }, { stageName: 'prod' });
  rest.destroy();
  const dynamo = new DynamoDBClient(config);
  await dynamo.send(new CreateTableCommand(tableDefinition(table)));
  dynamo.destroy();
  return {
    ...scanningEnv(moto.endpoint, region, table),
    STAGE_DRIFT_SECURITY_HUB: 'true',
  };
};

describe('the snapshot function with Security Hub findings on', () => {
  it('imports the baseline posture as findings', async () => {
    const { handler } = loadHandler(await prepare('sd-findings-on'));
    const run = await captureJsonLines(() => handler({}, context('run-sh-1')));
    expect(run.result).toMatchObject({ baseline: true, stagesRead: 1 });
    const imported = (run.result as { securityHubImported: number }).securityHubImported;
    expect(imported).toBeGreaterThan(0);
    const hub = new SecurityHubClient({ endpoint: moto.endpoint, region, credentials: AWS_TEST_CREDENTIALS });
    const findings = (await hub.send(new GetFindingsCommand({}))).Findings ?? [];
    hub.destroy();
    expect(findings).toHaveLength(imported);
    expect(findings.find((f) => f.GeneratorId === 'stage-drift/APIGateway.3')).toMatchObject({
      Compliance: { Status: 'FAILED' },
    });
    const emf = JSON.stringify(run.lines.filter((l) => '_aws' in l));
    expect(emf).toContain('SecurityHubFindingsImported');
  });

  it('counts and logs a failed import, and the scan still succeeds', async () => {
    const env = await prepare('sd-findings-fail');
    const { handler } = loadHandler({
      ...env,
      AWS_ENDPOINT_URL_SECURITYHUB: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    const run = await captureJsonLines(() => handler({}, context('run-sh-2')));
    expect(run.result).toMatchObject({ baseline: true, stagesRead: 1, securityHubImported: 0 });
    expect((run.result as { securityHubFailures: number }).securityHubFailures).toBeGreaterThan(0);
    const warning = run.lines.find((l) => l.message === 'Security Hub import incomplete');
    expect(warning).toMatchObject({ level: 'WARN', runId: 'run-sh-2' });
    expect(JSON.stringify(run.lines.filter((l) => '_aws' in l))).toContain('SecurityHubImportFailures');
  });
});
