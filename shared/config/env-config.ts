import type { StageDriftConfig } from './config';
import { ConfigError, resolveConfig } from './config';

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
} as const;

export interface EnvConfig extends StageDriftConfig {
  readonly tableName: string;
}

type Env = Readonly<Record<string, string | undefined>>;

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
  } catch (error) {
    throw new ConfigError(
      name,
      `not valid JSON (${(error as Error).message}): quote keys and strings with double quotes, or unset it`,
      { cause: error },
    );
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
    ...(Object.fromEntries(Object.entries(ENV).filter(([k]) => k !== 'table')) as Record<
      keyof StageDriftConfig,
      string
    >),
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
      }),
    },
    names,
  );
  return { ...config, tableName };
};
