import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import type { AwsSecurityFinding } from '@aws-sdk/client-securityhub';
import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import { MOTO_ACCOUNT, runBin, tempDir, TEST_REGION } from './bin-process';

// `stage-drift scan --security-hub` as a user runs it, against moto's API Gateway and Security Hub.

let moto: MotoServer;

beforeAll(async () => {
  moto = await startMoto();
});

afterAll(async () => {
  await moto?.stop();
});

describe('stage-drift scan --security-hub', () => {
  it('files findings for the failing controls at the baseline, and resolves one when it is fixed', async () => {
    await moto.reset();
    const config = { endpoint: moto.endpoint, region: TEST_REGION, credentials: AWS_TEST_CREDENTIALS };
    const rest = new APIGatewayClient(config);
    const v2 = new ApiGatewayV2Client(config);
    const hub = new SecurityHubClient(config);
    // A REST stage with execution logging off and no tracing; an HTTP stage without access logs.
    const restApiId = await createRestApiWithStage(rest, { name: 'orders-api' }, { stageName: 'prod' });
    const http = await v2.send(new CreateApiCommand({ Name: 'pets-http', ProtocolType: 'HTTP' }));
    await v2.send(new CreateStageCommand({ ApiId: http.ApiId!, StageName: 'live' }));
    const env = { AWS_ENDPOINT_URL: moto.endpoint };
    const store = tempDir();
    const findings = async (): Promise<AwsSecurityFinding[]> =>
      (await hub.send(new GetFindingsCommand({}))).Findings ?? [];
    const byId = (list: AwsSecurityFinding[], id: string) => list.find((f) => f.Id === id);

    const baseline = await runBin(['scan', '--store', store, '--security-hub'], env);
    expect(baseline.stderr).toBe('');
    expect(baseline.code).toBe(0);
    const line = /Security Hub: (\d+) findings imported \((\d+) FAILED, (\d+) PASSED\)/.exec(baseline.stdout);
    expect(line).not.toBeNull();
    const filed = await findings();
    expect(filed).toHaveLength(Number(line![1]));
    expect(filed.filter((f) => f.Compliance?.Status === 'FAILED')).toHaveLength(Number(line![2]));
    const xray = `stage-drift/${TEST_REGION}/${restApiId}/prod/APIGateway.3`;
    const logging = `stage-drift/${TEST_REGION}/${restApiId}/prod/APIGateway.1`;
    const accessLogs = `stage-drift/${TEST_REGION}/${http.ApiId}/live/APIGateway.9`;
    for (const id of [xray, logging, accessLogs]) {
      expect(byId(filed, id)).toMatchObject({
        AwsAccountId: MOTO_ACCOUNT,
        ProductArn: `arn:aws:securityhub:${TEST_REGION}:${MOTO_ACCOUNT}:product/${MOTO_ACCOUNT}/default`,
        Compliance: { Status: 'FAILED' },
        Workflow: { Status: 'NEW' },
        RecordState: 'ACTIVE',
      });
    }
    expect(byId(filed, accessLogs)!.Resources![0]).toMatchObject({
      Type: 'AwsApiGatewayV2Stage',
      Id: `arn:aws:apigateway:${TEST_REGION}::/apis/${http.ApiId}/stages/live`,
    });

    // X-Ray turned on: only APIGateway.3 moved, and its finding (same Id) now passes.
    await rest.send(
      new UpdateStageCommand({
        restApiId,
        stageName: 'prod',
        patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'true' }],
      }),
    );
    const second = await runBin(['scan', '--store', store, '--security-hub', '--format', 'json'], env);
    expect(second.code).toBe(1); // drift
    expect(second.stderr).toContain('Security Hub: 1 findings imported (0 FAILED, 1 PASSED)');
    JSON.parse(second.stdout); // stdout stays JSON
    const after = await findings();
    expect(after).toHaveLength(filed.length);
    expect(byId(after, xray)).toMatchObject({
      Compliance: { Status: 'PASSED' },
      Workflow: { Status: 'RESOLVED' },
    });
    expect(byId(after, logging)).toMatchObject({ Compliance: { Status: 'FAILED' } });

    // Without the flag nothing is imported.
    const plain = await runBin(['scan', '--store', store], env);
    expect(plain.stdout).not.toContain('Security Hub');
    rest.destroy();
    v2.destroy();
    hub.destroy();
  });

  it('reports a Security Hub that cannot be reached as a warning and keeps the scan exit code', async () => {
    await moto.reset();
    const rest = new APIGatewayClient({
      endpoint: moto.endpoint,
      region: TEST_REGION,
      credentials: AWS_TEST_CREDENTIALS,
    });
    await createRestApiWithStage(rest, { name: 'orders-api' }, { stageName: 'prod' });
    rest.destroy();
    const run = await runBin(['scan', '--store', tempDir(), '--security-hub'], {
      AWS_ENDPOINT_URL: moto.endpoint,
      AWS_ENDPOINT_URL_SECURITYHUB: 'http://127.0.0.1:9',
      AWS_MAX_ATTEMPTS: '1',
    });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/Security Hub: 0 findings imported \(0 FAILED, 0 PASSED\); \d+ failed/);
    expect(run.stderr).toMatch(/stage-drift: warning: Security Hub us-east-1: BatchImportFindings failed/);
  });
});
