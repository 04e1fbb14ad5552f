import { GetFindingsCommand, SecurityHubClient } from '@aws-sdk/client-securityhub';
import type { AwsSecurityFinding, SecurityHubSender } from '../../shared/findings';
import {
  BATCH_IMPORT_LIMIT,
  buildFindings,
  describeFindingsImport,
  exportPostureFindings,
  importFindings,
} from '../../shared/findings';
import type { PostureChange } from '../../shared/posture';
import { evaluatePosture } from '../../shared/posture';
import { ManualClock } from '../../shared/runtime';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { httpStage, restStage } from '../posture/real-stages';

// The Security Hub export against moto's Security Hub (moto 5.2: BatchImportFindings upserts by
// Id, GetFindings returns every finding, ignoring Filters; enough for what is tested here).

const ACCOUNT = '123456789012'; // moto's default account, and the stages' (real-stages.ts)
const REGION = 'us-east-1';
const target = { account: ACCOUNT, partition: 'aws' };
const capturedAt = new Date('2026-12-01T10:00:00.000Z');

/** A REST stage failing APIGateway.3 (no X-Ray), passing the rest. */
const untraced = () => evaluatePosture(restStage((s) => (s.tracingEnabled = false)));
const traced = () => evaluatePosture(restStage());

let moto: MotoServer;
let client: SecurityHubClient;

beforeAll(async () => {
  moto = await startMoto();
  client = new SecurityHubClient({
    endpoint: moto.endpoint,
    region: REGION,
    credentials: AWS_TEST_CREDENTIALS,
  });
});

afterAll(async () => {
  client?.destroy();
  await moto?.stop();
});

const allFindings = async (): Promise<AwsSecurityFinding[]> =>
  (await client.send(new GetFindingsCommand({}))).Findings ?? [];

describe('buildFindings (ASFF)', () => {
  it('files every PASSED or FAILED control of a new stage, with the ASFF required attributes', () => {
    const posture = untraced();
    const { findings } = buildFindings([{ key: posture.key, apiName: 'pets', after: posture }], {
      ...target,
      capturedAt,
    });
    // APIGateway.9 is NOT_APPLICABLE to REST: no finding.
    expect(findings.map((f) => f.GeneratorId)).toEqual([
      'stage-drift/APIGateway.1',
      'stage-drift/APIGateway.2',
      'stage-drift/APIGateway.3',
      'stage-drift/APIGateway.4',
      'stage-drift/APIGateway.5',
      'stage-drift/StageDrift.RestAccessLogging',
    ]);
    const xray = findings.find((f) => f.GeneratorId === 'stage-drift/APIGateway.3')!;
    expect(xray).toMatchObject({
      SchemaVersion: '2018-10-08',
      Id: 'stage-drift/us-east-1/a1b2c3d4e5/prod/APIGateway.3',
      ProductArn: `arn:aws:securityhub:us-east-1:${ACCOUNT}:product/${ACCOUNT}/default`,
      AwsAccountId: ACCOUNT,
      Types: ['Software and Configuration Checks/AWS Security Best Practices'],
      CreatedAt: '2026-12-01T10:00:00.000Z',
      UpdatedAt: '2026-12-01T10:00:00.000Z',
      Severity: { Label: 'LOW' },
      Compliance: { Status: 'FAILED' },
      Workflow: { Status: 'NEW' },
      RecordState: 'ACTIVE',
      Remediation: {
        Recommendation: {
          Url: 'https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html#apigateway-3',
        },
      },
      Resources: [
        {
          Type: 'AwsApiGatewayStage',
          Id: 'arn:aws:apigateway:us-east-1::/restapis/a1b2c3d4e5/stages/prod',
          Region: 'us-east-1',
          Partition: 'aws',
        },
      ],
    });
    expect(xray.Title).toContain('AWS X-Ray tracing is enabled');
    expect(xray.Description).toContain('X-Ray tracing is off');
    // No control of our own has a Security Hub definition to link: no Remediation.
    expect(findings.at(-1)!.Remediation).toBeUndefined();
  });

  it('names an HTTP stage by its v2 ARN and type', () => {
    const posture = evaluatePosture(httpStage());
    const { findings } = buildFindings([{ key: posture.key, apiName: 'orders', after: posture }], {
      ...target,
      capturedAt,
    });
    expect(findings).toHaveLength(1);
    expect(findings[0]!.Resources).toEqual([
      {
        Type: 'AwsApiGatewayV2Stage',
        Id: 'arn:aws:apigateway:us-east-1::/apis/h1t2t3p4q5/stages/$default',
        Region: 'us-east-1',
        Partition: 'aws',
      },
    ]);
    expect(findings[0]!.Compliance).toEqual({ Status: 'FAILED' });
  });

  it('for a changed stage files only the controls that moved; a deleted stage archives its findings', () => {
    const before = untraced();
    const after = traced();
    const moved = buildFindings([{ key: after.key, apiName: 'pets', before, after }], {
      ...target,
      capturedAt,
    });
    expect(moved.findings.map((f) => [f.GeneratorId, f.Compliance?.Status, f.Workflow?.Status])).toEqual([
      ['stage-drift/APIGateway.3', 'PASSED', 'RESOLVED'],
    ]);
    const unchanged = buildFindings([{ key: after.key, apiName: 'pets', before: after, after }], {
      ...target,
      capturedAt,
    });
    expect(unchanged.findings).toEqual([]);
    const deleted = buildFindings([{ key: before.key, apiName: 'pets', before }], { ...target, capturedAt });
    expect(deleted.findings).toHaveLength(6);
    expect(new Set(deleted.findings.map((f) => f.RecordState))).toEqual(new Set(['ARCHIVED']));
    expect(deleted.findings.find((f) => f.GeneratorId === 'stage-drift/APIGateway.3')!.Compliance).toEqual({
      Status: 'FAILED',
    });
  });

  it('archives the finding of a control that stopped applying, and files nothing for one never applicable', () => {
    const caching = evaluatePosture(restStage());
    const noCache = evaluatePosture(
      restStage((s) => {
        s.methodSettings['*/*'].cachingEnabled = false;
      }),
    );
    expect(noCache.results.find((r) => r.id === 'APIGateway.5')!.status).toBe('NOT_APPLICABLE');
    const stopped = buildFindings([{ key: caching.key, apiName: 'pets', before: caching, after: noCache }], {
      ...target,
      capturedAt,
    });
    expect(stopped.findings.map((f) => [f.GeneratorId, f.RecordState, f.Workflow?.Status])).toEqual([
      ['stage-drift/APIGateway.5', 'ARCHIVED', 'RESOLVED'],
    ]);
  });

  it("leaves out other accounts' stages (the default product takes the caller's own only) and never shows variable values", () => {
    const posture = evaluatePosture(
      restStage((s) => {
        s.variables = { token: 'VALUE-s3cret' };
      }),
    );
    const other = { ...posture, key: { ...posture.key, account: '111111111111' } };
    const built = buildFindings(
      [
        { key: posture.key, apiName: 'pets', after: posture },
        { key: other.key, apiName: 'pets', after: other },
      ],
      { ...target, capturedAt },
    );
    expect(built.findings).toHaveLength(6);
    expect(built.otherAccounts).toBe(6);
    expect(JSON.stringify(built.findings)).not.toContain('s3cret');
  });
});

describe('importFindings against moto', () => {
  beforeEach(() => moto.reset());

  it('imports a FAILED and a PASSED control; a later fix updates the same Id to PASSED, RESOLVED', async () => {
    const clock = new ManualClock({ start: capturedAt.getTime() });
    const deps = { clientFor: () => client, target, clock };
    const first = untraced();
    const baseline = await exportPostureFindings(deps, [{ key: first.key, apiName: 'pets', after: first }]);
    expect(baseline).toMatchObject({
      imported: 6,
      failedControls: 1,
      passedControls: 5,
      failed: 0,
      calls: 1,
    });
    expect(describeFindingsImport(baseline)).toBe('Security Hub: 6 findings imported (1 FAILED, 5 PASSED)');
    const stored = await allFindings();
    expect(stored).toHaveLength(6);
    const status = (findings: AwsSecurityFinding[], control: string) =>
      findings.find((f) => f.GeneratorId === `stage-drift/${control}`);
    expect(status(stored, 'APIGateway.3')).toMatchObject({ Compliance: { Status: 'FAILED' } });
    expect(status(stored, 'APIGateway.1')).toMatchObject({ Compliance: { Status: 'PASSED' } });
    const ids = stored.map((f) => f.Id).sort();

    clock.advance(60_000);
    const fixed = traced();
    const fix = await exportPostureFindings(deps, [
      { key: fixed.key, apiName: 'pets', before: first, after: fixed },
    ]);
    expect(fix).toMatchObject({ imported: 1, failedControls: 0, passedControls: 1 });
    const after = await allFindings();
    expect(after.map((f) => f.Id).sort()).toEqual(ids); // replaced, not added
    expect(status(after, 'APIGateway.3')).toMatchObject({
      Id: 'stage-drift/us-east-1/a1b2c3d4e5/prod/APIGateway.3',
      Compliance: { Status: 'PASSED' },
      Workflow: { Status: 'RESOLVED' },
      UpdatedAt: '2026-12-01T10:01:00.000Z',
    });
  });

  it('counts refused findings (FailedFindings) as a warning, with the first error code, without throwing', async () => {
    const posture = untraced();
    const { findings } = buildFindings([{ key: posture.key, apiName: 'pets', after: posture }], {
      ...target,
      capturedAt,
    });
    // moto refuses a finding without resources (InvalidInput), as Security Hub refuses a malformed one.
    const broken = { ...findings[0]!, Id: 'broken', Resources: [] };
    const summary = await importFindings(() => client, [broken, ...findings.slice(1)]);
    expect(summary).toMatchObject({ imported: 5, failed: 1, firstErrorCode: 'InvalidInput', calls: 1 });
    expect(summary.warnings).toEqual([
      expect.stringMatching(/^Security Hub us-east-1: 1 of 6 findings refused \(first: InvalidInput/),
    ]);
  });

  it('sends 250 findings as 3 requests of at most 100', async () => {
    const posture = untraced();
    const changes: PostureChange[] = Array.from({ length: 42 }, (_, i) => {
      const key = { ...posture.key, stageName: `stage${i}` };
      return { key, apiName: 'pets', after: { ...posture, key } };
    });
    const { findings } = buildFindings(changes, { ...target, capturedAt });
    const batch = findings.slice(0, 250);
    expect(batch).toHaveLength(250);
    const sizes: number[] = [];
    const counting: SecurityHubSender = {
      send: (command) => {
        sizes.push(command.input.Findings?.length ?? 0);
        return client.send(command);
      },
    };
    const summary = await importFindings(() => counting, batch);
    expect(sizes).toEqual([BATCH_IMPORT_LIMIT, BATCH_IMPORT_LIMIT, 50]);
    expect(summary).toMatchObject({ imported: 250, calls: 3, failed: 0 });
    expect(await allFindings()).toHaveLength(100); // GetFindings pages by 100
  });

  it('counts a request that fails as a whole (Security Hub unreachable), never throws', async () => {
    const unreachable = new SecurityHubClient({
      endpoint: 'http://127.0.0.1:9',
      region: REGION,
      credentials: AWS_TEST_CREDENTIALS,
      maxAttempts: 1,
    });
    const posture = untraced();
    const summary = await exportPostureFindings(
      { clientFor: () => unreachable, target, clock: new ManualClock({ start: capturedAt.getTime() }) },
      [{ key: posture.key, apiName: 'pets', after: posture }],
    );
    unreachable.destroy();
    expect(summary).toMatchObject({ imported: 0, failed: 6, calls: 1 });
    expect(summary.firstErrorCode).toBeDefined();
    expect(summary.warnings[0]).toMatch(/BatchImportFindings failed, 6 findings not imported/);
    expect(describeFindingsImport(summary)).toMatch(
      /^Security Hub: 0 findings imported \(0 FAILED, 0 PASSED\); 6 failed/,
    );
  });
});
