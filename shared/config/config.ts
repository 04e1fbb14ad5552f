import { DiffConfigError, validateDiffOptions } from '../diff';
import type { OutOfBandMode, Severity } from '../model';
import { isSeverity, SEVERITIES } from '../model';
import type { PostureRule } from '../posture';
import { compilePostureRules, PostureConfigError } from '../posture';
import { ConfigError } from './errors';
import { isKnownRegion } from './regions';
import type { EnumSpec, SettingName } from './settings';
import { docOf, numberRange, SETTINGS } from './settings';

/** `{ path: 'tags.**', severity: 'INFO' }`: a severity for changes under a dot path pattern. */
export interface SeverityOverrideConfig {
  readonly path: string;
  readonly severity: Severity;
  readonly kind?: 'added' | 'removed' | 'changed';
}

export interface IgnoreConfig {
  /** Dot path patterns of changes to ignore, e.g. `tags.**`. */
  readonly paths?: readonly string[];
  /** Stages to ignore, by globs on API id and stage name (and account / region). */
  readonly stages?: readonly {
    readonly apiId?: string;
    readonly stageName?: string;
    readonly account?: string;
    readonly region?: string;
  }[];
  /** The ignore tag on a stage or its API. @default { key: 'stage-drift:ignore', value: 'true' } */
  readonly tag?: { readonly key: string; readonly value?: string };
}

/** One validated configuration, used by the snapshot Lambda, the CLI and (mirrored) the CDK construct. */
export interface StageDriftConfig {
  /** Regions to scan. @default the current region */
  readonly regions: readonly string[];
  /** Client-side management-API budget, requests per second per account and region. @default 3 */
  readonly requestsPerSecond: number;
  /** @default 10 */
  readonly burst: number;
  /** Control-plane calls in flight. @default 4 */
  readonly concurrency: number;
  /** Throttled calls are retried until this many seconds have passed. @default 120 */
  readonly throttleDeadlineSeconds: number;
  /** Days versions, drift events and run records are kept (DynamoDB TTL). @default 365 */
  readonly retentionDays: number;
  readonly severityOverrides: readonly SeverityOverrideConfig[];
  readonly ignore: IgnoreConfig;
  /**
   * The user's own posture controls (README "Posture"), validated by `compilePostureRules`;
   * the scan settings compile them after the Security Hub controls. @default none
   */
  readonly postureRules: readonly PostureRule[];
  /** Stage variable names whose values may appear in events. @default none */
  readonly revealVariables: readonly string[];
  /**
   * Drift CloudTrail attributes to infrastructure as code (CloudFormation/CDK, Terraform):
   * `off` reports it, `suppress` stores it without an event, `downgrade` reports it at INFO.
   * @default 'off'
   */
  readonly outOfBand: OutOfBandMode;
}

/** The defaults of the settings table (settings.ts); the lists and rules default to none. */
export const DEFAULT_CONFIG: Omit<StageDriftConfig, 'regions'> = {
  requestsPerSecond: SETTINGS.requestsPerSecond.default,
  burst: SETTINGS.burst.default,
  concurrency: SETTINGS.concurrency.default,
  throttleDeadlineSeconds: SETTINGS.throttleDeadlineSeconds.default,
  retentionDays: SETTINGS.retentionDays.default,
  severityOverrides: [],
  ignore: {},
  postureRules: [],
  revealVariables: [],
  outOfBand: SETTINGS.outOfBand.default,
};

export const validateRegions = (regions: readonly string[], setting: string): readonly string[] => {
  const given: unknown = regions; // typed for callers; checked for JSON and untyped CDK input
  if (!Array.isArray(given)) {
    throw new ConfigError(setting, 'expected a list of region codes, e.g. ["eu-west-1", "us-east-1"]');
  }
  if (regions.length === 0) throw new ConfigError(setting, 'give at least one region, e.g. eu-west-1');
  for (const region of given as unknown[]) {
    if (typeof region !== 'string' || !isKnownRegion(region)) {
      throw new ConfigError(
        setting,
        `unknown region ${JSON.stringify(region)}: use a region code such as eu-west-1 or us-east-1`,
      );
    }
  }
  return [...new Set(regions)];
};

const show = (value: unknown): string =>
  typeof value === 'number' ? String(value) : (JSON.stringify(value) ?? String(value));

export const validateNumber = (
  value: number,
  setting: string,
  range: { min: number; max: number; integer?: boolean; default?: number },
): number => {
  const kind = range.integer ? 'an integer' : 'a number';
  if (
    typeof value !== 'number' ||
    !Number.isFinite(value) ||
    (range.integer && !Number.isInteger(value)) ||
    value < range.min ||
    value > range.max
  ) {
    const fallback =
      range.default === undefined ? '' : `, or leave it unset for the default ${range.default}`;
    throw new ConfigError(
      setting,
      `expected ${kind} from ${range.min} to ${range.max}, got ${show(value)}: ` +
        `set ${kind} in that range${fallback}`,
    );
  }
  return value;
};

/** API Gateway's rule for stage variable names (REST and v2 alike). */
const STAGE_VARIABLE_NAME = /^[A-Za-z0-9_]+$/;

/**
 * Stage variable names whose values may be shown: a list of names as API Gateway allows them, so
 * none holds the comma the functions' environment separates them with.
 */
export const validateRevealVariables = (value: unknown, setting: string): readonly string[] => {
  if (!Array.isArray(value)) {
    throw new ConfigError(
      setting,
      'expected a list of stage variable names whose values may be shown, e.g. ["logLevel"] (default: none)',
    );
  }
  return value.map((name: unknown, i): string => {
    if (typeof name !== 'string' || !STAGE_VARIABLE_NAME.test(name)) {
      throw new ConfigError(
        `${setting}[${i}]`,
        `${show(name)} is not a stage variable name: use letters, digits and underscores, e.g. "logLevel"`,
      );
    }
    return name;
  });
};

/** The doc that says what each value does, for a message (none in the Lambda bundles). */
const explainValues = (spec: EnumSpec): string => {
  const doc = spec.docExplainsValues ? docOf(spec) : undefined;
  return doc === undefined ? '' : ` (${doc.replace(/`/g, "'")})`;
};

/** A value of an enum setting of the table; the message lists the values. */
export const validateEnum = <T extends string>(
  value: unknown,
  setting: string,
  name: { [K in SettingName]: (typeof SETTINGS)[K] extends EnumSpec ? K : never }[SettingName],
): T => {
  const spec: EnumSpec = SETTINGS[name];
  if (typeof value !== 'string' || !spec.values.includes(value)) {
    throw new ConfigError(
      setting,
      `${show(value)} is not ${spec.noun}: use one of ${spec.values.join(', ')}` + explainValues(spec),
    );
  }
  return value as T;
};

/**
 * The checks the diff engine makes at start-up (path patterns, stage globs, the ignore tag),
 * run here so a bad pattern is reported under the setting's own name, at config time.
 */
const validateDiffSettings = (
  config: Pick<StageDriftConfig, 'severityOverrides' | 'ignore' | 'revealVariables'>,
  name: (key: 'severityOverrides' | 'ignore' | 'revealVariables') => string,
): void => {
  try {
    validateDiffOptions({ fingerprintKey: 'validation-only', ...config });
  } catch (error) {
    if (!(error instanceof DiffConfigError)) throw error;
    const [, head = '', rest = ''] = /^([A-Za-z]+)(.*)$/.exec(error.field) ?? [];
    const setting =
      head === 'severityOverrides' || head === 'ignore' || head === 'revealVariables'
        ? `${name(head)}${rest}`
        : error.field;
    const problem = error.message.startsWith(`${error.field}: `)
      ? error.message.slice(error.field.length + 2)
      : error.message;
    throw new ConfigError(setting, problem, { cause: error });
  }
};

const validateOverrides = (value: unknown, setting: string): SeverityOverrideConfig[] => {
  if (!Array.isArray(value)) {
    throw new ConfigError(setting, 'expected a JSON array like [{"path":"tags.**","severity":"INFO"}]');
  }
  return value.map((entry: unknown, i) => {
    const o = entry as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || typeof o.path !== 'string' || o.path === '') {
      throw new ConfigError(`${setting}[${i}].path`, 'expected a non-empty dot path pattern, e.g. "tags.**"');
    }
    if (!isSeverity(o.severity)) {
      throw new ConfigError(
        `${setting}[${i}].severity`,
        `${show(o.severity)} is not a severity: use one of ${SEVERITIES.join(', ')}`,
      );
    }
    if (o.kind !== undefined && o.kind !== 'added' && o.kind !== 'removed' && o.kind !== 'changed') {
      throw new ConfigError(
        `${setting}[${i}].kind`,
        `${show(o.kind)} is not a change kind: use added, removed or changed, or leave it out for any kind`,
      );
    }
    return {
      path: o.path,
      severity: o.severity,
      ...(o.kind ? { kind: o.kind } : {}),
    };
  });
};

const validateIgnore = (value: unknown, setting: string): IgnoreConfig => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    throw new ConfigError(
      setting,
      'expected a JSON object like {"paths":["tags.**"],"stages":[{"stageName":"dev*"}]}',
    );
  }
  const o = value as Record<string, unknown>;
  const unknown = Object.keys(o).filter((k) => !['paths', 'stages', 'tag'].includes(k));
  if (unknown.length > 0)
    throw new ConfigError(`${setting}.${unknown[0]}`, 'unknown key: use paths, stages or tag');
  if (o.paths !== undefined && (!Array.isArray(o.paths) || o.paths.some((p) => typeof p !== 'string'))) {
    throw new ConfigError(`${setting}.paths`, 'expected an array of dot path patterns, e.g. ["tags.**"]');
  }
  if (
    o.stages !== undefined &&
    (!Array.isArray(o.stages) || o.stages.some((s) => typeof s !== 'object' || !s))
  ) {
    throw new ConfigError(
      `${setting}.stages`,
      'expected an array of {apiId?, stageName?, account?, region?} globs',
    );
  }
  if (
    o.tag !== undefined &&
    (typeof o.tag !== 'object' || !o.tag || typeof (o.tag as { key?: unknown }).key !== 'string')
  ) {
    throw new ConfigError(
      `${setting}.tag`,
      'expected {"key": "...", "value": "..."}, e.g. {"key":"stage-drift:ignore","value":"true"} (the default)',
    );
  }
  return o;
};

/** The posture rules, compiled once to check them: a bad rule names its field (`postureRules[0].expect[1].paths`). */
const validatePostureRules = (value: unknown, setting: string): readonly PostureRule[] => {
  try {
    compilePostureRules(value, setting);
  } catch (error) {
    if (!(error instanceof PostureConfigError)) throw error;
    throw new ConfigError(error.field, error.message.slice(error.field.length + 2), { cause: error });
  }
  return value as readonly PostureRule[];
};

/** Validates a partial config (e.g. from CLI flags or CDK props) and fills the defaults. */
export const resolveConfig = (
  input: Partial<StageDriftConfig> & { readonly regions: readonly string[] },
  names: Partial<Record<keyof StageDriftConfig, string>> = {},
): StageDriftConfig => {
  const name = (key: keyof StageDriftConfig) => names[key] ?? key;
  // An option given as `undefined` (an unset CLI flag, an omitted CDK prop) takes its default.
  const given = Object.fromEntries(Object.entries(input).filter(([, value]) => value !== undefined));
  const merged = { ...DEFAULT_CONFIG, ...given } as StageDriftConfig;
  const config: StageDriftConfig = {
    regions: validateRegions(merged.regions, name('regions')),
    requestsPerSecond: validateNumber(
      merged.requestsPerSecond,
      name('requestsPerSecond'),
      numberRange('requestsPerSecond'),
    ),
    burst: validateNumber(merged.burst, name('burst'), numberRange('burst')),
    concurrency: validateNumber(merged.concurrency, name('concurrency'), numberRange('concurrency')),
    throttleDeadlineSeconds: validateNumber(
      merged.throttleDeadlineSeconds,
      name('throttleDeadlineSeconds'),
      numberRange('throttleDeadlineSeconds'),
    ),
    retentionDays: validateNumber(merged.retentionDays, name('retentionDays'), numberRange('retentionDays')),
    severityOverrides: validateOverrides(merged.severityOverrides, name('severityOverrides')),
    ignore: validateIgnore(merged.ignore, name('ignore')),
    postureRules: validatePostureRules(merged.postureRules, name('postureRules')),
    revealVariables: validateRevealVariables(merged.revealVariables, name('revealVariables')),
    outOfBand: validateEnum<OutOfBandMode>(merged.outOfBand, name('outOfBand'), 'outOfBand'),
  };
  validateDiffSettings(config, name);
  return config;
};
