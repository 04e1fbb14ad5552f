import { Duration, RemovalPolicy, Stack, Token } from 'aws-cdk-lib';
import type { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { IConstruct } from 'constructs';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import type { StageDriftConfig } from '../shared/config';
import {
  ConfigError,
  DEFAULT_READER_ROLE_NAME,
  isKnownRegion,
  numberRange,
  partitionOf,
  resolveConfig,
  SETTINGS,
  validateAccountIds,
  validateEnum,
  validateExternalId,
  validateNumber,
  validateOrganizationalUnitId,
  validateRegions,
  validateRoleName,
} from '../shared/config';
import type {
  ChangeKind as SharedChangeKind,
  OutOfBandMode as SharedOutOfBandMode,
  Severity as SharedSeverity,
} from '../shared/model';
import { postureRulesFromProps } from './posture-rules-props';
import type { SlackSecretRef } from './slack-secret-ref';
import { validateSlackSecret } from './slack-secret-ref';
import type { ChangeKind, OutOfBandMode, Severity } from './monitor-structs';
import type { StageDriftMonitorProps } from './stage-drift-monitor-props';

/** `true` when the two string unions hold the same values. */
type SameValues<A extends string, B extends string> = [A] extends [B]
  ? [B] extends [A]
    ? true
    : false
  : false;
type IsTrue<T extends true> = T;
/**
 * Checked at compile time: the values of the public enums (monitor-structs.ts, jsii
 * compatible) are exactly the runtime's strings (shared/model). So the props are the shared
 * config's values as they are (an enum member is assignable to its string: no conversion), and
 * plain strings from JavaScript callers keep working.
 */
export type PublicEnumsMatchShared = [
  IsTrue<SameValues<`${Severity}`, SharedSeverity>>,
  IsTrue<SameValues<`${OutOfBandMode}`, SharedOutOfBandMode>>,
  IsTrue<SameValues<`${ChangeKind}`, SharedChangeKind>>,
  // The removal policies of the settings table are CDK's, but SNAPSHOT (no DynamoDB support).
  IsTrue<SameValues<(typeof SETTINGS.removalPolicy.values)[number], Exclude<`${RemovalPolicy}`, 'snapshot'>>>,
];

export type { SlackSecretRef } from './slack-secret-ref';

/** The props, validated, with their defaults filled in. */
export interface MonitorSettings {
  readonly schedule: Duration;
  /**
   * Regions the function is told to scan (`STAGE_DRIFT_REGIONS`); undefined when it scans the
   * region it runs in (an environment-agnostic stack and no `regions` prop).
   */
  readonly regions: readonly string[] | undefined;
  /** Regions named in the API Gateway IAM statement: `regions`, or the stack's region token. */
  readonly iamRegions: readonly string[];
  readonly scan: Pick<
    StageDriftConfig,
    | 'requestsPerSecond'
    | 'burst'
    | 'concurrency'
    | 'retentionDays'
    | 'severityOverrides'
    | 'ignore'
    | 'postureRules'
    | 'revealVariables'
    | 'outOfBand'
  >;
  readonly eventDrivenRescans: boolean;
  /**
   * Adaptive full scans (`fullScanInterval`): set with event-driven rescans on and an interval
   * longer than the schedule; undefined = a full scan at every tick.
   */
  readonly fullScanInterval: Duration | undefined;
  /** Member accounts and other regions forward their events (`eventForwarders`). */
  readonly eventForwarders: boolean;
  /** Security Hub findings from the scanning functions (`securityHubFindings`). */
  readonly securityHubFindings: boolean;
  /** The activity metrics from the scanning and publish functions (`driftMetrics`). */
  readonly driftMetrics: boolean;
  readonly slackSecret: SlackSecretRef | undefined;
  readonly slackMinSeverity: SharedSeverity;
  readonly slackDigestThreshold: number;
  readonly emailSubscriptions: readonly string[];
  readonly removalPolicy: RemovalPolicy;
  /**
   * The customer-managed key: `true` for one of the monitor's own, the caller's `encryptionKey`, or
   * `false` for AWS owned and managed keys (docs/deploy.md, "Encryption").
   */
  readonly customerManagedKey: boolean | IKey;
  readonly logRetention: RetentionDays;
  /** Set when `targetAccounts` or `targetOrganizationalUnit` is. */
  readonly fanOut: FanOutSettings | undefined;
}

export interface FanOutSettings {
  readonly targetAccounts: readonly string[];
  readonly targetOrganizationalUnit: string | undefined;
  readonly readerRoleName: string;
  readonly externalId: string | undefined;
  readonly maxConcurrentScans: number;
}

const validateFanOut = (scope: IConstruct, props: StageDriftMonitorProps): FanOutSettings | undefined => {
  const { targetAccounts, targetOrganizationalUnit, readerRoleName, externalId, maxConcurrentScans } = props;
  if (targetAccounts === undefined && targetOrganizationalUnit === undefined) {
    const stray = (
      [
        ['readerRoleName', readerRoleName],
        ['externalId', externalId],
        ['maxConcurrentScans', maxConcurrentScans],
      ] as const
    ).find(([, value]) => value !== undefined);
    if (stray) {
      throw new ConfigError(
        stray[0],
        'only used with targetAccounts or targetOrganizationalUnit: set one of those, or leave this out',
      );
    }
    return undefined;
  }
  const accounts = targetAccounts === undefined ? [] : validateAccountIds(targetAccounts, 'targetAccounts');
  if (targetAccounts !== undefined && accounts.length === 0 && targetOrganizationalUnit === undefined) {
    throw new ConfigError('targetAccounts', 'empty: list at least one account id, or leave it out');
  }
  const settings = {
    targetAccounts: accounts,
    targetOrganizationalUnit:
      targetOrganizationalUnit === undefined
        ? undefined
        : validateOrganizationalUnitId(targetOrganizationalUnit, 'targetOrganizationalUnit'),
    readerRoleName: validateRoleName(readerRoleName ?? DEFAULT_READER_ROLE_NAME, 'readerRoleName'),
    externalId: externalId === undefined ? undefined : validateExternalId(externalId, 'externalId'),
    maxConcurrentScans: validateNumber(
      maxConcurrentScans ?? SETTINGS.maxConcurrentScans.default,
      'maxConcurrentScans',
      numberRange('maxConcurrentScans'),
    ),
  };
  // Every StageDriftReaderRole requires sts:ExternalId, so a scan through one without it is refused
  // at run time (AccessDenied); only the monitor's own account is scanned without a reader role.
  const stackAccount = Stack.of(scope).account;
  const usesReaderRoles =
    settings.targetOrganizationalUnit !== undefined || accounts.some((account) => account !== stackAccount);
  if (usesReaderRoles && settings.externalId === undefined) {
    throw new ConfigError(
      'externalId',
      'required with targetAccounts or targetOrganizationalUnit: every StageDriftReaderRole requires ' +
        "sts:ExternalId; set the reader roles' value, e.g. externalId: 'stage-drift-7f3a' " +
        '(-c externalId=stage-drift-7f3a)',
    );
  }
  return settings;
};

// The defaults of the settings table (shared/config/settings.ts), as CDK values.
const DEFAULT_SCHEDULE = Duration.minutes(SETTINGS.schedule.default);
const DEFAULT_LOG_RETENTION: RetentionDays = SETTINGS.logRetention.default;

const MINUTE_MS = 60_000;
const DAY_MS = 24 * 60 * MINUTE_MS;

const validateSchedule = (schedule: Duration): Duration => {
  const ms = schedule.toMilliseconds();
  if (Token.isUnresolved(ms)) {
    throw new ConfigError('schedule', 'must be a literal duration such as Duration.minutes(15), not a token');
  }
  if (ms < MINUTE_MS) {
    throw new ConfigError(
      'schedule',
      `${schedule.toHumanString()} is shorter than 1 minute, the finest rate EventBridge Scheduler runs: use Duration.minutes(1) or more`,
    );
  }
  if (ms % MINUTE_MS !== 0) {
    throw new ConfigError(
      'schedule',
      `${schedule.toHumanString()} is not a whole number of minutes: use e.g. Duration.minutes(15)`,
    );
  }
  if (ms > DAY_MS) {
    throw new ConfigError(
      'schedule',
      `${schedule.toHumanString()} is longer than 1 day: use Duration.days(1) or less, so the heartbeat alarm (two periods) can watch it`,
    );
  }
  return schedule;
};

/**
 * `fullScanInterval`: whole minutes, 1 minute to 7 days; undefined (a full scan at every tick)
 * without event-driven rescans, or when it is no longer than the schedule.
 */
const validateFullScanInterval = (
  interval: Duration | undefined,
  schedule: Duration,
  eventDrivenRescans: boolean,
): Duration | undefined => {
  const given = interval ?? Duration.minutes(SETTINGS.fullScanInterval.default);
  const ms = given.toMilliseconds();
  if (Token.isUnresolved(ms) || ms % MINUTE_MS !== 0) {
    throw new ConfigError(
      'fullScanInterval',
      'must be a literal whole number of minutes, e.g. Duration.hours(24)',
    );
  }
  validateNumber(ms / MINUTE_MS, 'fullScanInterval (minutes)', {
    min: SETTINGS.fullScanInterval.min,
    max: SETTINGS.fullScanInterval.max,
    integer: true,
  });
  return eventDrivenRescans && ms > schedule.toMilliseconds() ? given : undefined;
};

const validateMonitorRegions = (scope: IConstruct, given: readonly string[] | undefined) => {
  const stackRegion = Stack.of(scope).region;
  const stackRegionKnown = !Token.isUnresolved(stackRegion);
  let regions: readonly string[] | undefined;
  if (given !== undefined) {
    if (!Array.isArray(given) || given.some((r) => typeof r !== 'string')) {
      throw new ConfigError('regions', 'expected an array of region codes, e.g. ["eu-west-1", "us-east-1"]');
    }
    regions = validateRegions(given, 'regions');
  } else if (stackRegionKnown) {
    regions = validateRegions([stackRegion], 'regions (default: the stack region)');
  }
  if (regions !== undefined) {
    const partitions = new Set(regions.map(partitionOf));
    const withStack = stackRegionKnown && isKnownRegion(stackRegion);
    if (withStack) partitions.add(partitionOf(stackRegion));
    if (partitions.size > 1) {
      throw new ConfigError(
        'regions',
        `${regions.join(', ')}${withStack ? ` and the stack's region ${stackRegion}` : ''} are in different ` +
          `partitions (${[...partitions].sort().join(', ')}): a monitor reads only its own partition, so ` +
          'deploy one monitor per partition',
      );
    }
  }
  return { regions, iamRegions: regions ?? [stackRegion] };
};

const EMAIL = /^[^\s@,;]+@[^\s@,;]+\.[^\s@,;]+$/;

const validateEmails = (emails: readonly string[] | undefined): readonly string[] => {
  if (emails === undefined) return [];
  if (!Array.isArray(emails)) {
    throw new ConfigError(
      'emailSubscriptions',
      'expected an array of email addresses, e.g. ["ops@example.com"]',
    );
  }
  const valid = emails.map((email: unknown, i) => {
    if (typeof email !== 'string' || !EMAIL.test(email.trim())) {
      throw new ConfigError(
        `emailSubscriptions[${i}]`,
        `${JSON.stringify(email)} is not an email address: use the form name@example.com`,
      );
    }
    return email.trim();
  });
  return [...new Set(valid)];
};

const validateRemovalPolicy = (policy: RemovalPolicy | undefined): RemovalPolicy => {
  if (policy === RemovalPolicy.SNAPSHOT) {
    throw new ConfigError(
      'removalPolicy',
      'SNAPSHOT is not supported for DynamoDB tables: use RemovalPolicy.RETAIN (the default) or RemovalPolicy.DESTROY',
    );
  }
  // RemovalPolicy's values are the table's (retain, destroy, retain-on-update-or-delete).
  return validateEnum<RemovalPolicy>(
    policy ?? SETTINGS.removalPolicy.default,
    'removalPolicy',
    'removalPolicy',
  );
};

/**
 * A FIFO topic takes only publishes with a message group id, and delivers to SQS queues only:
 * CloudWatch alarm notifications (no group id) and email subscriptions cannot use one. The drift
 * events can (the publish function sets the group and deduplication ids).
 */
const validateTopics = (props: StageDriftMonitorProps, emailSubscriptions: readonly string[]): void => {
  const isFifo = (topic: ITopic | undefined): boolean => topic !== undefined && topic.fifo;
  if (isFifo(props.operationsTopic)) {
    throw new ConfigError(
      'operationsTopic',
      'a FIFO topic cannot receive alarm notifications (CloudWatch publishes them without the message ' +
        'group id a FIFO topic requires): use a standard topic',
    );
  }
  if (!isFifo(props.existingTopic)) return;
  if (props.operationsTopic === undefined) {
    throw new ConfigError(
      'existingTopic',
      'a FIFO topic cannot receive the alarm notifications, which go to the drift topic unless ' +
        'operationsTopic is set: set operationsTopic to a standard topic (-c operationsTopicArn=...), ' +
        'or use a standard topic here',
    );
  }
  if (emailSubscriptions.length > 0) {
    throw new ConfigError(
      'emailSubscriptions',
      'the drift topic (existingTopic) is a FIFO topic, which delivers to SQS queues only: subscribe ' +
        'the addresses to a standard topic, or leave this out',
    );
  }
};

const validateEncryption = (props: StageDriftMonitorProps): boolean | IKey => {
  const { customerManagedKey, encryptionKey } = props;
  if (customerManagedKey !== undefined && typeof customerManagedKey !== 'boolean') {
    throw new ConfigError(
      'customerManagedKey',
      `expected true or false, got ${JSON.stringify(customerManagedKey)}: leave it out for false`,
    );
  }
  if (encryptionKey === undefined) return customerManagedKey ?? SETTINGS.customerManagedKey.default;
  if (customerManagedKey === true) {
    throw new ConfigError(
      'customerManagedKey',
      "creates a key of the monitor's own, and encryptionKey is given too: set one of the two " +
        '(encryptionKey alone uses your key)',
    );
  }
  return encryptionKey;
};

/**
 * Validates {@link StageDriftMonitorProps} and fills in the defaults. Throws a `ConfigError` (or a
 * `DiffConfigError` for a bad severity or ignore pattern) whose message starts with the prop
 * and says how to fix it.
 */
export const resolveMonitorSettings = (scope: IConstruct, props: StageDriftMonitorProps): MonitorSettings => {
  const schedule = validateSchedule(props.schedule ?? DEFAULT_SCHEDULE);
  const { regions, iamRegions } = validateMonitorRegions(scope, props.regions);
  // The shared validation of the scan settings, path patterns and globs included, so a bad pattern
  // fails the synth rather than the function's first cold start. `regions` is checked above
  // (it may be unknown until deploy), so a placeholder stands in for it here.
  const config = resolveConfig({
    regions: regions ?? ['us-east-1'],
    requestsPerSecond: props.requestsPerSecond,
    burst: props.burst,
    concurrency: props.concurrency,
    retentionDays: props.retentionDays,
    severityOverrides: props.severityOverrides,
    ignore: props.ignore,
    postureRules: postureRulesFromProps(props.postureRules),
    revealVariables: props.revealVariables,
    outOfBand: props.outOfBand,
  });
  if (props.eventDrivenRescans !== undefined && typeof props.eventDrivenRescans !== 'boolean') {
    throw new ConfigError(
      'eventDrivenRescans',
      `expected true or false, got ${JSON.stringify(props.eventDrivenRescans)}: leave it out for true`,
    );
  }
  if (props.securityHubFindings !== undefined && typeof props.securityHubFindings !== 'boolean') {
    throw new ConfigError(
      'securityHubFindings',
      `expected true or false, got ${JSON.stringify(props.securityHubFindings)}: leave it out for false`,
    );
  }
  if (props.eventForwarders !== undefined && typeof props.eventForwarders !== 'boolean') {
    throw new ConfigError(
      'eventForwarders',
      `expected true or false, got ${JSON.stringify(props.eventForwarders)}: leave it out for false`,
    );
  }
  if (props.driftMetrics !== undefined && typeof props.driftMetrics !== 'boolean') {
    throw new ConfigError(
      'driftMetrics',
      `expected true or false, got ${JSON.stringify(props.driftMetrics)}: leave it out for false`,
    );
  }
  const emailSubscriptions = validateEmails(props.emailSubscriptions);
  validateTopics(props, emailSubscriptions);
  return {
    schedule,
    regions,
    iamRegions,
    scan: {
      requestsPerSecond: config.requestsPerSecond,
      burst: config.burst,
      concurrency: config.concurrency,
      retentionDays: config.retentionDays,
      severityOverrides: config.severityOverrides,
      ignore: config.ignore,
      postureRules: config.postureRules,
      revealVariables: config.revealVariables,
      outOfBand: config.outOfBand,
    },
    eventDrivenRescans: props.eventDrivenRescans ?? SETTINGS.eventDrivenRescans.default,
    fullScanInterval: validateFullScanInterval(
      props.fullScanInterval,
      schedule,
      props.eventDrivenRescans ?? SETTINGS.eventDrivenRescans.default,
    ),
    securityHubFindings: props.securityHubFindings ?? SETTINGS.securityHubFindings.default,
    driftMetrics: props.driftMetrics ?? SETTINGS.driftMetrics.default,
    eventForwarders: props.eventForwarders ?? SETTINGS.eventForwarders.default,
    slackSecret: validateSlackSecret(props.slackWebhookSecret),
    slackMinSeverity: validateEnum<SharedSeverity>(
      props.slackMinSeverity ?? SETTINGS.slackMinSeverity.default,
      'slackMinSeverity',
      'slackMinSeverity',
    ),
    slackDigestThreshold: validateNumber(
      props.slackDigestThreshold ?? SETTINGS.slackDigestThreshold.default,
      'slackDigestThreshold',
      numberRange('slackDigestThreshold'),
    ),
    emailSubscriptions,
    removalPolicy: validateRemovalPolicy(props.removalPolicy),
    customerManagedKey: validateEncryption(props),
    logRetention: props.logRetention ?? DEFAULT_LOG_RETENTION,
    fanOut: validateFanOut(scope, props),
  };
};
