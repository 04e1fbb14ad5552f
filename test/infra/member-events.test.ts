import { Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  WAF_STAGE_ASSOCIATION_PATTERN,
} from '../../shared/attribution/cloudtrail-events';
import { StageDriftEventForwarder } from '../../infra/stage-drift-event-forwarder';
import { logicalId, roleStatements } from './support/policies';
import { synthMonitor, testApp } from './support/synth';

const MONITOR = '999988887777';
const MEMBERS = ['111122223333', '444455556666'];
const OU = 'ou-ab12-cd34ef56';
const BUS_ARN = {
  'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:events:eu-west-1:${MONITOR}:event-bus/default`]],
};
const findings = (stack: Stack) =>
  new AwsSolutionsChecks()
    .validateScope(stack)
    .violations.map((v) => `${v.ruleName} at ${v.violatingResources.map((r) => r.constructPath).join(', ')}`);

/** The two rules' patterns, as the monitor's own rules carry them (the template's JSON). */
const monitorPatterns = (template: Template): unknown[] =>
  Object.values(template.findResources('AWS::Events::Rule')).map(
    (rule) => (rule as { Properties: { EventPattern: unknown } }).Properties.EventPattern,
  );

describe('StageDriftEventForwarder (the member-account side, one region)', () => {
  const synthForwarder = () => {
    const stack = new Stack(testApp(), 'Forwarder');
    const forwarder = new StageDriftEventForwarder(stack, 'Forwarder', {
      monitorAccountId: MONITOR,
      monitorRegion: 'eu-west-1',
    });
    return { stack, forwarder, template: Template.fromStack(stack) };
  };

  it("forwards the monitor's two patterns, unchanged, to the monitor's default bus with a role", () => {
    const { template } = synthForwarder();
    const roleId = logicalId(template, 'AWS::IAM::Role', 'ForwarderRole');
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as {
      Properties: { EventPattern: unknown; Targets: unknown[]; State?: string };
      Condition?: string;
    }[];
    expect(rules.map((r) => r.Properties.EventPattern)).toEqual([
      API_GATEWAY_STAGE_CALLS_PATTERN,
      WAF_STAGE_ASSOCIATION_PATTERN,
    ]);
    for (const rule of rules) {
      expect(rule.Properties.Targets).toEqual([
        { Arn: BUS_ARN, Id: 'Target0', RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] } },
      ]);
    }
    // The monitor's own rules carry the same patterns: one definition, shared/attribution.
    const monitor = synthMonitor({ targetAccounts: MEMBERS, externalId: 'stage-drift-7f3a' });
    expect(monitorPatterns(monitor.template)).toEqual(rules.map((r) => r.Properties.EventPattern));
  });

  it('gives the role events:PutEvents on the monitor bus only, assumed by EventBridge only', () => {
    const { template } = synthForwarder();
    const roleId = logicalId(template, 'AWS::IAM::Role', 'ForwarderRole');
    template.hasResourceProperties('AWS::IAM::Role', {
      AssumeRolePolicyDocument: {
        Statement: [
          { Action: 'sts:AssumeRole', Effect: 'Allow', Principal: { Service: 'events.amazonaws.com' } },
        ],
      },
    });
    expect(roleStatements(template, roleId)).toEqual([
      `Allow events:PutEvents on arn:<AWS::Partition>:events:eu-west-1:${MONITOR}:event-bus/default`,
    ]);
    expect(Object.keys(template.findResources('AWS::IAM::Policy'))).toHaveLength(1);
  });

  it("creates no rule in the monitor's own account and region (a condition on both rules)", () => {
    const { template } = synthForwarder();
    const conditions = template.findConditions('*');
    const [name] = Object.keys(conditions);
    expect(conditions[name!]).toEqual({
      'Fn::Not': [
        {
          'Fn::And': [
            { 'Fn::Equals': [{ Ref: 'AWS::AccountId' }, MONITOR] },
            { 'Fn::Equals': [{ Ref: 'AWS::Region' }, 'eu-west-1'] },
          ],
        },
      ],
    });
    const rules = Object.values(template.findResources('AWS::Events::Rule')) as { Condition?: string }[];
    expect(rules.map((r) => r.Condition)).toEqual([name, name]);
  });

  it('is clean under cdk-nag', () => {
    expect(findings(synthForwarder().stack)).toEqual([]);
  });

  it.each([
    [
      { monitorAccountId: '9999', monitorRegion: 'eu-west-1' },
      /^monitorAccountId: "9999" is not an AWS account id/,
    ],
    [{ monitorAccountId: MONITOR, monitorRegion: 'mars-1' }, /^monitorRegion: unknown region "mars-1"/],
  ])('refuses %j at synth', (props, message) => {
    const stack = new Stack(testApp(), 'Bad');
    expect(() => new StageDriftEventForwarder(stack, 'Forwarder', props)).toThrow(message);
  });
});

describe('the reader-role app with monitorRegion', () => {
  let outdir = '';
  beforeAll(() => {
    outdir = mkdtempSync(path.join(tmpdir(), 'stage-drift-forwarder-'));
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it('synthesizes the reader role stack and a region-agnostic forwarder stack for a StackSet over the regions', () => {
    const run = spawnSync(
      process.execPath,
      ['--import', pathToFileURL(require.resolve('tsx')).href, path.join('infra', 'reader-role-app.ts')],
      {
        cwd: path.join(__dirname, '..', '..'),
        encoding: 'utf8',
        env: {
          ...process.env,
          CDK_CONTEXT_JSON: JSON.stringify({
            'aws:cdk:bundling-stacks': [],
            monitorAccountId: MONITOR,
            externalId: 'stage-drift-7f3a',
            trustMonitorAccount: 'true',
            monitorRegion: 'eu-west-1',
          }),
          CDK_OUTDIR: outdir,
        },
      },
    );
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
    const read = (name: string) =>
      Template.fromJSON(
        JSON.parse(readFileSync(path.join(outdir, `${name}.template.json`), 'utf8')) as object,
      );
    read('StageDriftReader').resourceCountIs('AWS::Events::Rule', 0);
    const forwarder = read('StageDriftEventForwarder');
    forwarder.resourceCountIs('AWS::Events::Rule', 2);
    forwarder.resourceCountIs('AWS::IAM::Role', 1);
    forwarder.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: API_GATEWAY_STAGE_CALLS_PATTERN,
      Targets: [Match.objectLike({ Arn: BUS_ARN })],
    });
  });
});

describe("the monitor's bus policy and rescans for member accounts", () => {
  it('admits exactly the configured member accounts (not its own) to put events on its default bus', () => {
    const { template } = synthMonitor(
      { targetAccounts: [...MEMBERS, MONITOR], externalId: 'stage-drift-7f3a' },
      { env: { account: MONITOR, region: 'eu-west-1' } },
    );
    const policies = Object.values(template.findResources('AWS::Events::EventBusPolicy')) as {
      Properties: Record<string, unknown>;
    }[];
    expect(policies).toHaveLength(1);
    expect(policies[0]!.Properties).toEqual({
      EventBusName: 'default',
      StatementId: expect.stringMatching(/^[\w-]{1,64}$/),
      Statement: {
        Sid: 'StageDriftMemberAccounts',
        Effect: 'Allow',
        Principal: {
          AWS: MEMBERS.map((account) => ({
            'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, `:iam::${account}:root`]],
          })),
        },
        Action: 'events:PutEvents',
        Resource: expect.anything(),
      },
    });
    const resource = JSON.stringify((policies[0]!.Properties.Statement as { Resource: unknown }).Resource);
    expect(resource).toContain(`:events:eu-west-1:${MONITOR}:event-bus/default`);
  });

  it("admits the OU's accounts by aws:PrincipalOrgPaths in organization mode", () => {
    const { template } = synthMonitor({ targetOrganizationalUnit: OU, externalId: 'stage-drift-7f3a' });
    template.hasResourceProperties('AWS::Events::EventBusPolicy', {
      EventBusName: 'default',
      Statement: {
        Sid: 'StageDriftOrganizationalUnit',
        Effect: 'Allow',
        Principal: '*',
        Action: 'events:PutEvents',
        Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`*/${OU}/*`] } },
      },
    });
    template.resourceCountIs('AWS::Events::EventBusPolicy', 1);
  });

  it('adds no bus policy for a single-account monitor, or one whose only target is itself', () => {
    synthMonitor().template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    synthMonitor(
      { targetAccounts: [MONITOR] },
      { env: { account: MONITOR, region: 'eu-west-1' } },
    ).template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
    synthMonitor({
      targetAccounts: MEMBERS,
      externalId: 'stage-drift-7f3a',
      eventDrivenRescans: false,
    }).template.resourceCountIs('AWS::Events::EventBusPolicy', 0);
  });

  it("keeps its rules' patterns free of any account, so the members' events feed the same queue", () => {
    const { template } = synthMonitor({ targetAccounts: MEMBERS, externalId: 'stage-drift-7f3a' });
    const patterns = monitorPatterns(template);
    expect(patterns).toHaveLength(2);
    for (const pattern of patterns) expect(pattern).not.toHaveProperty('account');
  });

  it('lets the rescan function assume the reader roles, names the members in its environment, and outputs its role', () => {
    const { template, monitor } = synthMonitor({
      targetAccounts: MEMBERS,
      targetOrganizationalUnit: OU,
      externalId: 'stage-drift-7f3a',
    });
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorRescanFunctionRole');
    const assume = roleStatements(template, roleId).filter((line) => line.includes('sts:AssumeRole'));
    expect(assume).toEqual([
      'Allow sts:AssumeRole on arn:<AWS::Partition>:iam::*:role/StageDriftReader if ' +
        JSON.stringify({ 'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': [`*/${OU}/*`] } }),
      `Allow sts:AssumeRole on ${MEMBERS.map((a) => `arn:<AWS::Partition>:iam::${a}:role/StageDriftReader`).join(' ')}`,
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('rescans the APIs'),
      Environment: {
        Variables: Match.objectLike({
          STAGE_DRIFT_TARGET_ACCOUNTS: MEMBERS.join(','),
          STAGE_DRIFT_TARGET_OU: OU,
          STAGE_DRIFT_READER_ROLE_NAME: 'StageDriftReader',
          STAGE_DRIFT_EXTERNAL_ID: 'stage-drift-7f3a',
        }),
      },
    });
    expect(monitor.scanningRoles).toHaveLength(2);
  });

  it('is clean under cdk-nag with member accounts and an OU', () => {
    const { stack } = synthMonitor({
      targetAccounts: MEMBERS,
      targetOrganizationalUnit: OU,
      externalId: 'stage-drift-7f3a',
    });
    expect(findings(stack)).toEqual([]);
  });
});
