import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { PROJECT_ROOT } from '../../infra/runtime-contract';

const MONITOR_APP = path.join(PROJECT_ROOT, 'infra', 'app.ts');
const READER_APP = path.join(PROJECT_ROOT, 'infra', 'reader-role-app.ts');

let outdir = '';
beforeAll(() => {
  outdir = mkdtempSync(path.join(tmpdir(), 'stage-drift-app-'));
});
afterAll(() => rmSync(outdir, { recursive: true, force: true }));

/**
 * Runs an app as `cdk synth` does: the context in CDK_CONTEXT_JSON (what `-c key=value` and
 * cdk.json become), the output directory in CDK_OUTDIR; bundling skipped.
 */
const runApp = (app: string, context: Record<string, unknown>) => {
  const run = spawnSync(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, app], {
    cwd: PROJECT_ROOT,
    encoding: 'utf8',
    env: {
      ...process.env,
      CDK_CONTEXT_JSON: JSON.stringify({ 'aws:cdk:bundling-stacks': [], ...context }),
      CDK_OUTDIR: outdir,
    },
  });
  return { status: run.status, stderr: run.stderr };
};

describe('the apps fail at synth on a bad setting, naming it and the fix (no stack trace)', () => {
  it.each<[string, Record<string, unknown>, string]>([
    [
      'an unknown context key (-c region=…)',
      { region: 'eu-west-1' },
      'region (context): unknown context key, ignored until now: did you mean regions?',
    ],
    [
      'target accounts without an external id',
      { targetAccounts: '111122223333' },
      'externalId: required with targetAccounts or targetOrganizationalUnit',
    ],
    [
      'a stack name CloudFormation refuses',
      { stackName: 'Stage Drift' },
      'stackName (context): "Stage Drift" is not a CloudFormation stack name',
    ],
  ])('the monitor app: %s', (_, context, message) => {
    const { status, stderr } = runApp(MONITOR_APP, context);
    expect(status).toBe(1);
    expect(stderr).toContain(`stage-drift: invalid configuration. ${message}`);
    expect(stderr).not.toMatch(/^\s+at /m);
  });

  it('the reader-role app: refuses to trust the whole monitor account unless asked, and trusts the roles it is given', () => {
    const base = { monitorAccountId: '999988887777', externalId: 'stage-drift-7f3a' };
    const refused = runApp(READER_APP, base);
    expect(refused.status).toBe(1);
    expect(refused.stderr).toContain(
      'stage-drift reader role: invalid configuration. monitorRoleArns: required',
    );

    const roles = [
      'arn:aws:iam::999988887777:role/StageDrift-MonitorSnapshotFunctionRole-AbC123',
      'arn:aws:iam::999988887777:role/StageDrift-Other',
    ];
    const ok = runApp(READER_APP, { ...base, monitorRoleArns: roles.join(',') });
    expect(ok.stderr).toBe('');
    expect(ok.status).toBe(0);
    const template = JSON.parse(
      readFileSync(path.join(outdir, 'StageDriftReader.template.json'), 'utf8'),
    ) as {
      Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
    };
    const role = Object.values(template.Resources).find((r) => r.Type === 'AWS::IAM::Role')!;
    expect(JSON.stringify(role.Properties.AssumeRolePolicyDocument)).toContain(
      JSON.stringify({ 'aws:PrincipalArn': roles }),
    );

    const typo = runApp(READER_APP, { ...base, monitorRoleArn: roles[0] });
    expect(typo.status).toBe(1);
    expect(typo.stderr).toContain(
      'monitorRoleArn (context): unknown context key, ignored until now: did you mean monitorRoleArns?',
    );
  });
});
