import { Stack, Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { StageDriftReaderRole } from '../../infra/stage-drift-reader-role';
import { StageDriftStack } from '../../infra/stage-drift-stack';
import type { StageDriftMonitor } from '../../infra/stage-drift-monitor';
import { synthMonitor, testApp } from './support/synth';

/** The grant of issue 13: a secret and a table deletion on every resource. */
const overreach = () =>
  new PolicyStatement({
    actions: ['secretsmanager:GetSecretValue', 'dynamodb:DeleteTable'],
    resources: ['*'],
  });

const findings = (scope: IConstruct) =>
  new AwsSolutionsChecks()
    .validateScope(scope)
    .violations.flatMap((v) => v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`));

const EVERYTHING = {
  targetAccounts: ['111122223333'],
  targetOrganizationalUnit: 'ou-ab12-cd34ef56',
  externalId: 'stage-drift-7f3a',
  slackWebhookSecret: 'stage-drift/slack',
};

const roleOf = (monitor: StageDriftMonitor, name: string): IRole => {
  const fn = {
    Snapshot: monitor.snapshotFunction,
    Rescan: monitor.rescanFunction,
    Planner: monitor.plannerFunction,
    Publish: monitor.publishFunction,
  }[name];
  if (!fn?.role) throw new Error(`no ${name} function`);
  return fn.role;
};

/** Every acknowledgement under `scope`: the construct it sits on and the rule ids. */
const acknowledgements = (scope: IConstruct) =>
  scope.node
    .findAll()
    .flatMap((c) =>
      c.node.metadata
        .filter((m) => m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
        .flatMap((m) => Object.keys(m.data as Record<string, string>).map((id) => ({ on: c, id }))),
    );

describe('cdk-nag acknowledgements are specific', () => {
  it.each(['Snapshot', 'Rescan', 'Planner', 'Publish'])(
    'reports secretsmanager:GetSecretValue and dynamodb:DeleteTable on * added to the %s role',
    (name) => {
      const { stack, monitor } = synthMonitor(EVERYTHING);
      expect(findings(stack)).toEqual([]);
      roleOf(monitor, name).addToPrincipalPolicy(overreach());
      expect(findings(stack)).toEqual([
        `AwsSolutions-IAM5[Resource::*] at Test/Monitor/${name}Function/Role/DefaultPolicy/Resource`,
      ]);
    },
  );

  it('reports the same grant added to the reader role (attribution on)', () => {
    const stack = new Stack(testApp(), 'Member');
    const reader = new StageDriftReaderRole(stack, 'Reader', {
      monitorAccountId: '999988887777',
      externalId: 'stage-drift-7f3a',
      monitorRoleArns: ['arn:aws:iam::999988887777:role/StageDrift-MonitorSnapshotFunctionRole-AbC'],
      attribution: true,
    });
    expect(findings(stack)).toEqual([]);
    reader.role.addToPrincipalPolicy(overreach());
    expect(findings(stack)).toEqual([
      'AwsSolutions-IAM5[Resource::*] at Member/Reader/Role/DefaultPolicy/Resource',
    ]);
  });

  it('fails the synth of the app when a role is given such a grant', () => {
    const app = testApp();
    const stack = new StageDriftStack(app, 'StageDrift', { monitor: EVERYTHING });
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
    stack.monitor.snapshotFunction.addToRolePolicy(overreach());
    expect(() => app.synth()).toThrow(
      /StageDrift\/Monitor\/SnapshotFunction\/Role\/DefaultPolicy\/Resource[\s\S]*AwsSolutions-IAM5\[Resource::\*\]/,
    );
  });

  it('acknowledges a wildcard resource only on a policy of its own, with one statement', () => {
    const { stack } = synthMonitor(EVERYTHING);
    const member = new Stack(testApp(), 'Member');
    new StageDriftReaderRole(member, 'Reader', {
      monitorAccountId: '999988887777',
      externalId: 'stage-drift-7f3a',
      trustMonitorAccount: true,
      attribution: true,
    });
    const onStar = [...acknowledgements(stack), ...acknowledgements(member)].filter(({ id }) =>
      id.endsWith('IAM5[Resource::*]'),
    );
    expect(onStar.map(({ on }) => on.node.path).sort()).toEqual([
      'Member/Reader/LookupEventsPolicy',
      'Member/Reader/TrailStatusPolicy',
      'Test/Monitor/PlannerFunction/ListOrganizationalUnitAccountsPolicy',
      'Test/Monitor/PublishFunction/ListStreamsPolicy',
      'Test/Monitor/SnapshotFunction/LookupEventsPolicy',
      'Test/Monitor/SnapshotFunction/TrailStatusPolicy',
    ]);
    for (const { on } of onStar) {
      expect(on).toBeInstanceOf(Policy);
      expect((on as Policy).document.statementCount).toBe(1);
    }
  });

  it('acknowledges no action the roles are not given (no kms:ReEncrypt*)', () => {
    const { stack } = synthMonitor(EVERYTHING);
    expect(acknowledgements(stack).filter(({ id }) => id.includes('ReEncrypt'))).toEqual([]);
  });
});
