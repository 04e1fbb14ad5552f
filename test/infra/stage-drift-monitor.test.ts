import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { Table } from 'aws-cdk-lib/aws-dynamodb';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { ENV } from '../../shared/config';
import { DRIFT_STREAM_FILTER } from '../../shared/notify/stream-filter';
import { PUBLISH_ENV } from '../../infra/runtime-contract';
import { Severity } from '../../infra/monitor-structs';
import { logicalId, roleStatements } from './support/policies';
import { synthMonitor } from './support/synth';

const PARTITION = 'arn:<AWS::Partition>';
const apiGatewayReads = (region: string) =>
  ['/restapis', '/restapis/*/stages', '/apis', '/apis/*/stages'].map(
    (path) => `${PARTITION}:apigateway:${region}::${path}`,
  );

describe('StageDriftMonitor', () => {
  describe('with a customer-managed key (customerManagedKey: true, every other prop at its default)', () => {
    const { template } = synthMonitor({ customerManagedKey: true });
    const tableId = logicalId(template, 'AWS::DynamoDB::Table', 'MonitorTable');
    const keyId = logicalId(template, 'AWS::KMS::Key', 'MonitorKey');
    const topicId = logicalId(template, 'AWS::SNS::Topic', 'MonitorTopic');
    const queueId = logicalId(template, 'AWS::SQS::Queue', 'MonitorFailureQueue');
    const snapshotId = logicalId(template, 'AWS::Lambda::Function', 'MonitorSnapshotFunction');
    const publishId = logicalId(template, 'AWS::Lambda::Function', 'MonitorPublishFunction');
    const rescanId = logicalId(template, 'AWS::Lambda::Function', 'MonitorRescanFunction');

    it('creates the table the store expects: on demand, PITR, NEW_IMAGE stream, TTL on ttl, GSI1, KMS', () => {
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        BillingMode: 'PAY_PER_REQUEST',
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
        GlobalSecondaryIndexes: [
          {
            IndexName: 'GSI1',
            KeySchema: [
              { AttributeName: 'GSI1PK', KeyType: 'HASH' },
              { AttributeName: 'GSI1SK', KeyType: 'RANGE' },
            ],
            Projection: { ProjectionType: 'ALL' },
          },
        ],
        PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        StreamSpecification: { StreamViewType: 'NEW_IMAGE' },
        TimeToLiveSpecification: { AttributeName: 'ttl', Enabled: true },
        SSESpecification: {
          SSEEnabled: true,
          SSEType: 'KMS',
          KMSMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        },
        DeletionProtectionEnabled: true,
      });
    });

    it('retains the table and its key when the stack is deleted', () => {
      template.hasResource('AWS::DynamoDB::Table', {
        DeletionPolicy: 'Retain',
        UpdateReplacePolicy: 'Retain',
      });
      template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Retain', UpdateReplacePolicy: 'Retain' });
    });

    it('rotates the KMS key and lets CloudWatch alarms publish to topics encrypted with it', () => {
      template.hasResourceProperties('AWS::KMS::Key', {
        EnableKeyRotation: true,
        KeyPolicy: {
          Statement: Match.arrayWith([
            {
              Sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
              Resource: '*',
              Condition: {
                StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
                ArnLike: {
                  'aws:SourceArn': {
                    'Fn::Join': [
                      '',
                      [
                        'arn:',
                        { Ref: 'AWS::Partition' },
                        ':cloudwatch:',
                        { Ref: 'AWS::Region' },
                        ':',
                        { Ref: 'AWS::AccountId' },
                        ':alarm:*',
                      ],
                    ],
                  },
                },
              },
            },
          ]),
        },
      });
    });

    it('encrypts the topic with the key and refuses publishing without TLS', () => {
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        SignatureVersion: '2',
      });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        Topics: [{ Ref: topicId }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({
              Effect: 'Deny',
              Principal: '*',
              Action: 'sns:Publish',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            Match.objectLike({
              Effect: 'Allow',
              Principal: { Service: 'cloudwatch.amazonaws.com' },
              Action: 'sns:Publish',
              Condition: { ArnLike: { 'aws:SourceArn': Match.anyValue() } },
            }),
          ]),
        },
      });
    });

    it("encrypts the failure queue with the key, keeps messages 14 days, refuses requests without TLS and takes only the stage-change rules' dead letters from EventBridge", () => {
      expect(template.findResources('AWS::SQS::Queue')[queueId]?.Properties).toMatchObject({
        KmsMasterKeyId: { 'Fn::GetAtt': [keyId, 'Arn'] },
        MessageRetentionPeriod: 14 * 24 * 3600,
      });
      const ruleArns = Object.keys(template.findResources('AWS::Events::Rule')).map((id) => ({
        'Fn::GetAtt': [id, 'Arn'],
      }));
      expect(ruleArns).toHaveLength(2);
      template.hasResourceProperties('AWS::SQS::QueuePolicy', {
        Queues: [{ Ref: queueId }],
        PolicyDocument: {
          Statement: [
            Match.objectLike({
              Effect: 'Deny',
              Action: 'sqs:*',
              Condition: { Bool: { 'aws:SecureTransport': 'false' } },
            }),
            {
              Sid: 'AllowTheStageChangeRulesDeadLetters',
              Effect: 'Allow',
              Principal: { Service: 'events.amazonaws.com' },
              Action: 'sqs:SendMessage',
              Resource: { 'Fn::GetAtt': [queueId, 'Arn'] },
              Condition: { ArnEquals: { 'aws:SourceArn': ruleArns } },
            },
          ],
        },
      });
    });

    it('runs every function on arm64 with Node.js 24, logging to its own log group kept 90 days', () => {
      for (const id of [snapshotId, rescanId, publishId]) {
        const fn = template.findResources('AWS::Lambda::Function')[id]!;
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs24.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          LoggingConfig: { LogGroup: { Ref: expect.stringMatching(/LogGroup/) } },
        });
      }
      expect(Object.keys(template.findResources('AWS::Logs::LogGroup'))).toHaveLength(3);
      template.allResourcesProperties('AWS::Logs::LogGroup', { RetentionInDays: 90 });
    });

    it('gives the snapshot function 15 minutes, 384 MB, a reserved concurrency of 1 and the failure queue', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('scans API Gateway'),
        Timeout: 900,
        MemorySize: 384,
        ReservedConcurrentExecutions: 1,
        Environment: {
          Variables: {
            [ENV.table]: { Ref: tableId },
            [ENV.requestsPerSecond]: '3',
            [ENV.burst]: '10',
            [ENV.concurrency]: '4',
            [ENV.retentionDays]: '365',
            [ENV.failureQueueUrl]: { Ref: queueId },
            POWERTOOLS_SERVICE_NAME: 'stage-drift-snapshot',
            POWERTOOLS_METRICS_NAMESPACE: 'StageDrift',
            POWERTOOLS_LOG_LEVEL: 'INFO',
            NODE_OPTIONS: '--enable-source-maps',
          },
        },
      });
    });

    it('leaves the regions to the function when the stack has no region', () => {
      const fn = template.findResources('AWS::Lambda::Function')[snapshotId]!;
      expect(fn.Properties.Environment.Variables).not.toHaveProperty(ENV.regions);
    });

    it('does not retry a failed scan but sends it to the failure queue, and keeps a throttled trigger 6 hours', () => {
      template.resourceCountIs('AWS::Lambda::EventInvokeConfig', 1);
      template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', {
        FunctionName: { Ref: snapshotId },
        MaximumRetryAttempts: 0,
        // Lambda's most: the handler skips a tick that starts a period late (shared/scan/schedule-tick.ts).
        MaximumEventAgeInSeconds: 6 * 3600,
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
    });

    it('schedules the scan every 15 minutes with EventBridge Scheduler', () => {
      const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorScheduleRole');
      template.hasResourceProperties('AWS::Scheduler::Schedule', {
        ScheduleExpression: 'rate(15 minutes)',
        FlexibleTimeWindow: { Mode: 'OFF' },
        State: 'ENABLED',
        Target: {
          Arn: { 'Fn::GetAtt': [snapshotId, 'Arn'] },
          RoleArn: { 'Fn::GetAtt': [roleId, 'Arn'] },
          RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 900 },
          // The tick and its period, so the handler can tell a late one.
          Input: JSON.stringify({
            source: 'stage-drift.schedule',
            scheduledTime: '<aws.scheduler.scheduled-time>',
            periodMinutes: 15,
          }),
        },
      });
      expect(roleStatements(template, roleId)).toEqual([
        `Allow lambda:InvokeFunction on <${snapshotId}.Arn> <${snapshotId}.Arn>:*`,
      ]);
    });

    it('configures the publish function with the topic, table, queue and Slack settings', () => {
      template.hasResourceProperties('AWS::Lambda::Function', {
        Description: Match.stringLikeRegexp('publishes drift events'),
        Timeout: 300,
        Environment: {
          Variables: {
            [PUBLISH_ENV.topicArn]: { Ref: topicId },
            [PUBLISH_ENV.table]: { Ref: tableId },
            [PUBLISH_ENV.failureQueueUrl]: { Ref: queueId },
            [PUBLISH_ENV.slackMinSeverity]: 'MEDIUM',
            [PUBLISH_ENV.digestThreshold]: '5',
            POWERTOOLS_SERVICE_NAME: 'stage-drift-publish',
            POWERTOOLS_METRICS_NAMESPACE: 'StageDrift',
          },
        },
      });
      const fn = template.findResources('AWS::Lambda::Function')[publishId]!;
      expect(fn.Properties.Environment.Variables).not.toHaveProperty(PUBLISH_ENV.slackSecretArn);
    });

    it('feeds only drift-event inserts to the publish function, bisecting, retrying 3 times, then the failure queue', () => {
      // The other mapping feeds the events queue to the rescan function (event-driven.test.ts).
      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 2);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: publishId },
        EventSourceArn: { 'Fn::GetAtt': [tableId, 'StreamArn'] },
        StartingPosition: 'TRIM_HORIZON',
        FilterCriteria: { Filters: [{ Pattern: JSON.stringify(DRIFT_STREAM_FILTER) }] },
        BisectBatchOnFunctionError: true,
        MaximumRetryAttempts: 3,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        DestinationConfig: { OnFailure: { Destination: { 'Fn::GetAtt': [queueId, 'Arn'] } } },
      });
      expect(JSON.parse(JSON.stringify(DRIFT_STREAM_FILTER))).toEqual({
        eventName: ['INSERT'],
        dynamodb: { NewImage: { itemType: { S: ['DRIFT'] } } },
      });
    });

    it('lets the snapshot function GET only the API and stage lists of its region, look CloudTrail up, use its table and send to the failure queue', () => {
      const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');
      expect(roleStatements(template, roleId)).toEqual([
        `Allow apigateway:GET on ${apiGatewayReads('<AWS::Region>').join(' ')}`,
        // The trail check of adaptive full scans (is the event path healthy?).
        'Allow cloudtrail:DescribeTrails,cloudtrail:GetEventSelectors,cloudtrail:GetTrailStatus on *',
        'Allow cloudtrail:LookupEvents on *',
        'Allow dynamodb:BatchGetItem,dynamodb:DeleteItem,dynamodb:GetItem,dynamodb:PutItem,dynamodb:Query,' +
          `dynamodb:UpdateItem on <${tableId}.Arn>`,
        `Allow dynamodb:Query on <${tableId}.Arn>/index/GSI1`,
        `Allow kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey* on <${keyId}.Arn>`,
        // The failure queue's producer actions on its key (QUEUE_SEND_KEY_ACTIONS).
        `Allow kms:Decrypt,kms:GenerateDataKey on <${keyId}.Arn>`,
        `Allow logs:CreateLogStream,logs:PutLogEvents on <${logicalId(template, 'AWS::Logs::LogGroup', 'MonitorSnapshotFunctionLogGroup')}.Arn>`,
        // Its failure reports, and Lambda's on-failure record of a scheduled run (sent with this role).
        `Allow sqs:SendMessage on <${queueId}.Arn>`,
      ]);
    });

    it('lets the publish function read the stream, publish, send to its queue and touch delivery marks only', () => {
      const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorPublishFunctionRole');
      expect(roleStatements(template, roleId)).toEqual([
        `Allow dynamodb:BatchGetItem,dynamodb:PutItem on <${tableId}.Arn> if {"ForAllValues:StringLike":{"dynamodb:LeadingKeys":["DELIVERY#*"]}}`,
        `Allow dynamodb:DescribeStream,dynamodb:GetRecords,dynamodb:GetShardIterator on <${tableId}.StreamArn>`,
        'Allow dynamodb:ListStreams on *',
        `Allow kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey* on <${keyId}.Arn>`,
        `Allow kms:Decrypt,kms:GenerateDataKey on <${keyId}.Arn>`,
        `Allow kms:Decrypt,kms:GenerateDataKey* on <${keyId}.Arn>`,
        `Allow logs:CreateLogStream,logs:PutLogEvents on <${logicalId(template, 'AWS::Logs::LogGroup', 'MonitorPublishFunctionLogGroup')}.Arn>`,
        `Allow sns:Publish on <${topicId}>`,
        `Allow sqs:SendMessage on <${queueId}.Arn>`,
      ]);
    });

    it('attaches no managed policy to any role', () => {
      for (const role of Object.values(template.findResources('AWS::IAM::Role'))) {
        expect(role.Properties.ManagedPolicyArns).toBeUndefined();
      }
    });

    it('sends each of the three alarms and its recovery to the drift topic', () => {
      const found = template.findResources('AWS::CloudWatch::Alarm');
      expect(Object.keys(found).map((id) => id.replace(/[0-9A-F]{8}$/, ''))).toEqual([
        'MonitorHeartbeatAlarm',
        'MonitorPublishIteratorAgeAlarm',
        'MonitorDeadLettersAlarm',
      ]);
      const alarms = Object.values(found);
      for (const alarm of alarms) {
        expect(alarm.Properties.AlarmActions).toEqual([{ Ref: topicId }]);
        expect(alarm.Properties.OKActions).toEqual([{ Ref: topicId }]);
      }
    });
  });

  describe('encryption (docs/deploy.md, "Encryption")', () => {
    const kmsStatements = (template: ReturnType<typeof synthMonitor>['template']) =>
      Object.values(template.findResources('AWS::IAM::Policy')).flatMap((p) =>
        (p.Properties.PolicyDocument.Statement as { Action: string | string[] }[]).filter((st) =>
          [st.Action].flat().some((a) => a.startsWith('kms:')),
        ),
      );

    it('by default uses no KMS key of its own: the AWS owned table key, SSE-SQS, no topic SSE (alarms publish to it)', () => {
      const { template } = synthMonitor();
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::DynamoDB::Table', { SSESpecification: { SSEEnabled: false } });
      const queues = Object.values(template.findResources('AWS::SQS::Queue'));
      // The failure queue and the events queue (whose dead-letter queue, and the rules' target's, is the failure queue).
      expect(queues).toHaveLength(2);
      for (const q of queues) {
        expect(q.Properties.SqsManagedSseEnabled).toBe(true);
        expect(q.Properties.KmsMasterKeyId).toBeUndefined();
      }
      const [topic] = Object.values(template.findResources('AWS::SNS::Topic'));
      expect(topic?.Properties.KmsMasterKeyId).toBeUndefined();
      expect(kmsStatements(template)).toEqual([]);
    });

    it('encrypts the drift topic with aws/sns when the alarms go to an operations topic', () => {
      const { template } = synthMonitor((stack) => ({
        operationsTopic: Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops'),
      }));
      template.hasResourceProperties('AWS::SNS::Topic', {
        KmsMasterKeyId: {
          'Fn::Join': [
            '',
            [
              'arn:',
              { Ref: 'AWS::Partition' },
              ':kms:',
              { Ref: 'AWS::Region' },
              ':',
              { Ref: 'AWS::AccountId' },
              ':alias/aws/sns',
            ],
          ],
        },
      });
      template.resourceCountIs('AWS::KMS::Key', 0);
      expect(kmsStatements(template)).toEqual([]);
    });

    it('with customerManagedKey creates one key for the table, the topic and every queue', () => {
      const { template, monitor } = synthMonitor({ customerManagedKey: true });
      template.resourceCountIs('AWS::KMS::Key', 1);
      const keyArn = { 'Fn::GetAtt': [logicalId(template, 'AWS::KMS::Key', 'MonitorKey'), 'Arn'] };
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: Match.objectLike({ KMSMasterKeyId: keyArn }),
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: keyArn });
      for (const q of Object.values(template.findResources('AWS::SQS::Queue'))) {
        expect(q.Properties.KmsMasterKeyId).toEqual(keyArn);
      }
      expect(monitor.key).toBeDefined();
    });

    it('with encryptionKey uses the given key everywhere and creates none', () => {
      const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      const { template, monitor } = synthMonitor((stack) => ({
        encryptionKey: Key.fromKeyArn(stack, 'Given', arn),
      }));
      template.resourceCountIs('AWS::KMS::Key', 0);
      template.hasResourceProperties('AWS::DynamoDB::Table', {
        SSESpecification: Match.objectLike({ KMSMasterKeyId: arn }),
      });
      template.hasResourceProperties('AWS::SNS::Topic', { KmsMasterKeyId: arn });
      for (const q of Object.values(template.findResources('AWS::SQS::Queue'))) {
        expect(q.Properties.KmsMasterKeyId).toBe(arn);
      }
      expect(kmsStatements(template).length).toBeGreaterThan(0);
      expect(monitor.key?.keyArn).toBe(arn);
    });

    it('refuses customerManagedKey together with encryptionKey', () => {
      const arn = 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';
      expect(() =>
        synthMonitor((stack) => ({
          customerManagedKey: true,
          encryptionKey: Key.fromKeyArn(stack, 'Given', arn),
        })),
      ).toThrow(/customerManagedKey.*set one of the two/);
    });
  });

  it('sizes the functions from the measured peak RSS: snapshot 384 MB, rescan 256 MB, planner and publish 128 MB', () => {
    const { template } = synthMonitor({ targetAccounts: ['111122223333'], externalId: 'stage-drift-7f3a' });
    const sizes = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) =>
        `${String(fn.Properties.Description).split(':')[1]?.trim().split(' ')[0]} ${String(fn.Properties.MemorySize)}`,
    );
    expect(sizes.sort()).toEqual(['plans 128', 'publishes 128', 'rescans 256', 'scans 384']);
  });

  it('exposes the table, topic, functions, failure queue (also the event path dead-letter queue) and the three alarms', () => {
    const { monitor } = synthMonitor();
    expect(monitor.table).toBeDefined();
    expect(monitor.topic).toBeDefined();
    expect(monitor.snapshotFunction).toBeDefined();
    expect(monitor.rescanFunction).toBeDefined();
    expect(monitor.publishFunction).toBeDefined();
    expect(monitor.failureQueue).toBeDefined();
    expect(monitor.eventsDeadLetterQueue).toBe(monitor.failureQueue);
    expect(monitor.eventTargetDeadLetterQueue).toBe(monitor.failureQueue);
    expect(monitor.key).toBeUndefined();
    expect(Object.keys(monitor.alarms).sort()).toEqual(['deadLetters', 'heartbeat', 'publishIteratorAge']);
  });

  it('grants apigateway:GET on the four paths in each configured region, and tells the function the regions', () => {
    const { template } = synthMonitor({ regions: ['eu-west-1', 'us-east-1'] });
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorSnapshotFunctionRole');
    expect(roleStatements(template, roleId)[0]).toBe(
      `Allow apigateway:GET on ${[...apiGatewayReads('eu-west-1'), ...apiGatewayReads('us-east-1')].join(' ')}`,
    );
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.regions]: 'eu-west-1,us-east-1' }) },
    });
  });

  it("defaults the regions to the stack's region when the stack has one", () => {
    const { template } = synthMonitor({}, { env: { region: 'eu-central-1' } });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ [ENV.regions]: 'eu-central-1' }) },
    });
  });

  it('passes the scan settings to the snapshot function', () => {
    const { template } = synthMonitor({
      requestsPerSecond: 1.5,
      burst: 5,
      concurrency: 2,
      retentionDays: 30,
      severityOverrides: [{ path: 'tags.**', severity: Severity.INFO }],
      ignore: { stages: [{ stageName: 'dev-*' }] },
      revealVariables: ['logLevel', 'color'],
    });
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [ENV.requestsPerSecond]: '1.5',
          [ENV.burst]: '5',
          [ENV.concurrency]: '2',
          [ENV.retentionDays]: '30',
          [ENV.severityOverrides]: '[{"path":"tags.**","severity":"INFO"}]',
          [ENV.ignore]: '{"stages":[{"stageName":"dev-*"}]}',
          [ENV.revealVariables]: 'logLevel,color',
        }),
      },
    });
  });

  it("follows the schedule in the rate, the hand-off age, the tick's period and the period of the schedule-based alarms", () => {
    const { template } = synthMonitor({ schedule: Duration.hours(1) });
    template.hasResourceProperties('AWS::Scheduler::Schedule', {
      ScheduleExpression: 'rate(1 hour)',
      Target: {
        RetryPolicy: { MaximumRetryAttempts: 2, MaximumEventAgeInSeconds: 3600 },
        Input: Match.serializedJson(Match.objectLike({ periodMinutes: 60 })),
      },
    });
    // Not the snapshot function's event age: always 6 hours (the handler skips a late tick).
    template.hasResourceProperties('AWS::Lambda::EventInvokeConfig', { MaximumEventAgeInSeconds: 6 * 3600 });
    template.hasResourceProperties('AWS::CloudWatch::Alarm', { MetricName: 'Invocations', Period: 3600 });
  });

  it.each([
    [
      'a name',
      'stage-drift/slack',
      'arn:<AWS::Partition>:secretsmanager:<AWS::Region>:<AWS::AccountId>:secret:stage-drift/slack-??????',
    ],
    [
      'a complete ARN',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:stage-drift/slack-AbC123',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:stage-drift/slack-AbC123',
    ],
    [
      'a partial ARN',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack',
      'arn:aws:secretsmanager:eu-west-1:111122223333:secret:slack-??????',
    ],
  ])('lets the publish function read the Slack secret given as %s, and no other', (_, secret, resource) => {
    const { template } = synthMonitor({ slackWebhookSecret: secret, slackMinSeverity: Severity.HIGH });
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorPublishFunctionRole');
    expect(roleStatements(template, roleId).filter((s) => s.includes('secretsmanager'))).toEqual([
      `Allow secretsmanager:DescribeSecret,secretsmanager:GetSecretValue on ${resource}`,
    ]);
    template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: {
        Variables: Match.objectLike({
          [PUBLISH_ENV.slackSecretArn]: Match.anyValue(),
          [PUBLISH_ENV.slackMinSeverity]: 'HIGH',
        }),
      },
    });
  });

  it('subscribes each email address to the drift topic once', () => {
    const { template } = synthMonitor({
      emailSubscriptions: ['ops@example.com', 'sec@example.com', 'ops@example.com'],
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'sec@example.com',
    });
  });

  it('sends the alarms to the operations topic when one is given', () => {
    const { template } = synthMonitor((stack) => ({
      operationsTopic: Topic.fromTopicArn(stack, 'Ops', 'arn:aws:sns:eu-west-1:111122223333:ops'),
    }));
    for (const alarm of Object.values(template.findResources('AWS::CloudWatch::Alarm'))) {
      expect(alarm.Properties.AlarmActions).toEqual(['arn:aws:sns:eu-west-1:111122223333:ops']);
    }
  });

  it('reuses an existing topic and table, granting on them instead of creating new ones', () => {
    const { template } = synthMonitor((stack) => ({
      existingTopic: Topic.fromTopicArn(stack, 'Drift', 'arn:aws:sns:eu-west-1:111122223333:drift'),
      existingTable: Table.fromTableAttributes(stack, 'Existing', {
        tableArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift',
        tableStreamArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
        encryptionKey: Key.fromKeyArn(
          stack,
          'ExistingKey',
          'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
        ),
      }),
    }));
    template.resourceCountIs('AWS::DynamoDB::Table', 0);
    template.resourceCountIs('AWS::SNS::Topic', 0);
    template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
      EventSourceArn: 'arn:aws:dynamodb:eu-west-1:111122223333:table/Drift/stream/2026-01-01T00:00:00.000',
    });
    const roleId = logicalId(template, 'AWS::IAM::Role', 'MonitorPublishFunctionRole');
    const statements = roleStatements(template, roleId);
    expect(statements).toContain('Allow sns:Publish on arn:aws:sns:eu-west-1:111122223333:drift');
    expect(statements).toContain(
      'Allow kms:Decrypt,kms:DescribeKey,kms:Encrypt,kms:GenerateDataKey* on arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    );
  });

  it('deletes the table and key, without deletion protection, when the removal policy is DESTROY', () => {
    const { template } = synthMonitor({ removalPolicy: RemovalPolicy.DESTROY, customerManagedKey: true });
    template.hasResource('AWS::DynamoDB::Table', {
      DeletionPolicy: 'Delete',
      Properties: Match.objectLike({ DeletionProtectionEnabled: false }),
    });
    template.hasResource('AWS::KMS::Key', { DeletionPolicy: 'Delete' });
  });
});
