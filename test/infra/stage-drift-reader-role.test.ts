import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { StageDriftReaderRoleProps } from '../../infra/stage-drift-reader-role';
import { StageDriftReaderRole } from '../../infra/stage-drift-reader-role';
import { logicalId, roleStatements } from './support/policies';
import { testApp } from './support/synth';

const synthReader = (props: Partial<StageDriftReaderRoleProps> = {}) => {
  const stack = new Stack(testApp(), 'Member');
  new StageDriftReaderRole(stack, 'Reader', {
    monitorAccountId: '999988887777',
    externalId: 'stage-drift-7f3a',
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
  it('is trusted by the monitor account only, with the external id', () => {
    const { template } = synthReader();
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'StageDriftReader',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Action: 'sts:AssumeRole',
            Effect: 'Allow',
            Principal: {
              AWS: { 'Fn::Join': ['', ['arn:', { Ref: 'AWS::Partition' }, ':iam::999988887777:root']] },
            },
            Condition: { StringEquals: { 'sts:ExternalId': 'stage-drift-7f3a' } },
          },
        ],
      },
    });
  });

  it('grants apigateway:GET on the listings and stages only', () => {
    const { template, roleId } = synthReader();
    expect(roleStatements(template, roleId)).toEqual([`Allow apigateway:GET on ${read('*')}`]);
  });

  it('adds cloudtrail:LookupEvents with attribution, scopes regions and the principal when asked', () => {
    const monitorRoleArn = 'arn:aws:iam::999988887777:role/StageDrift-SnapshotRole';
    const { template, roleId } = synthReader({
      attribution: true,
      regions: ['eu-west-1'],
      monitorRoleArn,
      roleName: 'DriftReader',
    });
    expect(roleStatements(template, roleId)).toEqual([
      `Allow apigateway:GET on ${read('eu-west-1')}`,
      'Allow cloudtrail:LookupEvents on *',
    ]);
    template.hasResourceProperties('AWS::IAM::Role', {
      RoleName: 'DriftReader',
      AssumeRolePolicyDocument: {
        Statement: [
          {
            Condition: {
              StringEquals: { 'sts:ExternalId': 'stage-drift-7f3a' },
              ArnEquals: { 'aws:PrincipalArn': monitorRoleArn },
            },
          },
        ],
      },
    });
  });

  it.each([{}, { attribution: true }])('is cdk-nag clean (%j)', (props) => {
    const { stack } = synthReader(props);
    expect(new AwsSolutionsChecks().validateScope(stack).violations).toEqual([]);
  });

  it.each<[string, Partial<StageDriftReaderRoleProps>, RegExp]>([
    ['a bad monitor account', { monitorAccountId: '99' }, /^monitorAccountId: "99" is not an AWS account id/],
    ['a short external id', { externalId: 'x' }, /^externalId: expected 2 to 1224/],
    [
      'a principal of another account',
      { monitorRoleArn: 'arn:aws:iam::111122223333:role/x' },
      /^monitorRoleArn: expected the ARN of a role in the monitor account/,
    ],
  ])('rejects %s', (_, props, message) => {
    expect(() => synthReader(props)).toThrow(message);
  });
});
