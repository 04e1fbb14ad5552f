import { OUT_OF_BAND_MODES, SEVERITIES } from '../model';

/**
 * Every setting of the monitor, defined once: its type, default, range or values, a one-line doc,
 * its `-c` context key and construct prop, its environment variable and the functions that read
 * it. Everything else is derived from this table: the props validation (infra/monitor-settings.ts,
 * `resolveConfig`), the context parsing (infra/app-context.ts), the Lambda environment
 * (`ENV`, `PUBLISH_ENV`, {@link encodeEnvironment}), the handlers' loading (env-config.ts,
 * shared/notify/publish-config.ts) and the configuration tables of README.md and docs/deploy.md
 * (settings-docs.ts; test/config/settings-readme.test.ts fails when they drift).
 *
 * Plain data and plain functions only: the construct library (jsii, infra/package/jsii.ts)
 * compiles this file, so it imports no package.
 */

/** The functions that read environment variables. A setting without `env` is read at synth only. */
import type { EnvSpec, NumberSpec, SettingReader, SettingSpec } from './settings-types';
export type {
  ArnSpec,
  BooleanSpec,
  ContextSpec,
  DurationSpec,
  EnumSpec,
  EnvSpec,
  NumberSpec,
  SettingReader,
  SettingSpec,
  StringSpec,
  ValueSpec,
} from './settings-types';

const SCANNERS = ['snapshot', 'rescan'] as const;
const EVERY_FUNCTION = ['snapshot', 'rescan', 'planner', 'publish'] as const;

/** In the order of the docs' configuration table; the settings without `context` last. */
export const SETTINGS = {
  stackName: {
    type: 'stackName',
    default: 'StageDrift',
    doc: 'deploy two monitors side by side under different names',
    context: { example: 'StageDriftProd' },
  },
  schedule: {
    type: 'duration',
    default: 15,
    min: 1,
    max: 24 * 60,
    defaultDoc: '15 minutes',
    doc: 'minutes (`15`) or `"2 hours"`, `"1 day"`; whole minutes, 1 minute to 1 day',
    context: { prop: 'schedule', example: '5 minutes' },
  },
  fullScanInterval: {
    type: 'duration',
    default: 24 * 60,
    min: 1,
    max: 7 * 24 * 60,
    defaultDoc: '1 day',
    doc: 'with healthy events, a full scan of a scope only this often (README, "Adaptive full scans")',
    context: { prop: 'fullScanInterval', example: '12 hours' },
    env: { name: 'STAGE_DRIFT_FULL_SCAN_INTERVAL', readBy: ['snapshot'] },
  },
  eventForwarders: {
    type: 'boolean',
    default: false,
    doc: 'every member account and other region has the `StageDriftEventForwarder`: their scopes get adaptive full scans too (the trail check and the canary still guard each)',
    context: { prop: 'eventForwarders', example: 'true' },
    env: { name: 'STAGE_DRIFT_EVENT_FORWARDERS', readBy: ['snapshot'], unsetAtDefault: true },
  },
  regions: {
    type: 'list',
    defaultDoc: "the stack's region",
    doc: 'region codes to scan, one partition; the function may read API Gateway in these only',
    context: { prop: 'regions', example: 'eu-west-1,us-east-1' },
    env: { name: 'STAGE_DRIFT_REGIONS', readBy: [...SCANNERS, 'planner'] },
  },
  requestsPerSecond: {
    type: 'number',
    default: 3,
    min: 0.1,
    max: 10,
    doc: "management calls per second per region (the account's budget is 10, shared with deploys)",
    context: { prop: 'requestsPerSecond', example: '2' },
    env: { name: 'STAGE_DRIFT_REQUESTS_PER_SECOND', readBy: SCANNERS },
  },
  burst: {
    type: 'integer',
    default: 10,
    min: 1,
    max: 40,
    doc: 'burst of that budget',
    context: { prop: 'burst', example: '5' },
    env: { name: 'STAGE_DRIFT_BURST', readBy: SCANNERS },
  },
  concurrency: {
    type: 'integer',
    default: 4,
    min: 1,
    max: 32,
    doc: 'management calls in flight',
    context: { prop: 'concurrency', example: '2' },
    env: { name: 'STAGE_DRIFT_CONCURRENCY', readBy: SCANNERS },
  },
  severityOverrides: {
    type: 'json',
    defaultDoc: 'none',
    doc: 'JSON `[{"path":"tags.**","severity":"INFO"}]`, tried before the built-in rules',
    context: { prop: 'severityOverrides', example: '[{"path":"tags.**","severity":"INFO"}]' },
    env: { name: 'STAGE_DRIFT_SEVERITY_OVERRIDES', readBy: SCANNERS },
  },
  ignore: {
    type: 'json',
    defaultDoc: 'tag `stage-drift:ignore=true`',
    doc: 'JSON `{"paths":[...],"stages":[{"apiId":"...","stageName":"dev-*"}],"tag":{"key":"..."}}`',
    context: { prop: 'ignore', example: '{"stages":[{"stageName":"dev-*"}]}' },
    env: { name: 'STAGE_DRIFT_IGNORE', readBy: SCANNERS },
  },
  postureRules: {
    type: 'json',
    defaultDoc: 'none',
    doc: 'your own posture controls ("Posture"): JSON `[{"id":"...","title":"...","expect":[...]}]`',
    context: {
      prop: 'postureRules',
      example:
        '[{"id":"prod-traced","title":"prod is traced","expect":[{"paths":["tracingEnabled"],"equals":true}]}]',
    },
    env: { name: 'STAGE_DRIFT_POSTURE_RULES', readBy: SCANNERS, unsetAtDefault: true },
  },
  revealVariables: {
    type: 'list',
    defaultDoc: 'none',
    doc: 'stage variable names whose values may appear in alerts; all others are fingerprinted',
    context: { prop: 'revealVariables', example: 'logLevel,featureFlag' },
    env: { name: 'STAGE_DRIFT_REVEAL_VARIABLES', readBy: SCANNERS },
  },
  outOfBand: {
    type: 'enum',
    values: OUT_OF_BAND_MODES,
    default: 'off',
    noun: 'an out-of-band mode',
    docExplainsValues: true,
    doc: '`suppress` stores CloudFormation/Terraform changes without an event, `downgrade` sends them at INFO',
    context: { prop: 'outOfBand', example: 'suppress' },
    env: { name: 'STAGE_DRIFT_OUT_OF_BAND', readBy: SCANNERS, unsetAtDefault: true },
  },
  eventDrivenRescans: {
    type: 'boolean',
    default: true,
    doc: 'rescan an API within ~1 minute of a CloudTrail-recorded stage change ([event-driven](docs/event-driven.md))',
    context: { prop: 'eventDrivenRescans', example: 'false' },
  },
  securityHubFindings: {
    type: 'boolean',
    default: false,
    doc: 'import posture changes as Security Hub findings (`securityhub:BatchImportFindings`; README, "Security Hub findings")',
    context: { prop: 'securityHubFindings', example: 'true' },
    env: { name: 'STAGE_DRIFT_SECURITY_HUB', readBy: SCANNERS, unsetAtDefault: true },
  },
  driftMetrics: {
    type: 'boolean',
    default: false,
    doc: 'also send the activity metrics (`StagesChanged`, `Drifts<SEVERITY>`, `Throttled`, `TargetedRescans`, `AlertsPublished`, …; docs/deploy.md, "Metrics"); failure metrics are always sent',
    context: { prop: 'driftMetrics', example: 'true' },
    env: {
      name: 'STAGE_DRIFT_DRIFT_METRICS',
      readBy: ['snapshot', 'rescan', 'publish'],
      unsetAtDefault: true,
    },
  },
  slackWebhookSecret: {
    type: 'string',
    defaultDoc: 'none (no Slack)',
    doc: 'Secrets Manager secret name or complete ARN holding the webhook URL',
    context: { prop: 'slackWebhookSecret', example: 'stage-drift/slack' },
  },
  slackMinSeverity: {
    type: 'enum',
    values: SEVERITIES,
    default: 'MEDIUM',
    noun: 'a severity',
    doc: 'lowest severity posted to Slack',
    context: { prop: 'slackMinSeverity', example: 'HIGH' },
    env: { name: 'STAGE_DRIFT_SLACK_MIN_SEVERITY', readBy: ['publish'] },
  },
  slackDigestThreshold: {
    type: 'integer',
    default: 5,
    min: 1,
    max: 1000,
    doc: 'more Slack-bound events than this in one batch become one digest message',
    context: { prop: 'slackDigestThreshold', example: '10' },
    env: { name: 'STAGE_DRIFT_DIGEST_THRESHOLD', readBy: ['publish'], key: 'digestThreshold' },
  },
  emailSubscriptions: {
    type: 'list',
    defaultDoc: 'none',
    doc: 'email addresses subscribed to the drift topic (not with a FIFO `existingTopicArn`)',
    context: { prop: 'emailSubscriptions', example: 'ops@example.com,sec@example.com' },
  },
  retentionDays: {
    type: 'integer',
    default: 365,
    min: 1,
    max: 3650,
    doc: 'days replaced versions, drift events and run records are kept (TTL)',
    context: { prop: 'retentionDays', example: '90' },
    env: { name: 'STAGE_DRIFT_RETENTION_DAYS', readBy: SCANNERS },
  },
  removalPolicy: {
    type: 'enum',
    // RemovalPolicy's values (aws-cdk-lib), but SNAPSHOT: DynamoDB tables do not support it.
    values: ['retain', 'destroy', 'retain-on-update-or-delete'],
    default: 'retain',
    noun: 'a removal policy',
    doc: 'for the table and its KMS key',
    context: { prop: 'removalPolicy', example: 'destroy' },
  },
  customerManagedKey: {
    type: 'boolean',
    default: false,
    doc: 'a KMS key of its own ($1 a month) for the table, topic and queues; AWS owned/managed keys otherwise ([encryption](docs/deploy.md#encryption))',
    context: { prop: 'customerManagedKey', example: 'true' },
  },
  encryptionKeyArn: {
    type: 'arn',
    arn: 'kmsKey',
    defaultDoc: 'none',
    doc: 'your customer-managed KMS key for the table, topic and queues instead (its policy is yours)',
    context: {
      prop: 'encryptionKey',
      example: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    },
  },
  logRetention: {
    type: 'logRetention',
    default: 90,
    defaultDoc: '90 (days)',
    doc: "days the functions' logs are kept (a CloudWatch Logs retention value: 1, 3, 5, 7, 14, 30, ...)",
    context: { prop: 'logRetention', example: '30' },
  },
  targetAccounts: {
    type: 'list',
    defaultDoc: 'none (this account only)',
    doc: 'member accounts to scan in every region: turns on the fan-out ([multi-account](docs/multi-account.md))',
    context: { prop: 'targetAccounts', example: '111122223333,444455556666' },
    env: { name: 'STAGE_DRIFT_TARGET_ACCOUNTS', readBy: ['snapshot', 'rescan', 'planner'] },
  },
  targetOrganizationalUnit: {
    type: 'string',
    defaultDoc: 'none',
    doc: 'an OU (`ou-...`) whose ACTIVE accounts are scanned, resolved at every run',
    context: { prop: 'targetOrganizationalUnit', example: 'ou-ab12-cd34ef56' },
    env: { name: 'STAGE_DRIFT_TARGET_OU', readBy: ['snapshot', 'rescan', 'planner'] },
  },
  readerRoleName: {
    type: 'string',
    default: 'StageDriftReader',
    doc: "the reader role's name in every member account (with targets only)",
    context: { prop: 'readerRoleName', example: 'ApiGatewayDriftReader' },
    env: { name: 'STAGE_DRIFT_READER_ROLE_NAME', readBy: ['snapshot', 'rescan', 'planner'] },
  },
  externalId: {
    type: 'string',
    defaultDoc: 'none',
    doc: 'the `sts:ExternalId` the reader roles require (with targets only)',
    context: { prop: 'externalId', example: 'stage-drift-7f3a' },
    env: { name: 'STAGE_DRIFT_EXTERNAL_ID', readBy: ['snapshot', 'rescan'] },
  },
  maxConcurrentScans: {
    type: 'integer',
    default: 10,
    min: 2,
    max: 1000,
    doc: 'account + region scans running at once (with targets only)',
    context: { prop: 'maxConcurrentScans', example: '20' },
  },
  existingTopicArn: {
    type: 'arn',
    arn: 'snsTopic',
    defaultDoc: 'a new encrypted topic',
    doc: 'publish drift events to this topic instead (a FIFO one needs `operationsTopicArn` and no emails)',
    context: { prop: 'existingTopic', example: 'arn:aws:sns:eu-west-1:111122223333:drift' },
  },
  existingTableArn: {
    type: 'arn',
    arn: 'dynamodbTable',
    defaultDoc: 'a new table',
    doc: 'use this table (same layout, stream with new images) instead',
    context: { prop: 'existingTable', example: 'arn:aws:dynamodb:eu-west-1:111122223333:table/StageDrift' },
  },
  existingTableStreamArn: {
    type: 'arn',
    arn: 'dynamodbStream',
    defaultDoc: 'required with `existingTableArn`',
    doc: "that table's stream",
    context: {
      prop: 'existingTable',
      example: 'arn:aws:dynamodb:eu-west-1:111122223333:table/StageDrift/stream/2026-01-01T00:00:00.000',
    },
  },
  existingTableKeyArn: {
    type: 'arn',
    arn: 'kmsKey',
    defaultDoc: 'none',
    doc: "that table's customer-managed KMS key, if it has one",
    context: {
      prop: 'existingTable',
      example: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
    },
  },
  operationsTopicArn: {
    type: 'arn',
    arn: 'snsTopic',
    defaultDoc: 'the drift topic',
    doc: 'where alarm and recovery notifications go (a standard topic, not FIFO)',
    context: { prop: 'operationsTopic', example: 'arn:aws:sns:eu-west-1:111122223333:ops' },
  },

  // What the construct passes to the functions, and settings of the functions alone.
  table: {
    type: 'string',
    defaultDoc: 'required',
    doc: 'the name of the stage-drift DynamoDB table',
    env: { name: 'STAGE_DRIFT_TABLE', readBy: EVERY_FUNCTION },
  },
  throttleDeadlineSeconds: {
    type: 'number',
    default: 120,
    min: 1,
    max: 840,
    doc: 'throttled management calls are retried until this many seconds have passed',
    env: { name: 'STAGE_DRIFT_THROTTLE_DEADLINE_SECONDS', readBy: SCANNERS },
  },
  taskQueueUrl: {
    type: 'string',
    defaultDoc: 'none (no fan-out)',
    doc: 'the URL of the FIFO task queue (fan-out)',
    env: { name: 'STAGE_DRIFT_TASK_QUEUE_URL', readBy: ['snapshot', 'planner'] },
  },
  eventsQueueArn: {
    type: 'arn',
    arn: 'sqsQueue',
    defaultDoc: 'none (no event-driven rescans)',
    doc: 'the ARN of the queue of CloudTrail events the rescan function drains',
    env: { name: 'STAGE_DRIFT_EVENTS_QUEUE_ARN', readBy: ['rescan'] },
  },
  topicArn: {
    type: 'arn',
    arn: 'snsTopic',
    defaultDoc: 'required',
    doc: 'the ARN of the SNS topic drift events are published to (FIFO topics too)',
    env: { name: 'STAGE_DRIFT_TOPIC_ARN', readBy: ['publish'] },
  },
  slackSecretArn: {
    type: 'arn',
    arn: 'secret',
    defaultDoc: 'none (no Slack)',
    doc: 'the ARN of the Secrets Manager secret holding the Slack webhook URL (from `slackWebhookSecret`)',
    env: { name: 'STAGE_DRIFT_SLACK_SECRET_ARN', readBy: ['publish'] },
  },
  failureQueueUrl: {
    type: 'string',
    defaultDoc: 'none (failures are only logged)',
    doc: 'the URL of the SQS failure queue: deliveries that failed for good, and what a scan could not read',
    env: { name: 'STAGE_DRIFT_FAILURE_QUEUE_URL', readBy: ['snapshot', 'rescan', 'publish'] },
  },
} as const satisfies Readonly<Record<string, SettingSpec>>;

type Settings = typeof SETTINGS;
export type SettingName = keyof Settings;

/** The settings passed to a function in its environment. */
export type EnvSettingName = {
  [K in SettingName]: Settings[K] extends { readonly env: EnvSpec } ? K : never;
}[SettingName];
type EnvOf<K extends EnvSettingName> = Extract<Settings[K], { readonly env: EnvSpec }>['env'];
type ReadBy<R extends SettingReader> = {
  [K in EnvSettingName]: R extends EnvOf<K>['readBy'][number] ? K : never;
}[EnvSettingName];
type EnvKey<K extends EnvSettingName> = EnvOf<K> extends { readonly key: infer A extends string } ? A : K;

/** `{ <key>: <variable> }` of the settings one of `readers` reads. */
export type EnvNames<R extends SettingReader> = { readonly [K in ReadBy<R> as EnvKey<K>]: EnvOf<K>['name'] };

/**
 * A setting's doc, where it is there: the Lambda bundles leave docs out
 * (infra/bundle/docs-out-of-bundles.ts), so code that runs in a function reads it through this.
 */
export const docOf = (spec: SettingSpec): string | undefined => (spec as { readonly doc?: string }).doc;

/** The spec of a setting, for code that goes over the table. */
export const settingSpec = (name: SettingName): SettingSpec => SETTINGS[name];

export const SETTING_NAMES = Object.keys(SETTINGS) as SettingName[];

const envNames = <R extends SettingReader>(...readers: R[]): EnvNames<R> =>
  Object.fromEntries(
    SETTING_NAMES.flatMap((name) => {
      const { env } = settingSpec(name);
      return env && env.readBy.some((reader) => (readers as SettingReader[]).includes(reader))
        ? [[env.key ?? name, env.name]]
        : [];
    }),
  ) as EnvNames<R>;

/** The environment variables the snapshot, rescan and planner functions (and `stage-drift scan`) read. */
export const ENV = envNames('snapshot', 'rescan', 'planner');
/** The environment variables of the publish function. */
export const PUBLISH_ENV = envNames('publish');

/** The variable of a setting the functions read. */
export const envName = (name: EnvSettingName): string => SETTINGS[name].env.name;

/** The range (and default) of a numeric setting, as {@link validateNumber} takes it. */
export const numberRange = (
  name: { [K in SettingName]: Settings[K] extends NumberSpec ? K : never }[SettingName],
): { readonly min: number; readonly max: number; readonly integer: boolean; readonly default?: number } => {
  const spec: NumberSpec = SETTINGS[name];
  return {
    min: spec.min,
    max: spec.max,
    integer: spec.type === 'integer',
    ...(spec.default === undefined ? {} : { default: spec.default }),
  };
};
