import { Match, Template } from 'aws-cdk-lib/assertions';
import { StageDriftStack } from '../../infra/stage-drift-stack';
import { assetHashSerializer } from './support/asset-hash-serializer';
import { testApp } from './support/synth';

expect.addSnapshotSerializer(assetHashSerializer);

describe('StageDriftStack', () => {
  it('outputs the table name and the topic ARN', () => {
    const template = Template.fromStack(new StageDriftStack(testApp(), 'StageDrift'));
    template.hasOutput('TableName', { Value: { Ref: Match.stringLikeRegexp('^MonitorTable') } });
    template.hasOutput('TopicArn', { Value: { Ref: Match.stringLikeRegexp('^MonitorTopic') } });
  });

  it("outputs the scanning roles' ARNs, for the reader roles' trust (monitorRoleArns)", () => {
    const stack = new StageDriftStack(testApp(), 'StageDrift');
    const template = Template.fromStack(stack);
    const roleId = Object.keys(template.findResources('AWS::IAM::Role')).find((id) =>
      id.startsWith('MonitorSnapshotFunctionRole'),
    );
    template.hasOutput('ScanningRoleArns', {
      Description: Match.stringLikeRegexp('monitorRoleArns'),
      // A comma list; of one role, CDK writes the join of one element as the element.
      Value: { 'Fn::GetAtt': [roleId, 'Arn'] },
    });
    expect(stack.monitor.scanningRoles.map((r): unknown => stack.resolve(r.roleArn))).toEqual([
      { 'Fn::GetAtt': [roleId, 'Arn'] },
    ]);
  });

  it('imports the existing table, topic and operations topic given by ARN', () => {
    const stack = new StageDriftStack(testApp(), 'StageDrift', {
      existingTopicArn: 'arn:aws:sns:eu-west-1:111122223333:drift',
      existingTableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift',
      existingTableStreamArn:
        'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
      operationsTopicArn: 'arn:aws:sns:eu-west-1:111122223333:ops',
    });
    const template = Template.fromStack(stack);
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.hasOutput('TableName', { Value: 'Drift' });
    template.hasOutput('TopicArn', { Value: 'arn:aws:sns:eu-west-1:111122223333:drift' });
  });

  it('synthesizes the template in the snapshot (asset hashes stripped)', () => {
    const stack = new StageDriftStack(testApp(), 'StageDrift', {
      monitor: { regions: ['eu-west-1', 'us-east-1'], emailSubscriptions: ['ops@example.com'] },
    });
    expect(Template.fromStack(stack).toJSON()).toMatchSnapshot();
  });

  it('synthesizes the fan-out resources in the snapshot: the planner, the schedule, the task queues, the scanner', () => {
    const stack = new StageDriftStack(testApp(), 'StageDrift', {
      monitor: {
        regions: ['eu-west-1'],
        targetAccounts: ['111122223333'],
        targetOrganizationalUnit: 'ou-ab12-cd34ef56',
        externalId: 'stage-drift-7f3a',
      },
    });
    // The rest of the template is the single-account one above.
    const resources = Template.fromStack(stack).toJSON().Resources as Record<string, unknown>;
    const fanOut = Object.entries(resources).filter(([id]) =>
      /^Monitor(Planner|Schedule|Task|SnapshotFunction)/.test(id),
    );
    expect(Object.fromEntries(fanOut)).toMatchSnapshot();
  });
});
