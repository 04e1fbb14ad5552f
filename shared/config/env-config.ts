import { describeJsonSyntaxError } from '../model';
import type { StageDriftConfig } from './config';
import { resolveConfig } from './config';
import { ConfigError } from './errors';
import type { FanOutConfig } from './fan-out-config';
import {
  DEFAULT_READER_ROLE_NAME,
  validateAccountIds,
  validateExternalId,
  validateOrganizationalUnitId,
  validateRoleName,
  validateTaskQueueUrl,
} from './fan-out-config';

/** The environment variables the snapshot Lambda (and `stage-drift scan`) read. */
export const ENV = {
  table: 'STAGE_DRIFT_TABLE',
  regions: 'STAGE_DRIFT_REGIONS',
  requestsPerSecond: 'STAGE_DRIFT_REQUESTS_PER_SECOND',
  burst: 'STAGE_DRIFT_BURST',
  concurrency: 'STAGE_DRIFT_CONCURRENCY',
  throttleDeadlineSeconds: 'STAGE_DRIFT_THROTTLE_DEADLINE_SECONDS',
  retentionDays: 'STAGE_DRIFT_RETENTION_DAYS',
  severityOverrides: 'STAGE_DRIFT_SEVERITY_OVERRIDES',
  ignore: 'STAGE_DRIFT_IGNORE',
  revealVariables: 'STAGE_DRIFT_REVEAL_VARIABLES',
  outOfBand: 'STAGE_DRIFT_OUT_OF_BAND',
  targetAccounts: 'STAGE_DRIFT_TARGET_ACCOUNTS',
  targetOrganizationalUnit: 'STAGE_DRIFT_TARGET_OU',
  readerRoleName: 'STAGE_DRIFT_READER_ROLE_NAME',
  externalId: 'STAGE_DRIFT_EXTERNAL_ID',
  taskQueueUrl: 'STAGE_DRIFT_TASK_QUEUE_URL',
  eventsQueueArn: 'STAGE_DRIFT_EVENTS_QUEUE_ARN',
} as const;

/** The `ENV` keys of the fan-out settings (the others name `StageDriftConfig` keys). */
const FAN_OUT_KEYS = [
  'targetAccounts',
  'targetOrganizationalUnit',
  'readerRoleName',
  'externalId',
  'taskQueueUrl',
] as const;

export interface EnvConfig extends StageDriftConfig {
  readonly tableName: string;
  /**
   * The ARN of the queue of CloudTrail events (`STAGE_DRIFT_EVENTS_QUEUE_ARN`): its records are
   * event-driven rescans. Unset, event-driven rescans are off.
   */
  readonly eventsQueueArn?: string;
  /** Set when `STAGE_DRIFT_TASK_QUEUE_URL` is: scheduled runs plan tasks, queue messages are scanned. */
  readonly fanOut?: FanOutConfig;
}

type Env = Readonly<Record<string, string | undefined>>;

const SQS_ARN = /^arn:aws[a-z-]*:sqs:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,80}$/;

/** DynamoDB's rule for table names. */
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

const list = (value: string | undefined): string[] | undefined =>
  value === undefined || value.trim() === ''
    ? undefined
    : value
        .split(',')
        .map((s) => s.trim())
        .filter((s) => s !== '');

const number = (env: Env, name: string): number | undefined => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  const value = Number(raw);
  if (!Number.isFinite(value)) {
    throw new ConfigError(
      name,
      `expected a number, got "${raw}": set a plain number such as 10, or unset it`,
    );
  }
  return value;
};

const json = (env: Env, name: string): unknown => {
  const raw = env[name];
  if (raw === undefined || raw.trim() === '') return undefined;
  try {
    return JSON.parse(raw);
  } catch {
    // Not V8's message, nor it as the cause: it quotes the text around the error, maybe a secret.
    throw new ConfigError(name, `${describeJsonSyntaxError(raw)}, or unset it`);
  }
};

const defined = <T extends object>(o: T): Partial<T> =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;

/**
 * Reads and validates the configuration from environment variables; throws a ConfigError naming
 * the variable on any bad value, so a misconfigured Lambda fails at init, not mid-scan.
 */
export const loadConfigFromEnv = (env: Env): EnvConfig => {
  const tableName = env[ENV.table]?.trim();
  if (!tableName) {
    throw new ConfigError(ENV.table, 'required: set it to the name of the stage-drift DynamoDB table');
  }
  if (!TABLE_NAME_PATTERN.test(tableName)) {
    throw new ConfigError(
      ENV.table,
      `"${tableName}" is not a DynamoDB table name: use 3 to 255 letters, digits, "_", "-" or "."`,
    );
  }
  const explicitRegions = list(env[ENV.regions]);
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
  const names = {
    ...(Object.fromEntries(
      Object.entries(ENV).filter(
        ([k]) => k !== 'table' && k !== 'eventsQueueArn' && !(FAN_OUT_KEYS as readonly string[]).includes(k),
      ),
    ) as Record<keyof StageDriftConfig, string>),
    ...(explicitRegions ? {} : { regions: regionSource }),
  };
  const config = resolveConfig(
    {
      regions,
      ...defined({
        requestsPerSecond: number(env, ENV.requestsPerSecond),
        burst: number(env, ENV.burst),
        concurrency: number(env, ENV.concurrency),
        throttleDeadlineSeconds: number(env, ENV.throttleDeadlineSeconds),
        retentionDays: number(env, ENV.retentionDays),
        severityOverrides: json(env, ENV.severityOverrides) as
          StageDriftConfig['severityOverrides'] | undefined,
        ignore: json(env, ENV.ignore) as StageDriftConfig['ignore'] | undefined,
        revealVariables: list(env[ENV.revealVariables]),
        outOfBand: text(env, ENV.outOfBand) as StageDriftConfig['outOfBand'] | undefined,
      }),
    },
    names,
  );
  const fanOut = loadFanOutFromEnv(env);
  const eventsQueueArn = text(env, ENV.eventsQueueArn);
  if (eventsQueueArn !== undefined && !SQS_ARN.test(eventsQueueArn)) {
    throw new ConfigError(
      ENV.eventsQueueArn,
      `"${eventsQueueArn}" is not an SQS queue ARN: expected arn:aws:sqs:<region>:<account>:<queue>, or unset it`,
    );
  }
  return {
    ...config,
    tableName,
    ...(fanOut ? { fanOut } : {}),
    ...(eventsQueueArn === undefined ? {} : { eventsQueueArn }),
  };
};

const text = (env: Env, name: string): string | undefined => {
  const value = env[name]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

/**
 * The fan-out settings, or `undefined` for a single-account monitor. Targets need the queue; the
 * queue alone fans out over the regions of the function's own account.
 */
const loadFanOutFromEnv = (env: Env): FanOutConfig | undefined => {
  const accounts = list(env[ENV.targetAccounts]);
  const ou = text(env, ENV.targetOrganizationalUnit);
  const roleName = text(env, ENV.readerRoleName);
  const externalId = text(env, ENV.externalId);
  const queueUrl = text(env, ENV.taskQueueUrl);
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
    targetAccounts: accounts ? validateAccountIds(accounts, ENV.targetAccounts) : [],
    ...(ou === undefined
      ? {}
      : { targetOrganizationalUnit: validateOrganizationalUnitId(ou, ENV.targetOrganizationalUnit) }),
    readerRoleName: validateRoleName(roleName ?? DEFAULT_READER_ROLE_NAME, ENV.readerRoleName),
    ...(externalId === undefined ? {} : { externalId: validateExternalId(externalId, ENV.externalId) }),
    taskQueueUrl: validateTaskQueueUrl(queueUrl, ENV.taskQueueUrl),
  };
};
