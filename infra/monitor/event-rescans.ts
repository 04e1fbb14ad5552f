import { Duration, Names, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { EventPattern, IRuleTarget } from 'aws-cdk-lib/aws-events';
import { Rule } from 'aws-cdk-lib/aws-events';
import { Effect, PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
// Plain data: the two halves of the stage-change event pattern (CDK's EventPattern has no `$or`).
import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  WAF_STAGE_ASSOCIATION_PATTERN,
} from '../../shared/attribution/cloudtrail-events';
import { ENV } from '../../shared/config';
import {
  apiGatewayArns,
  grantScanTableAccess,
  grantSecurityHubImport,
  grantSendTo,
  RESCAN_API_GATEWAY_READ_PATHS,
} from '../grants';
import { FUNCTION_MEMORY_MB, MonitorFunction } from '../monitor-function';
import { acknowledgeKeyGrant } from '../nag-acknowledgements';
import { RESCAN_ENTRY, RESCAN_SERVICE } from '../runtime-contract';
import type { ScanSettings } from './scan-environment';
import { scanEnvironment } from './scan-environment';

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

export interface EventRescansProps {
  readonly settings: ScanSettings;
  /**
   * The monitor's key, which encrypts both queues: EventBridge may use it for the two rules only.
   * @default - none: the queues use SSE-SQS, which EventBridge sends to without a key policy
   */
  readonly key?: IKey;
  readonly table: ITable;
  /** Where the rules send the events; drained by the rescan function. */
  readonly queue: IQueue;
  /**
   * The monitor's failure queue: `queue`'s dead-letter queue, where the rules send what they could
   * not deliver to `queue`, and where the rescan function reports what it could not read.
   */
  readonly failureQueue: IQueue;
}

/**
 * Event-driven rescans, created in `scope` under the ids they always had: two rules (the two halves
 * of STAGE_CHANGE_EVENT_PATTERN: CDK's EventPattern has no `$or`) send stage-change events to the
 * queue; the rescan function reads up to 100 at a time after gathering them for 20 s, which is what
 * turns a deploy's burst into one rescan per API. An event a rule cannot deliver goes to
 * `failureQueue` (also the events queue's dead-letter queue, alarmed), not nowhere.
 *
 * The target is written here rather than with CDK's `SqsQueue`, whose grant on a KMS-encrypted
 * queue lets any rule of any account use the key and send to the queue: only these two rules may.
 * A forged "CloudTrail" event from another rule could otherwise claim a console edit was a
 * CloudFormation deploy (and, in out-of-band mode, hide it).
 */
export class EventRescans {
  readonly rescan: MonitorFunction;

  constructor(scope: Construct, props: EventRescansProps) {
    const { key, queue, failureQueue } = props;
    const stack = Stack.of(scope);
    const target: IRuleTarget = {
      bind: () => ({
        arn: queue.queueArn,
        targetResource: queue,
        deadLetterConfig: { arn: failureQueue.queueArn },
      }),
    };
    // Names of the construct's own, not CloudFormation's: the key policy names the rules by ARN, and
    // a reference to the rules there would be a cycle (key -> rules -> queue -> key).
    const ruleName = (suffix: string) =>
      `${Names.uniqueResourceName(scope, { maxLength: 63 - suffix.length })}-${suffix}`;
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
      ({ id, eventPattern, ...ruleProps }) =>
        new Rule(scope, id, {
          ...ruleProps,
          eventPattern: eventPattern as unknown as EventPattern,
          targets: [target],
        }),
    );
    const events = new ServicePrincipal('events.amazonaws.com');
    const ruleArns = rules.map((rule) => rule.ruleArn);
    for (const [q, sid] of [
      [queue, 'AllowTheStageChangeRules'],
      [failureQueue, 'AllowTheStageChangeRulesDeadLetters'],
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
    key?.addToResourcePolicy(
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
    this.rescan = createRescanFunction(scope, props);
  }
}

/**
 * The consumer of the events queue: the same scan modules as the snapshot function, its own
 * handler, log group, role and errors alarm. No reserved concurrency (the mapping bounds it,
 * see RESCAN_MAX_CONCURRENCY), so it takes nothing from the account's unreserved pool. Its
 * role reads single APIs and their stages, never the API lists, and has no CloudTrail access.
 */
const createRescanFunction = (
  scope: Construct,
  { settings, table, queue, failureQueue }: EventRescansProps,
): MonitorFunction => {
  const rescan = new MonitorFunction(scope, 'RescanFunction', {
    entry: RESCAN_ENTRY,
    description: 'stage-drift: rescans the APIs named by CloudTrail stage-change events',
    serviceName: RESCAN_SERVICE,
    timeout: RESCAN_TIMEOUT,
    // As the snapshot function: the same diff and normalize work (monitor-function.ts has the figures).
    memorySize: FUNCTION_MEMORY_MB.rescan,
    environment: {
      ...scanEnvironment(settings, table),
      [ENV.eventsQueueArn]: queue.queueArn,
      [ENV.failureQueueUrl]: failureQueue.queueUrl,
    },
    logRetention: settings.logRetention,
  });
  rescan.function.addEventSource(
    new SqsEventSource(queue, {
      batchSize: EVENTS_BATCH_SIZE,
      maxBatchingWindow: EVENTS_BATCHING_WINDOW,
      maxConcurrency: RESCAN_MAX_CONCURRENCY,
      reportBatchItemFailures: true,
    }),
  );
  rescan.role.addToPrincipalPolicy(
    new PolicyStatement({
      sid: 'ReadApiGatewayApisAndStages',
      actions: ['apigateway:GET'],
      resources: apiGatewayArns(scope, settings.iamRegions, RESCAN_API_GATEWAY_READ_PATHS),
    }),
  );
  grantScanTableAccess(rescan.role, table);
  grantSendTo(rescan.role, failureQueue);
  if (settings.securityHubFindings) grantSecurityHubImport(scope, rescan.role, settings.iamRegions);
  acknowledgeKeyGrant(rescan, 'the snapshot table');
  return rescan;
};
