import { isArn } from './aws-names';
import type { StageDriftConfig } from './config';
import { DEFAULT_CONFIG, resolveConfig, validateNumber } from './config';
import type { Env } from './environment';
import { decodeEnv, loadTableName, readEnv } from './environment';
import { ConfigError } from './errors';
import type { FanOutConfig, MemberAccountsConfig } from './fan-out-config';
import {
  DEFAULT_READER_ROLE_NAME,
  validateAccountIds,
  validateExternalId,
  validateOrganizationalUnitId,
  validateRoleName,
  validateStandardQueueUrl,
  validateTaskQueueUrl,
} from './fan-out-config';
import { ENV, SETTINGS } from './settings';

export { ENV } from './settings';

export interface EnvConfig extends StageDriftConfig {
  readonly tableName: string;
  /**
   * The ARN of the queue of CloudTrail events (`STAGE_DRIFT_EVENTS_QUEUE_ARN`): its records are
   * event-driven rescans. Unset, event-driven rescans are off.
   */
  readonly eventsQueueArn?: string;
  /** Set when `STAGE_DRIFT_TASK_QUEUE_URL` is: scheduled runs plan tasks, queue messages are scanned. */
  readonly fanOut?: FanOutConfig;
  /**
   * The rescan function's member accounts (`STAGE_DRIFT_TARGET_ACCOUNTS` or `STAGE_DRIFT_TARGET_OU`
   * with `STAGE_DRIFT_EVENTS_QUEUE_ARN`, no task queue): whose forwarded events it rescans, through
   * their reader roles.
   */
  readonly members?: MemberAccountsConfig;
  /**
   * `STAGE_DRIFT_SECURITY_HUB`: import posture changes as Security Hub findings after each scan;
   * set only when true. @default false
   */
  readonly securityHubFindings?: true;
  /**
   * `STAGE_DRIFT_DRIFT_METRICS`: also send the activity metrics (`StagesChanged`,
   * `Drifts<SEVERITY>`, `Throttled`, `TargetedRescans`, …); set only when true. Failure metrics
   * are always sent (when non-zero). @default false
   */
  readonly driftMetrics?: true;
  /**
   * `STAGE_DRIFT_FULL_SCAN_INTERVAL`, minutes: adaptive full scans (README, "Adaptive full
   * scans"). The construct sets it with event-driven rescans only; unset, every scheduled run is a
   * full scan.
   */
  readonly fullScanIntervalMinutes?: number;
  /** `eventForwarders`: member accounts and other regions forward their events (adaptive scans for them too). */
  readonly eventForwarders?: true;
  /**
   * `STAGE_DRIFT_FAILURE_QUEUE_URL`: where a scan reports what it could not read (a standard
   * queue, alarmed). Unset (a function run by hand), reports are logged only.
   */
  readonly failureQueueUrl?: string;
}

/** The scan settings the functions read: every `StageDriftConfig` setting but the regions. */
const SCAN_SETTINGS = Object.keys(DEFAULT_CONFIG) as (keyof typeof DEFAULT_CONFIG)[];

/**
 * Reads and validates the configuration from environment variables; throws a ConfigError naming
 * the variable on any bad value, so a misconfigured Lambda fails at init, not mid-scan.
 */
export const loadConfigFromEnv = (env: Env): EnvConfig => {
  const tableName = loadTableName(env);
  const explicitRegions = decodeEnv('regions', env) as string[] | undefined;
  // Unset, the regions default to the current one; a bad value is then the region variable's fault.
  const regionSource = env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
  const currentRegion = env[regionSource]?.trim();
  const regions = explicitRegions ?? (currentRegion ? [currentRegion] : []);
  if (regions.length === 0) {
    throw new ConfigError(
      ENV.regions,
      'no regions: set it (e.g. "eu-west-1,us-east-1"), or AWS_REGION for the current region only',
    );
  }
  const given = Object.fromEntries(
    SCAN_SETTINGS.map((name) => [name, decodeEnv(name, env)]).filter(([, value]) => value !== undefined),
  ) as Partial<StageDriftConfig>;
  const names = {
    ...Object.fromEntries(SCAN_SETTINGS.map((name) => [name, ENV[name]])),
    regions: explicitRegions ? ENV.regions : regionSource,
  };
  const config = resolveConfig({ ...given, regions }, names);
  const eventsQueueArn = readEnv(env, ENV.eventsQueueArn);
  const members = loadMembersFromEnv(env);
  // The rescan function reads the member accounts without the task queue, which is the snapshot
  // function's and the planner's.
  const rescanMembers = eventsQueueArn !== undefined && readEnv(env, ENV.taskQueueUrl) === undefined;
  const fanOut = rescanMembers ? undefined : loadFanOutFromEnv(env, members);
  if (eventsQueueArn !== undefined && !isArn('sqsQueue', eventsQueueArn)) {
    throw new ConfigError(
      ENV.eventsQueueArn,
      `"${eventsQueueArn}" is not an SQS queue ARN: expected arn:aws:sqs:<region>:<account>:<queue>, or unset it`,
    );
  }
  const interval = decodeEnv('fullScanInterval', env) as number | undefined;
  const fullScanIntervalMinutes =
    interval === undefined
      ? undefined
      : validateNumber(interval, ENV.fullScanInterval, {
          min: SETTINGS.fullScanInterval.min,
          max: SETTINGS.fullScanInterval.max,
          integer: true,
        });
  const securityHubFindings =
    (decodeEnv('securityHubFindings', env) as boolean | undefined) ?? SETTINGS.securityHubFindings.default;
  const driftMetrics =
    (decodeEnv('driftMetrics', env) as boolean | undefined) ?? SETTINGS.driftMetrics.default;
  const eventForwarders =
    (decodeEnv('eventForwarders', env) as boolean | undefined) ?? SETTINGS.eventForwarders.default;
  const failureQueue = readEnv(env, ENV.failureQueueUrl);
  return {
    ...config,
    tableName,
    ...(securityHubFindings ? { securityHubFindings: true as const } : {}),
    ...(driftMetrics ? { driftMetrics: true as const } : {}),
    ...(fanOut ? { fanOut } : {}),
    ...(rescanMembers && members ? { members } : {}),
    ...(eventsQueueArn === undefined ? {} : { eventsQueueArn }),
    ...(fullScanIntervalMinutes === undefined ? {} : { fullScanIntervalMinutes }),
    ...(eventForwarders ? { eventForwarders: true as const } : {}),
    ...(failureQueue === undefined
      ? {}
      : { failureQueueUrl: validateStandardQueueUrl(failureQueue, ENV.failureQueueUrl) }),
  };
};

/**
 * The member accounts (`STAGE_DRIFT_TARGET_ACCOUNTS`, `STAGE_DRIFT_TARGET_OU`) and their reader
 * role, or `undefined` when neither is set (the role's name and external id alone are checked by
 * the caller).
 */
const loadMembersFromEnv = (env: Env): MemberAccountsConfig | undefined => {
  const accounts = decodeEnv('targetAccounts', env) as string[] | undefined;
  const ou = readEnv(env, ENV.targetOrganizationalUnit);
  if (accounts === undefined && ou === undefined) return undefined;
  return readMembers(env, accounts, ou);
};

const readMembers = (
  env: Env,
  accounts: string[] | undefined,
  ou: string | undefined,
): MemberAccountsConfig => {
  const roleName = readEnv(env, ENV.readerRoleName);
  const externalId = readEnv(env, ENV.externalId);
  return {
    targetAccounts: accounts ? validateAccountIds(accounts, ENV.targetAccounts) : [],
    ...(ou === undefined
      ? {}
      : { targetOrganizationalUnit: validateOrganizationalUnitId(ou, ENV.targetOrganizationalUnit) }),
    readerRoleName: validateRoleName(roleName ?? DEFAULT_READER_ROLE_NAME, ENV.readerRoleName),
    ...(externalId === undefined ? {} : { externalId: validateExternalId(externalId, ENV.externalId) }),
  };
};

/**
 * The fan-out settings, or `undefined` for a single-account monitor. Targets need the queue; the
 * queue alone fans out over the regions of the function's own account.
 */
const loadFanOutFromEnv = (env: Env, members: MemberAccountsConfig | undefined): FanOutConfig | undefined => {
  const accounts = decodeEnv('targetAccounts', env) as string[] | undefined;
  const ou = readEnv(env, ENV.targetOrganizationalUnit);
  const roleName = readEnv(env, ENV.readerRoleName);
  const externalId = readEnv(env, ENV.externalId);
  const queueUrl = readEnv(env, ENV.taskQueueUrl);
  if (queueUrl === undefined) {
    const given = [
      [ENV.targetAccounts, accounts],
      [ENV.targetOrganizationalUnit, ou],
      [ENV.readerRoleName, roleName],
      [ENV.externalId, externalId],
    ].find(([, value]) => value !== undefined);
    if (given) {
      throw new ConfigError(
        ENV.taskQueueUrl,
        `required with ${String(given[0])}: set it to the URL of the FIFO task queue ` +
          '(the StageDriftMonitor construct sets it when targetAccounts or targetOrganizationalUnit is set)',
      );
    }
    return undefined;
  }
  return {
    ...(members ?? readMembers(env, accounts, ou)),
    taskQueueUrl: validateTaskQueueUrl(queueUrl, ENV.taskQueueUrl),
  };
};
