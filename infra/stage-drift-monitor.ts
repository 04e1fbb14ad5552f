import { Duration, Names, RemovalPolicy, Stack } from 'aws-cdk-lib';
import type { Alarm } from 'aws-cdk-lib/aws-cloudwatch';
import { ComparisonOperator, Metric, TreatMissingData } from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import {
  AttributeType,
  BillingMode,
  ProjectionType,
  StreamViewType,
  Table,
  TableEncryption,
} from 'aws-cdk-lib/aws-dynamodb';
import type { EventPattern, IRuleTarget } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Effect, PolicyStatement, Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { FilterCriteria, StartingPosition } from 'aws-cdk-lib/aws-lambda';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import {
  ContextAttribute,
  Schedule,
  ScheduleExpression,
  ScheduleTargetInput,
} from 'aws-cdk-lib/aws-scheduler';
import { LambdaInvoke } from 'aws-cdk-lib/aws-scheduler-targets';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { QueueProps } from 'aws-cdk-lib/aws-sqs';
import { Queue, QueueEncryption } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
// Plain data: the two halves of the stage-change event pattern (CDK's EventPattern has no `$or`).
import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  WAF_STAGE_ASSOCIATION_PATTERN,
} from '../shared/attribution/cloudtrail-events';
import { ConfigError, ENV } from '../shared/config';
// Plain data: the filter the publish function is written for, and the table layout the store expects.
import { DRIFT_STREAM_FILTER } from '../shared/notify/stream-filter';
import { GSI1_NAME, tableDefinition, TTL_ATTRIBUTE } from '../shared/store/table-definition';
import { grantScanTableAccess, grantSendTo, grantTableKey } from './grants';
import { MonitorFunction } from './monitor-function';
import type { FanOutSettings, MonitorSettings } from './monitor-settings';
import { resolveMonitorSettings } from './monitor-settings';
import { acknowledge, acknowledgeWildcardAction, acknowledgeWildcardResource } from './nag-acknowledgements';
import {
  DELIVERY_PK_PREFIX,
  METRICS_NAMESPACE,
  PLANNER_ENTRY,
  PLANNER_SERVICE,
  PUBLISH_ENTRY,
  PUBLISH_ENV,
  PUBLISH_SERVICE,
  RESCAN_ENTRY,
  RESCAN_SERVICE,
  SNAPSHOT_ENTRY,
  SNAPSHOT_METRICS,
  SNAPSHOT_SERVICE,
} from './runtime-contract';
import type { StageDriftAlarms, StageDriftMonitorProps } from './stage-drift-monitor-props';

/** The API Gateway resources a scan reads: list APIs, list each API's stages (v1 and v2). */
export const API_GATEWAY_READ_PATHS = ['/restapis', '/restapis/*/stages', '/apis', '/apis/*/stages'] as const;
/**
 * An API id in an IAM resource: API Gateway's ids (REST, HTTP and WebSocket APIs alike) are 10
 * characters, and IAM's `?` matches exactly one. Not `*`, which also spans `/` and so would reach
 * every resource below an API (`/restapis/{id}/resources/...`, `/apis/{id}/routes/...`).
 */
export const API_ID_PATTERN = '?'.repeat(10);

/**
 * The API Gateway resources a targeted rescan reads: one API (GetRestApi, GetApi) and its stages
 * (GetStages), v1 and v2; never the API lists, and nothing below an API but its stage list.
 */
export const RESCAN_API_GATEWAY_READ_PATHS = [
  `/restapis/${API_ID_PATTERN}`,
  `/restapis/${API_ID_PATTERN}/stages`,
  `/apis/${API_ID_PATTERN}`,
  `/apis/${API_ID_PATTERN}/stages`,
] as const;

/** The publish function's alarm on the stream: its records wait longer than this, for 3 periods. */
export const ITERATOR_AGE_THRESHOLD = Duration.minutes(5);

/** Deliveries of a task message before it goes to the task dead-letter queue. */
export const TASK_MAX_RECEIVE_COUNT = 3;

/** Deliveries of a CloudTrail event message before it goes to the events dead-letter queue. */
export const EVENTS_MAX_RECEIVE_COUNT = 5;
/** Events read per invocation, and how long the queue gathers them first: one rescan per API per batch. */
export const EVENTS_BATCH_SIZE = 100;
export const EVENTS_BATCHING_WINDOW = Duration.seconds(20);
/**
 * Rescan batches in flight at once (the events mapping's maximum concurrency; 2 is the least SQS
 * allows). Bounded by the mapping, not by reserved concurrency: a mapping does not see reserved
 * concurrency and would be throttled by it, and a throttled batch waits out the visibility timeout.
 */
export const RESCAN_MAX_CONCURRENCY = 2;
/**
 * A batch is at most 100 events, in practice a few APIs at 2 calls each; 5 minutes leaves room for
 * the throttling deadline (120 s) on top, and keeps the events queue's visibility timeout at 30 minutes.
 */
export const RESCAN_TIMEOUT = Duration.minutes(5);

/**
 * The planner lists the OU tree and sends one message per account + region, ten per call: seconds
 * for thousands of tasks. Five minutes leaves room for Organizations' throttling retries.
 */
export const PLANNER_TIMEOUT = Duration.minutes(5);

/** Stream batches: retries before a batch (bisected down to one record) goes to the failure queue. */
export const STREAM_RETRY_ATTEMPTS = 3;

const ALARM_PERIOD = Duration.minutes(5);

/**
 * Watches API Gateway stages for drift: a scheduled snapshot function diffs every stage of the
 * configured regions against the last snapshot in DynamoDB and records each change as a drift
 * event; the table's stream feeds the publish function, which sends the events to SNS (and
 * Slack). Alarms watch the monitor itself.
 *
 * Two scans never run at once: the snapshot function has a reserved concurrency of 1 (in fan-out
 * mode, `maxConcurrentScans`, and FIFO groups keep each scope to one scan). A scan
 * spends the account's API Gateway management budget (10 requests/s per region, shared with every
 * deploy) and moves the latest-snapshot pointers; two at once would double the first and race on
 * the second. A scheduled run that finds the previous one still going waits in Lambda's
 * asynchronous queue (throttled) and is dropped after one schedule period, since the next run is
 * due by then.
 *
 * Event-driven rescans run in a function of their own, so a rescan never waits behind a full
 * scan: a rescan reads one API in 2 calls, and the store's conditional writes (the latest pointer
 * conditioned on the previous hash, deterministic event ids) make overlapping with a scan, or
 * with another rescan, safe.
 *
 * In fan-out mode the schedule invokes a planner function of its own, which lists the targets
 * (Organizations) and enqueues the tasks: the scanning function then carries no Organizations
 * client and its role has no Organizations permission, and the planner's role can list nothing
 * but the OU tree and send nothing but task messages (SendMessage and the key's producer
 * actions: grants.ts).
 */
export class StageDriftMonitor extends Construct {
  /** Snapshots, history, drift events and run records (layout: shared/store/README.md). */
  readonly table: ITable;
  /** Drift events as JSON with message attributes (and, by default, the alarm notifications). */
  readonly topic: ITopic;
  /** The scheduled scan; in fan-out mode, the consumer of the task queue. */
  readonly snapshotFunction: IFunction;
  /** Fan-out only: the schedule's target, which enqueues one task per account + region. */
  readonly plannerFunction?: IFunction;
  /** Event-driven rescans only: drains the events queue, one targeted rescan per API a batch names. */
  readonly rescanFunction?: IFunction;
  /** Stream of drift events -> SNS and Slack. */
  readonly publishFunction: IFunction;
  /** Stream batches the publish function could not deliver after its retries; watched by an alarm. */
  readonly failureQueue: IQueue;
  /** Encrypts the table, the topic and the failure queue (and the task queues). */
  readonly key: Key;
  /** The alarms that watch the monitor itself; each notifies the operations topic. */
  readonly alarms: StageDriftAlarms;
  /** Fan-out only: one message per account + region scan task (FIFO, one group per scope). */
  readonly taskQueue?: IQueue;
  /** Fan-out only: task messages that failed their retries; watched by an alarm. */
  readonly taskDeadLetterQueue?: IQueue;
  /** Event-driven rescans only: CloudTrail events of stage changes, drained by the rescan function. */
  readonly eventsQueue?: IQueue;
  /** Event-driven rescans only: event messages that failed their retries; watched by an alarm. */
  readonly eventsDeadLetterQueue?: IQueue;
  /**
   * Event-driven rescans only: events the two rules could not deliver to the events queue (the
   * rules' target dead-letter queue); watched by an alarm.
   */
  readonly eventTargetDeadLetterQueue?: IQueue;
  /**
   * The roles that assume the member accounts' reader roles: trust exactly these in
   * `StageDriftReaderRole` (`monitorRoleArns`; the stack outputs them as `ScanningRoleArns`).
   */
  readonly scanningRoles: IRole[];

  constructor(scope: Construct, id: string, props: StageDriftMonitorProps = {}) {
    super(scope, id);
    const settings = resolveMonitorSettings(this, props);

    this.key = new Key(this, 'Key', {
      description: 'stage-drift: encrypts the snapshot table, the drift topic and the failure queue',
      enableKeyRotation: true,
      // The key must outlive a retained table, or the table's history becomes unreadable.
      removalPolicy: settings.removalPolicy,
    });
    this.allowAlarmsToUseKey();

    this.table = props.existingTable ?? this.createTable(settings);
    if (this.table.tableStreamArn === undefined) {
      throw new ConfigError(
        'existingTable',
        'the table was imported without its stream: import it with ' +
          "Table.fromTableAttributes(this, 'Table', { tableArn, tableStreamArn }) and make sure its stream " +
          'is enabled with NEW_IMAGE (or NEW_AND_OLD_IMAGES)',
      );
    }
    this.topic = props.existingTopic ?? this.createTopic();
    for (const email of settings.emailSubscriptions) this.topic.addSubscription(new EmailSubscription(email));
    this.failureQueue = this.createFailureQueue();
    if (settings.fanOut) {
      this.taskDeadLetterQueue = this.createTaskDeadLetterQueue();
      this.taskQueue = this.createTaskQueue(this.taskDeadLetterQueue);
    }

    if (settings.eventDrivenRescans) {
      this.eventsDeadLetterQueue = this.createEventsDeadLetterQueue();
      this.eventsQueue = this.createEventsQueue(this.eventsDeadLetterQueue);
      this.eventTargetDeadLetterQueue = this.createEventTargetDeadLetterQueue();
    }

    const snapshot = this.createSnapshotFunction(settings);
    this.snapshotFunction = snapshot.function;
    // Only the snapshot function assumes reader roles (in fan-out mode); a rescan reads this account.
    this.scanningRoles = [snapshot.role];
    const planner =
      settings.fanOut && this.taskQueue
        ? this.createPlannerFunction(settings, settings.fanOut, this.taskQueue)
        : undefined;
    this.plannerFunction = planner?.function;
    this.createSchedule(settings, planner ?? snapshot);
    if (this.eventsQueue && this.eventTargetDeadLetterQueue) {
      this.rescanFunction = this.configureEventDrivenRescans(
        settings,
        this.eventsQueue,
        this.eventTargetDeadLetterQueue,
      ).function;
    }
    const publish = this.createPublishFunction(settings);
    this.publishFunction = publish.function;

    this.alarms = this.createAlarms(settings, props.operationsTopic ?? this.topic);
  }

  private createTable(settings: MonitorSettings): Table {
    // The layout the store expects, read from its own definition so the two cannot diverge.
    const definition = tableDefinition('unused');
    const keyOf = (
      schema: readonly { AttributeName?: string; KeyType?: string }[] | undefined,
      type: string,
    ) => {
      const name = schema?.find((k) => k.KeyType === type)?.AttributeName;
      if (name === undefined) throw new Error(`tableDefinition() has no ${type} key`);
      return { name, type: AttributeType.STRING };
    };
    const removal = settings.removalPolicy;
    const table = new Table(this, 'Table', {
      partitionKey: keyOf(definition.KeySchema, 'HASH'),
      sortKey: keyOf(definition.KeySchema, 'RANGE'),
      billingMode: BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      stream: StreamViewType.NEW_IMAGE,
      timeToLiveAttribute: TTL_ATTRIBUTE,
      encryption: TableEncryption.CUSTOMER_MANAGED,
      encryptionKey: this.key,
      removalPolicy: removal,
      deletionProtection: removal !== RemovalPolicy.DESTROY,
    });
    for (const index of definition.GlobalSecondaryIndexes ?? []) {
      if (index.IndexName !== GSI1_NAME || index.Projection?.ProjectionType !== 'ALL') {
        throw new Error(`tableDefinition() has an index the construct does not know: ${index.IndexName}`);
      }
      table.addGlobalSecondaryIndex({
        indexName: GSI1_NAME,
        partitionKey: keyOf(index.KeySchema, 'HASH'),
        sortKey: keyOf(index.KeySchema, 'RANGE'),
        projectionType: ProjectionType.ALL,
      });
    }
    return table;
  }

  private createTopic(): Topic {
    const topic = new Topic(this, 'Topic', {
      displayName: 'stage-drift',
      masterKey: this.key,
      enforceSSL: true,
      signatureVersion: '2',
    });
    // enforceSSL replaces SNS's default access policy, so the account's alarms need their own
    // statement to publish (the alarms of this monitor use the topic unless operationsTopic is set).
    const stack = Stack.of(this);
    topic.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowAccountAlarmsToPublish',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [topic.topicArn],
        conditions: {
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
    return topic;
  }

  /**
   * CloudWatch alarms publish to an encrypted topic only if the key lets them: this account's
   * alarms in this region (the topic policy's pattern). Not the alarms by ARN: their names are
   * CloudFormation's, and naming them here would be a cycle (key -> alarms -> topic -> key).
   */
  private allowAlarmsToUseKey(): void {
    const stack = Stack.of(this);
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowCloudWatchAlarmsToPublishToEncryptedTopics',
        principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
        // In a key policy, "*" means this key.
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnLike: {
            'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
          },
        },
      }),
    );
  }

  private createFailureQueue(): Queue {
    return this.createDeadLetterQueue(
      'FailureQueue',
      {},
      'This queue is itself the dead-letter destination: the on-failure destination of the drift stream ' +
        'and of the publish function. Nothing consumes it automatically, so a dead-letter queue behind it ' +
        'would never receive a message; an alarm fires on its first visible message and an operator ' +
        'inspects and replays the events (they stay in the table), within its 14-day retention.',
    );
  }

  /** Every queue of the monitor: encrypted with the monitor's key, TLS only. */
  private createQueue(id: string, props: QueueProps): Queue {
    return new Queue(this, id, {
      ...props,
      encryption: QueueEncryption.KMS,
      encryptionMasterKey: this.key,
      enforceSSL: true,
    });
  }

  /**
   * A queue nothing consumes automatically (14-day retention, an alarm on its first message), so a
   * dead-letter queue behind it would never receive anything: SQS3 acknowledged with `reason`.
   */
  private createDeadLetterQueue(id: string, props: QueueProps, reason: string): Queue {
    const queue = this.createQueue(id, { ...props, retentionPeriod: Duration.days(14) });
    acknowledge(queue, 'SQS3', reason);
    return queue;
  }

  /** The settings both scanning functions read (`ENV` of shared/config): the table, budget, regions, diff. */
  private scanEnvironment(settings: MonitorSettings): Record<string, string> {
    const { scan } = settings;
    const environment: Record<string, string> = {
      [ENV.table]: this.table.tableName,
      [ENV.requestsPerSecond]: String(scan.requestsPerSecond),
      [ENV.burst]: String(scan.burst),
      [ENV.concurrency]: String(scan.concurrency),
      [ENV.retentionDays]: String(scan.retentionDays),
    };
    if (settings.regions !== undefined) environment[ENV.regions] = settings.regions.join(',');
    if (scan.severityOverrides.length > 0)
      environment[ENV.severityOverrides] = JSON.stringify(scan.severityOverrides);
    if (Object.keys(scan.ignore).length > 0) environment[ENV.ignore] = JSON.stringify(scan.ignore);
    if (scan.revealVariables.length > 0) environment[ENV.revealVariables] = scan.revealVariables.join(',');
    if (scan.outOfBand !== 'off') environment[ENV.outOfBand] = scan.outOfBand;
    return environment;
  }

  /** `paths` in every configured region, as API Gateway ARNs. */
  private apiGatewayResources(settings: MonitorSettings, paths: readonly string[]): string[] {
    const partition = Stack.of(this).partition;
    return settings.iamRegions.flatMap((region) =>
      paths.map((p) => `arn:${partition}:apigateway:${region}::${p}`),
    );
  }

  private createSnapshotFunction(settings: MonitorSettings): MonitorFunction {
    const environment = this.scanEnvironment(settings);
    const { fanOut } = settings;
    if (fanOut && this.taskQueue) {
      // The consumer's settings: the queue for continuations, the external id for AssumeRole, and
      // the targets, so a task naming an account, OU member or role not configured is refused.
      environment[ENV.taskQueueUrl] = this.taskQueue.queueUrl;
      environment[ENV.readerRoleName] = fanOut.readerRoleName;
      if (fanOut.externalId) environment[ENV.externalId] = fanOut.externalId;
      if (fanOut.targetAccounts.length > 0) environment[ENV.targetAccounts] = fanOut.targetAccounts.join(',');
      if (fanOut.targetOrganizationalUnit)
        environment[ENV.targetOrganizationalUnit] = fanOut.targetOrganizationalUnit;
    }

    const snapshot = new MonitorFunction(this, 'SnapshotFunction', {
      entry: SNAPSHOT_ENTRY,
      description: 'stage-drift: scans API Gateway stages and records drift',
      serviceName: SNAPSHOT_SERVICE,
      timeout: Duration.minutes(15),
      memorySize: 512,
      environment,
      logRetention: settings.logRetention,
      // Two scans of one scope never run at once (see the class documentation). Fan-out: the tasks,
      // at most maxConcurrentScans (FIFO groups keep each scope to one); the planner has its own.
      reservedConcurrentExecutions: fanOut ? fanOut.maxConcurrentScans : 1,
    });

    const apiGatewayResources = this.apiGatewayResources(settings, API_GATEWAY_READ_PATHS);
    snapshot.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadApiGatewayStages',
        actions: ['apigateway:GET'],
        resources: apiGatewayResources,
      }),
    );
    grantScanTableAccess(snapshot.role, this.table);
    // Attribution of the scheduled scan: who changed a stage, from CloudTrail event history
    // (shared/scan/attribute-drifts.ts). A rescan attributes from its triggering records instead.
    snapshot.allowOnEveryResource(
      'LookupEventsPolicy',
      { sid: 'LookupCloudTrailEvents', actions: ['cloudtrail:LookupEvents'] },
      'cloudtrail:LookupEvents has no resource-level permissions (the Service Authorization Reference ' +
        'lists no resource type for it), so it is granted on *; it reads event history only, for attribution.',
    );

    for (const resource of apiGatewayResources.filter((r) => r.includes('*'))) {
      acknowledgeWildcardResource(
        snapshot,
        resource,
        'API Gateway names stages under their API id (/restapis/{id}/stages, /apis/{id}/stages). The scan ' +
          'lists every API first and then reads the stages of each, so the API id is a wildcard; the ' +
          'action is apigateway:GET only, in the configured regions only.',
      );
    }
    this.acknowledgeKeyGrant(snapshot, 'the snapshot table');
    if (fanOut && this.taskQueue) this.configureFanOut(snapshot, fanOut, this.taskQueue);
    return snapshot;
  }

  /**
   * The schedule and its role: every period it invokes `target` (the snapshot function, or in
   * fan-out mode the planner). A failed run is not retried by Lambda: the next scheduled run is the
   * retry, and the errors alarm reports the failure. A run throttled behind a running one expires
   * after one period.
   */
  private createSchedule(settings: MonitorSettings, target: MonitorFunction): void {
    const fn = target.function;
    const fanOut = settings.fanOut !== undefined;
    fn.configureAsyncInvoke({
      retryAttempts: 0,
      maxEventAge: clampDuration(settings.schedule, Duration.minutes(1), Duration.hours(6)),
    });
    // The scheduler's role, here rather than CDK's shared one at the stack root, so it and its
    // acknowledgement travel with the construct. Trust: the account's default schedule group only.
    const stack = Stack.of(this);
    const scheduleRole = new Role(this, 'ScheduleRole', {
      description: `EventBridge Scheduler: invokes the stage-drift ${fanOut ? 'planner' : 'snapshot'} function`,
      assumedBy: new ServicePrincipal('scheduler.amazonaws.com', {
        conditions: {
          StringEquals: {
            'aws:SourceAccount': stack.account,
            'aws:SourceArn': `arn:${stack.partition}:scheduler:${stack.region}:${stack.account}:schedule-group/default`,
          },
        },
      }),
    });
    new Schedule(this, 'Schedule', {
      description: 'stage-drift: scheduled scan of API Gateway stages',
      schedule: ScheduleExpression.rate(settings.schedule),
      target: new LambdaInvoke(fn, {
        role: scheduleRole,
        // Fan-out: the scheduled time names the tick (the task messages' deduplication ids).
        input: ScheduleTargetInput.fromObject({
          source: 'stage-drift.schedule',
          ...(fanOut ? { scheduledTime: ContextAttribute.scheduledTime } : {}),
        }),
        // Only the hand-off to Lambda's queue is retried here (cheap and idempotent); a hand-off
        // older than one period is pointless, the next run is due.
        retryAttempts: 2,
        maxEventAge: settings.schedule,
      }),
    });

    acknowledgeWildcardResource(
      scheduleRole,
      `${fn.functionArn}:*`,
      "LambdaInvoke's grant covers the function and its versions and aliases (<arn>:*); it is " +
        `lambda:InvokeFunction on the ${fanOut ? 'planner' : 'snapshot'} function only, and the role ` +
        "trusts only this account's default schedule group.",
    );
  }

  /**
   * Fan-out only: the schedule's target. It lists the targets (the OU tree, with an OU) and
   * enqueues one task per account + region; its role can do nothing else: no API Gateway, table,
   * CloudTrail or STS access. Reserved concurrency 1: one plan at a time (a retried tick
   * enqueues nothing twice anyway: the deduplication ids name the tick).
   */
  private createPlannerFunction(
    settings: MonitorSettings,
    fanOut: FanOutSettings,
    taskQueue: IQueue,
  ): MonitorFunction {
    // The table's name only because the shared settings loader requires it; the role cannot touch it.
    const environment: Record<string, string> = {
      [ENV.table]: this.table.tableName,
      [ENV.taskQueueUrl]: taskQueue.queueUrl,
      [ENV.readerRoleName]: fanOut.readerRoleName,
    };
    if (settings.regions !== undefined) environment[ENV.regions] = settings.regions.join(',');
    if (fanOut.targetAccounts.length > 0) environment[ENV.targetAccounts] = fanOut.targetAccounts.join(',');
    if (fanOut.targetOrganizationalUnit)
      environment[ENV.targetOrganizationalUnit] = fanOut.targetOrganizationalUnit;

    const planner = new MonitorFunction(this, 'PlannerFunction', {
      entry: PLANNER_ENTRY,
      description: 'stage-drift: plans one scan task per account and region (fan-out)',
      serviceName: PLANNER_SERVICE,
      timeout: PLANNER_TIMEOUT,
      memorySize: 256,
      environment,
      logRetention: settings.logRetention,
      reservedConcurrentExecutions: 1,
    });
    grantSendTo(planner.role, taskQueue);
    const ou = fanOut.targetOrganizationalUnit;
    if (ou) {
      planner.allowOnEveryResource(
        'ListOrganizationalUnitAccountsPolicy',
        {
          sid: 'ListOrganizationalUnitAccounts',
          actions: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'],
        },
        `organizations:ListAccountsForParent and ListOrganizationalUnitsForParent, called on ${ou} and the ` +
          'OUs below it to resolve their accounts, have no resource-level permissions (the Service ' +
          'Authorization Reference lists no resource type for them), so they are granted on *. Both are ' +
          'read-only and list account and OU ids and names only.',
      );
    }
    return planner;
  }

  /** Event dead letters: same key and retention as the failure queue. */
  private createEventsDeadLetterQueue(): Queue {
    return this.createDeadLetterQueue(
      'EventsDeadLetterQueue',
      {},
      'This queue is itself the dead-letter queue of the CloudTrail events queue. Nothing consumes it: an ' +
        'alarm fires on its first visible message, and the scheduled full scan finds the change anyway.',
    );
  }

  /**
   * CloudTrail events of stage changes (standard queue: order does not matter, a rescan reads the
   * current state). The visibility timeout is six times the rescan function's (AWS's guidance for
   * Lambda event sources); an event older than a day is stale, the scheduled scan has seen the change.
   */
  private createEventsQueue(deadLetterQueue: IQueue): Queue {
    return this.createQueue('EventsQueue', {
      visibilityTimeout: Duration.seconds(RESCAN_TIMEOUT.toSeconds() * 6),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: EVENTS_MAX_RECEIVE_COUNT },
    });
  }

  /**
   * Events the two rules could not deliver to the events queue, once EventBridge's own retries
   * (up to a day) run out: same key and retention as the failure queue.
   */
  private createEventTargetDeadLetterQueue(): Queue {
    return this.createDeadLetterQueue(
      'EventTargetDeadLetterQueue',
      {},
      "This queue is itself the dead-letter queue of the stage-change rules' target. Nothing consumes it: an " +
        'alarm fires on its first visible message, and the scheduled full scan finds the change anyway.',
    );
  }

  /**
   * Two rules (the two halves of STAGE_CHANGE_EVENT_PATTERN: CDK's EventPattern has no `$or`) send
   * stage-change events to the queue; the rescan function reads up to 100 at a time after
   * gathering them for 20 s, which is what turns a deploy's burst into one rescan per API. An
   * event a rule cannot deliver goes to `targetDeadLetterQueue` (alarmed), not nowhere.
   *
   * The target is written here rather than with CDK's `SqsQueue`, whose grant on a KMS-encrypted
   * queue lets any rule of any account use the key and send to the queue: only these two rules may.
   * A forged "CloudTrail" event from another rule could otherwise claim a console edit was a
   * CloudFormation deploy (and, in out-of-band mode, hide it).
   */
  private configureEventDrivenRescans(
    settings: MonitorSettings,
    queue: IQueue,
    targetDeadLetterQueue: IQueue,
  ): MonitorFunction {
    const stack = Stack.of(this);
    const target: IRuleTarget = {
      bind: () => ({
        arn: queue.queueArn,
        targetResource: queue,
        deadLetterConfig: { arn: targetDeadLetterQueue.queueArn },
      }),
    };
    // Names of the construct's own, not CloudFormation's: the key policy names the rules by ARN, and
    // a reference to the rules there would be a cycle (key -> rules -> queue -> key).
    const ruleName = (suffix: string) =>
      `${Names.uniqueResourceName(this, { maxLength: 63 - suffix.length })}-${suffix}`;
    const specs = [
      {
        id: 'StageCallsRule',
        ruleName: ruleName('StageCalls'),
        description: 'stage-drift: API Gateway calls that change stages (CloudTrail) -> targeted rescan',
        eventPattern: API_GATEWAY_STAGE_CALLS_PATTERN,
      },
      {
        id: 'WafAssociationRule',
        ruleName: ruleName('WafAssociations'),
        description:
          'stage-drift: WAF web ACL (dis)associations on API Gateway stages (CloudTrail) -> targeted rescan',
        eventPattern: WAF_STAGE_ASSOCIATION_PATTERN,
      },
    ];
    const rules = specs.map(
      ({ id, eventPattern, ...props }) =>
        new Rule(this, id, {
          ...props,
          eventPattern: eventPattern as unknown as EventPattern,
          targets: [target],
        }),
    );
    const events = new ServicePrincipal('events.amazonaws.com');
    const ruleArns = rules.map((rule) => rule.ruleArn);
    for (const [q, sid] of [
      [queue, 'AllowTheStageChangeRules'],
      [targetDeadLetterQueue, 'AllowTheStageChangeRulesDeadLetters'],
    ] as const) {
      q.addToResourcePolicy(
        new PolicyStatement({
          sid,
          principals: [events],
          actions: ['sqs:SendMessage'],
          resources: [q.queueArn],
          conditions: { ArnEquals: { 'aws:SourceArn': ruleArns } },
        }),
      );
    }
    // And should an unconditioned grant ever be added (CDK's SqsQueue target), it still does not apply.
    queue.addToResourcePolicy(
      new PolicyStatement({
        sid: 'OnlyTheStageChangeRules',
        effect: Effect.DENY,
        principals: [events],
        actions: ['sqs:SendMessage'],
        resources: [queue.queueArn],
        conditions: { ArnNotEquals: { 'aws:SourceArn': ruleArns } },
      }),
    );
    // EventBridge encrypts what it sends to both queues with the key (an SQS producer's two actions).
    this.key.addToResourcePolicy(
      new PolicyStatement({
        sid: 'AllowTheStageChangeRulesToSendToEncryptedQueues',
        principals: [events],
        actions: ['kms:Decrypt', 'kms:GenerateDataKey'],
        // In a key policy, "*" means this key.
        resources: ['*'],
        conditions: {
          StringEquals: { 'aws:SourceAccount': stack.account },
          ArnEquals: {
            'aws:SourceArn': specs.map((spec) =>
              stack.formatArn({ service: 'events', resource: 'rule', resourceName: spec.ruleName }),
            ),
          },
        },
      }),
    );
    return this.createRescanFunction(settings, queue);
  }

  /**
   * The consumer of the events queue: the same scan modules as the snapshot function, its own
   * handler, log group, role and errors alarm. No reserved concurrency (the mapping bounds it,
   * see RESCAN_MAX_CONCURRENCY), so it takes nothing from the account's unreserved pool. Its
   * role reads single APIs and their stages, never the API lists, and has no CloudTrail access.
   */
  private createRescanFunction(settings: MonitorSettings, queue: IQueue): MonitorFunction {
    const rescan = new MonitorFunction(this, 'RescanFunction', {
      entry: RESCAN_ENTRY,
      description: 'stage-drift: rescans the APIs named by CloudTrail stage-change events',
      serviceName: RESCAN_SERVICE,
      timeout: RESCAN_TIMEOUT,
      // As the snapshot function: the same diff and normalize work, and a fast cold start.
      memorySize: 512,
      environment: { ...this.scanEnvironment(settings), [ENV.eventsQueueArn]: queue.queueArn },
      logRetention: settings.logRetention,
    });
    const fn = rescan.function;
    fn.addEventSource(
      new SqsEventSource(queue, {
        batchSize: EVENTS_BATCH_SIZE,
        maxBatchingWindow: EVENTS_BATCHING_WINDOW,
        maxConcurrency: RESCAN_MAX_CONCURRENCY,
        reportBatchItemFailures: true,
      }),
    );
    const apiGatewayResources = this.apiGatewayResources(settings, RESCAN_API_GATEWAY_READ_PATHS);
    rescan.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadApiGatewayApisAndStages',
        actions: ['apigateway:GET'],
        resources: apiGatewayResources,
      }),
    );
    grantScanTableAccess(rescan.role, this.table);
    this.acknowledgeKeyGrant(rescan, 'the snapshot table');
    return rescan;
  }

  /** Task dead letters: FIFO like the task queue (SQS requires it), same key, same retention as the failure queue. */
  private createTaskDeadLetterQueue(): Queue {
    return this.createDeadLetterQueue(
      'TaskDeadLetterQueue',
      { fifo: true },
      'This queue is itself the dead-letter queue of the task queue. Nothing consumes it: an alarm fires on ' +
        'its first visible message, and the next schedule tick plans the scope again anyway.',
    );
  }

  /**
   * One message per account + region task. FIFO with one message group per scope, so two scans of
   * one scope never run at once and a continuation runs after its chunk. The visibility timeout is
   * six times the function's (AWS's guidance for Lambda event sources); a message that fails three
   * times goes to the dead-letter queue. A task older than a day is stale: ticks come every period.
   */
  private createTaskQueue(deadLetterQueue: IQueue): Queue {
    return this.createQueue('TaskQueue', {
      fifo: true,
      contentBasedDeduplication: false,
      visibilityTimeout: Duration.minutes(90),
      retentionPeriod: Duration.days(1),
      deadLetterQueue: { queue: deadLetterQueue, maxReceiveCount: TASK_MAX_RECEIVE_COUNT },
    });
  }

  /**
   * The consumer side of the fan-out and the permissions it needs: consume the task queue,
   * enqueue continuations, assume the reader roles. Listing the OU is the planner's.
   */
  private configureFanOut(snapshot: MonitorFunction, fanOut: FanOutSettings, taskQueue: IQueue): void {
    const fn = snapshot.function;
    fn.addEventSource(
      new SqsEventSource(taskQueue, {
        batchSize: 1,
        maxConcurrency: fanOut.maxConcurrentScans,
        reportBatchItemFailures: true,
      }),
    );
    // Continuations (a chunk that ran out of time) go on the queue the tasks came from.
    grantSendTo(snapshot.role, taskQueue);

    const stack = Stack.of(this);
    const roleArn = (account: string) =>
      `arn:${stack.partition}:iam::${account}:role/${fanOut.readerRoleName}`;
    const accounts = fanOut.targetAccounts.filter((account) => account !== stack.account);
    if (accounts.length > 0) {
      snapshot.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeReaderRoles',
          actions: ['sts:AssumeRole'],
          resources: accounts.map(roleArn),
        }),
      );
    }
    if (fanOut.targetOrganizationalUnit) {
      const ou = fanOut.targetOrganizationalUnit;
      // The OU's accounts are known only at run time: the reader role in any account, but only
      // one that belongs to the OU (or a child OU) by its organization path.
      snapshot.role.addToPrincipalPolicy(
        new PolicyStatement({
          sid: 'AssumeReaderRolesInOrganizationalUnit',
          actions: ['sts:AssumeRole'],
          resources: [roleArn('*')],
          conditions: { 'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': [`*/${ou}/*`] } },
        }),
      );
      acknowledgeWildcardResource(
        snapshot,
        roleArn('*'),
        `The accounts of ${ou} are resolved at run time, so the account is a wildcard; the statement is ` +
          'sts:AssumeRole on the reader role name only, and only for a role whose account is in that OU ' +
          '(aws:ResourceOrgPaths). Each reader role also trusts only this account, with the external id.',
      );
    }
  }

  private createPublishFunction(settings: MonitorSettings): MonitorFunction {
    const secret = this.importSlackSecret(settings);
    const environment: Record<string, string> = {
      [PUBLISH_ENV.topicArn]: this.topic.topicArn,
      [PUBLISH_ENV.table]: this.table.tableName,
      [PUBLISH_ENV.slackMinSeverity]: settings.slackMinSeverity,
      [PUBLISH_ENV.digestThreshold]: String(settings.slackDigestThreshold),
      [PUBLISH_ENV.failureQueueUrl]: this.failureQueue.queueUrl,
    };
    if (secret) environment[PUBLISH_ENV.slackSecretArn] = secret.secretArn;

    const publish = new MonitorFunction(this, 'PublishFunction', {
      entry: PUBLISH_ENTRY,
      description: 'stage-drift: publishes drift events to SNS and Slack',
      serviceName: PUBLISH_SERVICE,
      // Slack pacing (1 msg/s) and Retry-After waits (up to 30 s, 3 times) must fit in one invocation.
      timeout: Duration.minutes(5),
      memorySize: 256,
      environment,
      logRetention: settings.logRetention,
    });
    const fn = publish.function;
    this.addDriftStream(publish);
    this.topic.grantPublish(fn);
    secret?.grantRead(fn);
    // The function's own sends and the mapping's on-failure destination, both with the role.
    grantSendTo(publish.role, this.failureQueue);
    // Delivery marks (one item per delivered event and channel, `PK = DELIVERY#<eventId>`): batch
    // read and conditional put, on those items only. The LeadingKeys condition keeps the function
    // away from snapshots, history and drift events, which it reads from the stream alone.
    publish.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadWriteDeliveryMarks',
        actions: ['dynamodb:BatchGetItem', 'dynamodb:PutItem'],
        resources: [this.table.tableArn],
        conditions: { 'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [`${DELIVERY_PK_PREFIX}*`] } },
      }),
    );
    grantTableKey(publish.role, this.table);
    this.acknowledgeKeyGrant(publish, 'the table, its stream and the topic');
    return publish;
  }

  /**
   * The stream of drift events -> the publish function, as CDK's `DynamoEventSource` sets it up
   * (the same construct id, so the same mapping) but with its grants written here: the stream
   * reads on this stream, `dynamodb:ListStreams` (no resource-level permissions) in a policy of
   * its own, and the failure queue as the on-failure destination without CDK's SQS grant.
   */
  private addDriftStream(publish: MonitorFunction): void {
    const streamArn = this.table.tableStreamArn;
    if (streamArn === undefined) throw new Error('the table has no stream (checked in the constructor)');
    const failureQueue = this.failureQueue;
    publish.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadDriftStream',
        actions: ['dynamodb:DescribeStream', 'dynamodb:GetRecords', 'dynamodb:GetShardIterator'],
        resources: [streamArn],
      }),
    );
    publish.allowOnEveryResource(
      'ListStreamsPolicy',
      { sid: 'ListStreams', actions: ['dynamodb:ListStreams'] },
      'dynamodb:ListStreams, which the stream event source mapping calls, cannot be scoped to a resource ' +
        '(AWS does not support resource-level permissions for it); it lists stream ARNs only. Reading ' +
        'records is scoped to this table’s stream.',
    );
    publish.function.addEventSourceMapping(`DynamoDBEventSource:${Names.nodeUniqueId(this.table.node)}`, {
      eventSourceArn: streamArn,
      startingPosition: StartingPosition.TRIM_HORIZON,
      batchSize: 25,
      filters: [FilterCriteria.filter(DRIFT_STREAM_FILTER)],
      bisectBatchOnError: true,
      retryAttempts: STREAM_RETRY_ATTEMPTS,
      reportBatchItemFailures: true,
      onFailure: { bind: () => ({ destination: failureQueue.queueArn }) },
    });
  }

  private importSlackSecret(settings: MonitorSettings): ISecret | undefined {
    const ref = settings.slackSecret;
    if (ref === undefined) return undefined;
    switch (ref.kind) {
      case 'name':
        return Secret.fromSecretNameV2(this, 'SlackWebhookSecret', ref.name);
      case 'completeArn':
        return Secret.fromSecretCompleteArn(this, 'SlackWebhookSecret', ref.arn);
      case 'partialArn':
        return Secret.fromSecretPartialArn(this, 'SlackWebhookSecret', ref.arn);
    }
  }

  /**
   * CDK's KMS grants of SNS publishing and the hand-written table key grant (grants.ts) name
   * `kms:GenerateDataKey*`, on the monitor's own key only.
   */
  private acknowledgeKeyGrant(fn: MonitorFunction, what: string): void {
    acknowledgeWildcardAction(
      fn,
      'kms:GenerateDataKey*',
      `The KMS grant for ${what}, on the monitor's key only: DynamoDB and SNS ask KMS for data keys with ` +
        'GenerateDataKey or GenerateDataKeyWithoutPlaintext, which the suffix wildcard covers; it also spans ' +
        'GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext, which no code here calls. No ' +
        'kms:ReEncrypt*: nothing re-encrypts, and key rotation keeps the old key material.',
    );
  }

  private createAlarms(settings: MonitorSettings, operationsTopic: ITopic): StageDriftAlarms {
    const snapshotMetric = (metricName: string, period: Duration) =>
      new Metric({
        namespace: METRICS_NAMESPACE,
        metricName,
        dimensionsMap: { service: SNAPSHOT_SERVICE },
        statistic: 'Sum',
        period,
      });
    const atLeastOnce = {
      threshold: 1,
      evaluationPeriods: 1,
      comparisonOperator: ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      treatMissingData: TreatMissingData.NOT_BREACHING,
    };
    /** A function failed (an error or a timeout) at least once in 5 minutes. */
    const errorsOf = (fn: IFunction, id: string, alarmDescription: string) =>
      fn.metricErrors({ period: ALARM_PERIOD }).createAlarm(this, id, { ...atLeastOnce, alarmDescription });
    /** A message is visible in a queue nothing consumes (the dead letters). */
    const visibleIn = (queue: IQueue, id: string, alarmDescription: string) =>
      queue
        .metricApproximateNumberOfMessagesVisible({ period: ALARM_PERIOD, statistic: 'Maximum' })
        .createAlarm(this, id, { ...atLeastOnce, alarmDescription });
    const alarms = {
      snapshotErrors: errorsOf(
        this.snapshotFunction,
        'SnapshotErrorsAlarm',
        'stage-drift: the snapshot function failed (error or timeout). See its log group.',
      ),
      publishErrors: errorsOf(
        this.publishFunction,
        'PublishErrorsAlarm',
        'stage-drift: the publish function failed; its batch is retried, then sent to the failure queue.',
      ),
      publishIteratorAge: this.publishFunction
        .metric('IteratorAge', { period: ALARM_PERIOD, statistic: 'Maximum' })
        .createAlarm(this, 'PublishIteratorAgeAlarm', {
          threshold: ITERATOR_AGE_THRESHOLD.toMilliseconds(),
          comparisonOperator: ComparisonOperator.GREATER_THAN_THRESHOLD,
          evaluationPeriods: 3,
          datapointsToAlarm: 3,
          // No stream records, no datapoints: nothing is behind.
          treatMissingData: TreatMissingData.NOT_BREACHING,
          alarmDescription:
            `stage-drift: the publish function is behind the drift stream: its oldest record has waited over ` +
            `${ITERATOR_AGE_THRESHOLD.toHumanString()} for 15 minutes, so drift alerts are late (records older ` +
            'than 24 hours leave the stream; the events stay in the table). See its log group and throttles.',
        }),
      failureQueueMessages: visibleIn(
        this.failureQueue,
        'FailureQueueAlarm',
        'stage-drift: drift events could not be delivered and wait in the failure queue (the events stay in the table).',
      ),
      scanFailures: snapshotMetric(SNAPSHOT_METRICS.scanFailures, settings.schedule).createAlarm(
        this,
        'ScanFailuresAlarm',
        {
          ...atLeastOnce,
          alarmDescription:
            'stage-drift: a scan could not read an API or a region (e.g. throttling retries exhausted); ' +
            'its stages keep their previous snapshots.',
        },
      ),
      heartbeat: snapshotMetric(SNAPSHOT_METRICS.scanCompleted, settings.schedule).createAlarm(
        this,
        'HeartbeatAlarm',
        {
          threshold: 1,
          comparisonOperator: ComparisonOperator.LESS_THAN_THRESHOLD,
          evaluationPeriods: 2,
          datapointsToAlarm: 2,
          treatMissingData: TreatMissingData.BREACHING,
          alarmDescription: `stage-drift: no scan has finished for two schedule periods (${settings.schedule.toHumanString()} each).`,
        },
      ),
    };
    const plannerErrors =
      this.plannerFunction &&
      errorsOf(
        this.plannerFunction,
        'PlannerErrorsAlarm',
        'stage-drift: the planner function failed (error or timeout): some or all scan tasks of that tick ' +
          'were not enqueued (the next tick plans again). See its log group.',
      );
    const rescanErrors =
      this.rescanFunction &&
      errorsOf(
        this.rescanFunction,
        'RescanErrorsAlarm',
        'stage-drift: the rescan function failed (error or timeout); its batch of CloudTrail events is ' +
          'retried, then dead-lettered (the scheduled scan still sees the change). See its log group.',
      );
    const eventDeadLetters =
      this.eventsDeadLetterQueue &&
      visibleIn(
        this.eventsDeadLetterQueue,
        'EventsDeadLetterAlarm',
        'stage-drift: a CloudTrail event could not be rescanned after its retries and waits in the events ' +
          'dead-letter queue (the scheduled scan still sees the change; see the rescan log).',
      );
    const eventTargetDeadLetters =
      this.eventTargetDeadLetterQueue &&
      visibleIn(
        this.eventTargetDeadLetterQueue,
        'EventTargetDeadLetterAlarm',
        'stage-drift: a stage-change rule could not deliver a CloudTrail event to the events queue (e.g. the ' +
          'queue or its key refused it); the event waits in the rule target dead-letter queue with the error ' +
          'in its attributes (the scheduled scan still sees the change).',
      );
    const taskDeadLetters =
      this.taskDeadLetterQueue &&
      visibleIn(
        this.taskDeadLetterQueue,
        'TaskDeadLetterAlarm',
        'stage-drift: a scan task failed its retries and waits in the task dead-letter queue (see the snapshot log).',
      );
    const all: StageDriftAlarms = {
      ...alarms,
      ...(plannerErrors ? { plannerErrors } : {}),
      ...(taskDeadLetters ? { taskDeadLetters } : {}),
      ...(rescanErrors ? { rescanErrors } : {}),
      ...(eventDeadLetters ? { eventDeadLetters } : {}),
      ...(eventTargetDeadLetters ? { eventTargetDeadLetters } : {}),
    };
    const action = new SnsAction(operationsTopic);
    const watched: Alarm[] = [
      ...Object.values(alarms),
      ...(plannerErrors ? [plannerErrors] : []),
      ...(taskDeadLetters ? [taskDeadLetters] : []),
      ...(rescanErrors ? [rescanErrors] : []),
      ...(eventDeadLetters ? [eventDeadLetters] : []),
      ...(eventTargetDeadLetters ? [eventTargetDeadLetters] : []),
    ];
    for (const alarm of watched) {
      alarm.addAlarmAction(action);
      alarm.addOkAction(action);
    }
    return all;
  }
}

const clampDuration = (value: Duration, min: Duration, max: Duration): Duration =>
  value.toMilliseconds() < min.toMilliseconds()
    ? min
    : value.toMilliseconds() > max.toMilliseconds()
      ? max
      : value;
