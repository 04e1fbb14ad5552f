import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageDriftReaderRoleProps } from '../../infra/stage-drift-reader-role';
import { StageDriftReaderRole } from '../../infra/stage-drift-reader-role';
import { logicalId, roleStatements } from './support/policies';
import { testApp } from './support/synth';

/** The ScanningRoleArns output of a monitor stack in 999988887777. */
const SCANNING_ROLE = 'arn:aws:iam::999988887777:role/StageDrift-MonitorSnapshotFunctionRole-AbC123';

const synthReader = (props: Partial<StageDriftReaderRoleProps> = {}) => {
  const stack = new Stack(testApp(), 'Member');
  new StageDriftReaderRole(stack, 'Reader', {
    monitorAccountId: '999988887777',
    externalId: 'stage-drift-7f3a',
    ...(props.trustMonitorAccount ? {} : { monitorRoleArns: [SCANNING_ROLE] }),
    ...props,
  });
  const template = Template.fromStack(stack);
  return { stack, template, roleId: logicalId(template, 'AWS::IAM::Role', 'ReaderRole') };
};

const read = (region: string) =>
  ['/restapis', '/restapis/*/stages', '/apis', '/apis/*/stages']
    .map((p) => `arn:<AWS::Partition>:apigateway:${region}::${p}`)
    .join(' ');

describe('StageDriftReaderRole', () => {
  /** The role's trust policy: the monitor account, with `condition`. */
  const trustedWith = (condition: Record<string, unknown>) => ({
    RoleName: 'StageDriftReader',
    AssumeRolePolicyDocument: {
      Statement: [
        {
          Action: 'sts:AssumeRole',
          Effect: 'Allow',
          Principal: {
            AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999988887777:root']] },
          },
          Condition: condition,
        },
      ],
    },
  });

  it("is trusted by the monitor's scanning roles only, with the external id", () => {
    const { template } = synthReader();
    template.hasResourceProperties(
      'AWS::IAM::Role',
      trustedWith({
        StringEquals: { 'sts:ExternalId': 'stage-drift-7f3a' },
        ArnEquals: { 'aws:PrincipalArn': [SCANNING_ROLE] },
      }),
    );
  });

  it('trusts every principal of the monitor account (with the external id) only when asked to', () => {
    const { template } = synthReader({ trustMonitorAccount: true });
    template.hasResourceProperties(
      'AWS::IAM::Role',
      trustedWith({ StringEquals: { 'sts:ExternalId': 'stage-drift-7f3a' } }),
    );
  });

  it('grants apigateway:GET on the listings and stages, and the trail check, only', () => {
    const { template, roleId } = synthReader();
    expect(roleStatements(template, roleId)).toEqual([
      `Allow apigateway:GET on ${read('*')}`,
      // The monitor's trail check (adaptive full scans) through the role.
      'Allow cloudtrail:DescribeTrails,cloudtrail:GetEventSelectors,cloudtrail:GetTrailStatus on *',
    ]);
  });

  it('adds cloudtrail:LookupEvents with attribution, scopes regions and trusts each scanning role given', () => {
    const rescanRole = 'arn:aws:iam::999988887777:role/path/StageDrift-Rescan';
    const { template, roleId } = synthReader({
      attribution: true,
      regions: ['eu-west-1'],
      monitorRoleArns: [SCANNING_ROLE, rescanRole],
      roleName: 'DriftReader',
    });
    expect(roleStatements(template, roleId)).toEqual([
      `Allow apigateway:GET on ${read('eu-west-1')}`,
      'Allow cloudtrail:DescribeTrails,cloudtrail:GetEventSelectors,cloudtrail:GetTrailStatus on *',
      'Allow cloudtrail:LookupEvents on *',
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'DriftReader',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Condition: {
              StringEquals: { 'sts:ExternalId': 'stage-drift-7f3a' },
              ArnEquals: { 'aws:PrincipalArn': [SCANNING_ROLE, rescanRole] },
            },
          },
        ],
      },
    });
  });

  it.each<Partial<StageDriftReaderRoleProps>>([{}, { attribution: true }, { trustMonitorAccount: true }])(
    'is cdk-nag clean (%j)',
    (props) => {
      const { stack } = synthReader(props);
      expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
    },
  );

  it.each<[string, Partial<StageDriftReaderRoleProps>, RegExp]>([
    ['a bad monitor account', { monitorAccountId: '99' }, /^monitorAccountId: "99" is not an AWS account id/],
    ['a short external id', { externalId: 'x' }, /^externalId: expected 2 to 1224/],
    [
      'a principal of another account',
      { monitorRoleArns: ['arn:aws:iam::111122223333:role/x'] },
      /^monitorRoleArns\[0\]: expected the ARN of a role in the monitor account 999988887777/,
    ],
    [
      'no scanning role and no explicit trust of the whole account',
      { monitorRoleArns: undefined },
      /^monitorRoleArns: required: the ARNs of the monitor's scanning roles \(the ScanningRoleArns output of the monitor stack\).*trustMonitorAccount: true/,
    ],
    ['an empty list of scanning roles', { monitorRoleArns: [] }, /^monitorRoleArns: required/],
    [
      'scanning roles and the whole account at once',
      { monitorRoleArns: [SCANNING_ROLE], trustMonitorAccount: true },
      /^trustMonitorAccount: .*monitorRoleArns/,
    ],
  ])('rejects %s', (_, props, message) => {
    expect(() => synthReader(props)).toThrow(message);
  });
});
