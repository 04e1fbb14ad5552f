import type { Duration, RemovalPolicy } from 'aws-cdk-lib';
import type { IAlarm } from 'aws-cdk-lib/aws-cloudwatch';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
// The enums and structs the props use live in monitor-structs.ts (jsii-compatible, as here);
// import them from there (infra/index.ts exports them from it).
import type { IgnoreRules, OutOfBandMode, PostureRule, Severity, SeverityOverride } from './monitor-structs';

/** Properties of {@link StageDriftMonitor}. Every one is optional; invalid values throw at synth. */
export interface StageDriftMonitorProps {
  /**
   * How often every configured region is scanned (an EventBridge Scheduler rate). A whole number
   * of minutes, from 1 minute to 1 day. The heartbeat alarm fires when no scan has finished
   * for two of these periods.
   * @default Duration.minutes(15)
   */
  readonly schedule?: Duration;

  /**
   * Adaptive full scans: with event-driven rescans on, a scope whose event path is healthy (its
   * events reach the monitor, a CloudTrail trail logs its region's management events, and its
   * last full scan found no change that no event announced) gets a full scan only this often and
   * is rescanned on events in between; any other scope, at every `schedule` tick (README.md,
   * "Adaptive full scans"). A whole number of minutes, 1 minute to 7 days; `schedule` or less
   * means a full scan at every tick. Needs `cloudtrail:DescribeTrails`, `cloudtrail:GetTrailStatus`
   * and `cloudtrail:GetEventSelectors` (the reader roles have them).
   * @default Duration.minutes(1440)
   */
  readonly fullScanInterval?: Duration;

  /**
   * Whether every member account, and every region other than the monitor's, has the
   * `StageDriftEventForwarder` (the reader-role app's second template). Only then do their scopes
   * get adaptive full scans (`fullScanInterval`); without it they are scanned at every `schedule`
   * tick, since the monitor cannot tell whether their events reach it. The trail check and the
   * canary (a full scan finding a change no event announced) still guard each scope.
   * @default false
   */
  readonly eventForwarders?: boolean;

  /**
   * Region codes whose API Gateway stages are scanned (REST, HTTP and WebSocket APIs), all in one
   * partition. The snapshot function may read API Gateway in exactly these regions.
   * @default - the stack's region; for an environment-agnostic stack, the region the function
   * runs in (its `AWS_REGION`)
   */
  readonly regions?: string[];

  /**
   * Client-side budget for API Gateway management calls, requests per second per region,
   * 0.1 to 10. The account's budget (10 requests/s, burst 40 per region) is shared with every
   * deploy, so the monitor takes a small slice of it.
   * @default 3
   */
  readonly requestsPerSecond?: number;

  /**
   * Burst of the management-call budget, an integer from 1 to 40.
   * @default 10
   */
  readonly burst?: number;

  /**
   * Management calls in flight at once, an integer from 1 to 32.
   * @default 4
   */
  readonly concurrency?: number;

  /**
   * Severity rules tried before the built-in ones, first match wins, e.g.
   * `[{ path: 'tags.**', severity: Severity.INFO }]`. Path patterns are checked at synth.
   * @default - the built-in severity rules only
   */
  readonly severityOverrides?: SeverityOverride[];

  /**
   * Changes and stages never reported: path patterns, stage globs, an ignore tag.
   * @default - only stages (or APIs) tagged `stage-drift:ignore=true` are ignored
   */
  readonly ignore?: IgnoreRules;

  /**
   * Your own posture controls, evaluated on every stage after the Security Hub controls
   * (README.md, "Posture"); checked at synth, a bad rule names its field
   * (`postureRules[0].expect[1].paths`).
   * @default - the Security Hub controls and the REST access logging check only
   */
  readonly postureRules?: PostureRule[];

  /**
   * Stage variable names whose values may appear in drift events (SNS, Slack). Every other
   * value is replaced by a keyed fingerprint, because stage variables often hold secrets.
   * @default - none: every value is fingerprinted
   */
  readonly revealVariables?: string[];

  /**
   * Drift that CloudTrail attributes to infrastructure as code (CloudFormation/CDK/SAM,
   * Terraform): `OFF` reports it like any other, `SUPPRESS` stores the new version without
   * an event (only out-of-band changes alert), `DOWNGRADE` reports it at INFO, keeping the
   * diff's severity as `originalSeverity`. Drift whose CloudTrail record is not found is reported as usual.
   * @default OutOfBandMode.OFF
   */
  readonly outOfBand?: OutOfBandMode;

  /**
   * Rescan an API within about a minute of a change to one of its stages: two EventBridge rules
   * on CloudTrail's `AWS API Call via CloudTrail` events (API Gateway stage calls, WAF
   * associations on stages) feed an SQS queue that a rescan function of its own drains in
   * batches (a deploy's burst becomes one rescan per API), so a rescan never waits behind a full
   * scan. Needs a CloudTrail trail logging management events in this region; best effort, so the
   * scheduled scan stays the safety net. Covers the stack's own account and region, and the member
   * accounts and regions whose `StageDriftEventForwarder` forwards their events to this account's
   * bus, whose policy then admits exactly `targetAccounts` (or the accounts of `targetOrganizationalUnit`).
   * @default true
   */
  readonly eventDrivenRescans?: boolean;

  /**
   * Import posture changes as AWS Security Hub findings (ASFF, the account's default product):
   * after each scope's scan, every control of a baseline's stages and then the controls that
   * changed status, one finding per stage and control (README.md, "Security Hub findings").
   * Adds `securityhub:BatchImportFindings` on the default product ARN of each scanned region to
   * the scanning functions. Findings are imported for the monitor's own account only (the
   * default product takes no other account's findings). Security Hub must be enabled.
   * @default false
   */
  readonly securityHubFindings?: boolean;

  /**
   * Also send the activity metrics (namespace `StageDrift`): `StagesChanged`, `Drifts<SEVERITY>`,
   * `Throttled`, `TargetedRescans`, `ScansContinued`, `ScansSuperseded` from the scanning
   * functions, `AlertsPublished`, `AlertDuplicatesSkipped`, `SlackDigests` from the publish
   * function. No alarm reads them, and the functions' log lines carry the same counts; each is a
   * custom metric billed for every hour it has data, and changes spread over the day bill them
   * most hours. The failure metrics (`ScanFailures`, `CloudTrailLookupFailures`,
   * `AssumeRoleFailures`, `RefusedEvents`, `AlertFailures*`, …) are always sent, when non-zero.
   * @default false
   */
  readonly driftMetrics?: boolean;

  /**
   * The Secrets Manager secret holding the Slack incoming-webhook URL: its name
   * (`stage-drift/slack`) or its complete ARN. The publish function may read this secret and
   * no other. If the secret is encrypted with a customer-managed KMS key, allow the publish
   * function's role to decrypt with it.
   * @default - no Slack messages; drift events go to the SNS topic only
   */
  readonly slackWebhookSecret?: string;

  /**
   * The lowest severity posted to Slack. SNS receives every drift event regardless.
   * @default Severity.MEDIUM
   */
  readonly slackMinSeverity?: Severity;

  /**
   * When one stream batch holds more Slack-bound events than this, Slack gets one digest message
   * instead of one message each (Slack accepts about one message a second). An integer, 1 to 1000.
   * @default 5
   */
  readonly slackDigestThreshold?: number;

  /**
   * Email addresses subscribed to the drift topic (each must confirm the subscription).
   * @default - no subscriptions
   */
  readonly emailSubscriptions?: string[];

  /**
   * Days that replaced snapshot versions, drift events and run records are kept (DynamoDB TTL),
   * an integer from 1 to 3650. The latest state of every stage is kept forever.
   * @default 365
   */
  readonly retentionDays?: number;

  /**
   * Publish drift events to this topic instead of creating one. Its encryption and access policy
   * are yours; the publish function is granted `sns:Publish` on it (and its KMS key if the
   * imported topic carries one).
   * @default - a new topic, encrypted with the monitor's KMS key, TLS enforced
   */
  readonly existingTopic?: ITopic;

  /**
   * Use this table instead of creating one. It must have the layout of
   * `shared/store/table-definition.ts` (`PK`/`SK`, `GSI1`, TTL on `ttl`) and a stream with new
   * images, imported with its stream ARN (and its KMS key, if any):
   * `Table.fromTableAttributes(this, 'Table', { tableArn, tableStreamArn, encryptionKey })`.
   * @default - a new table: on demand, point-in-time recovery, KMS, stream, TTL, retained
   */
  readonly existingTable?: ITable;

  /**
   * Create a customer-managed KMS key (rotated yearly, $1 a month) that encrypts the table, the
   * topic and the queues (the default before issue 18): reading the table then takes
   * `kms:Decrypt` on it too, and every decrypt is in CloudTrail. Without one the table uses
   * DynamoDB's AWS owned key, the queues SSE-SQS, and the topic `alias/aws/sns`, or no SSE when
   * it receives the alarms (CloudWatch cannot publish to a topic under an AWS managed key):
   * docs/deploy.md, "Encryption".
   * @default false
   */
  readonly customerManagedKey?: boolean;

  /**
   * Your customer-managed KMS key for the table, the topic and the queues (instead of the one
   * `customerManagedKey` creates). Its policy is yours when it is imported: allow
   * `cloudwatch.amazonaws.com` (alarms to the topic) and `events.amazonaws.com` (the stage-change
   * rules to the events queue) `kms:Decrypt` and `kms:GenerateDataKey*` (docs/deploy.md, "Encryption").
   * @default - none: see `customerManagedKey`
   */
  readonly encryptionKey?: IKey;

  /**
   * What happens to the table and its KMS key when they leave the stack (or the stack is
   * deleted). `RETAIN` keeps the history and turns on deletion protection; `DESTROY` deletes
   * both (the key after its 30-day waiting period).
   * @default RemovalPolicy.RETAIN
   */
  readonly removalPolicy?: RemovalPolicy;

  /**
   * Where the alarms that watch the monitor itself are sent (alarm and OK notifications).
   * @default - the drift topic
   */
  readonly operationsTopic?: ITopic;

  /**
   * How long the functions' logs are kept.
   * @default RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: RetentionDays;

  /**
   * Member accounts to scan (12-digit ids), in every region of `regions`. Setting this (or
   * `targetOrganizationalUnit`) turns on the fan-out: the schedule plans one task per account and
   * region into an SQS FIFO queue, and the snapshot function scans each task with the account's
   * reader role (`StageDriftReaderRole`, docs/multi-account.md). The monitor's own account, if
   * listed, is scanned with the function's own role.
   * @default - this account only, no queue
   */
  readonly targetAccounts?: string[];

  /**
   * An AWS Organizations OU (`ou-...`) whose ACTIVE accounts (directly under it) are scanned,
   * resolved at every scheduled run. The monitor must be deployed in the management account or a
   * delegated administrator account; the function may call `organizations:ListAccountsForParent`.
   * @default - no OU
   */
  readonly targetOrganizationalUnit?: string;

  /**
   * The name of the reader role in every member account. Only with targets.
   * @default 'StageDriftReader'
   */
  readonly readerRoleName?: string;

  /**
   * The external id the reader roles require (`sts:ExternalId`). Only with targets. Not a
   * secret, but a guard against the confused deputy: use the same value in `StageDriftReaderRole`.
   * @default - none
   */
  readonly externalId?: string;

  /**
   * Scans running at once across all accounts and regions (the SQS event source's maximum
   * concurrency), 2 to 1000. Each scan keeps to its own account and region's budget. Only with targets.
   * @default 10
   */
  readonly maxConcurrentScans?: number;
}

/**
 * The alarms that watch the monitor, the fewest that page on every failure mode (docs/deploy.md,
 * "Alarms", says which covers which); each notifies the operations topic.
 */
export interface StageDriftAlarms {
  /**
   * No scan ran for two schedule periods: the schedule's target (the snapshot function; in fan-out
   * mode the planner and the snapshot function) had no invocation (AWS/Lambda `Invocations`,
   * missing data breaching).
   */
  readonly heartbeat: IAlarm;
  /**
   * The publish function is behind the drift stream: its oldest record waited over 5 minutes,
   * three 5-minute periods in a row (Lambda's `IteratorAge`, Maximum).
   */
  readonly publishIteratorAge: IAlarm;
  /**
   * A message waits in the failure queue (or, in fan-out mode, the task dead-letter queue): what a
   * scan or rescan could not read, a scheduled run that failed or timed out, a drift event not
   * delivered, a CloudTrail event that failed its rescans (docs/deploy.md, "The failure queue").
   * One metric math alarm; it stays on while a message is there.
   */
  readonly deadLetters: IAlarm;
}
