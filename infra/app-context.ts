import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { ConfigError } from '../shared/config';
import { describeJsonSyntaxError } from '../shared/model';
import type {
  IgnoreRules,
  Severity,
  SeverityOverride,
  StageDriftMonitorProps,
} from './stage-drift-monitor-props';

/** Monitor props that are plain values (the ones that take a construct are given as ARNs). */
export type PlainMonitorProps = Omit<
  StageDriftMonitorProps,
  'existingTopic' | 'existingTable' | 'operationsTopic'
>;

/** Everything the app reads from context: the stack name, the plain props, and ARNs to import. */
export interface StageDriftSettings {
  readonly stackName: string;
  readonly monitor: PlainMonitorProps;
  readonly existingTopicArn?: string;
  readonly existingTableArn?: string;
  readonly existingTableStreamArn?: string;
  readonly existingTableKeyArn?: string;
  readonly operationsTopicArn?: string;
}

type Kind =
  | 'duration'
  | 'list'
  | 'number'
  | 'json'
  | 'string'
  | 'boolean'
  | 'arn'
  | 'removalPolicy'
  | 'retentionDays'
  | 'stackName';

/** One context key: `-c key=value` on the command line, or `"context": { "key": value }` in cdk.json. */
export interface ContextKey {
  readonly key: string;
  readonly kind: Kind;
  /** The construct prop it sets, or what it is for. */
  readonly prop: string;
  readonly default: string;
  readonly example: string;
}

export const DEFAULT_STACK_NAME = 'StageDrift';

/** Every context key the app reads, in the order of the configuration table in docs/deploy.md. */
export const CONTEXT_KEYS: readonly ContextKey[] = [
  {
    key: 'stackName',
    kind: 'stackName',
    prop: '(stack name)',
    default: DEFAULT_STACK_NAME,
    example: 'StageDriftProd',
  },
  { key: 'schedule', kind: 'duration', prop: 'schedule', default: '15 minutes', example: '5 minutes' },
  {
    key: 'regions',
    kind: 'list',
    prop: 'regions',
    default: 'the deploy region',
    example: 'eu-west-1,us-east-1',
  },
  { key: 'requestsPerSecond', kind: 'number', prop: 'requestsPerSecond', default: '3', example: '2' },
  { key: 'burst', kind: 'number', prop: 'burst', default: '10', example: '5' },
  { key: 'concurrency', kind: 'number', prop: 'concurrency', default: '4', example: '2' },
  {
    key: 'severityOverrides',
    kind: 'json',
    prop: 'severityOverrides',
    default: 'none',
    example: '[{"path":"tags.**","severity":"INFO"}]',
  },
  {
    key: 'ignore',
    kind: 'json',
    prop: 'ignore',
    default: 'tag stage-drift:ignore=true',
    example: '{"stages":[{"stageName":"dev-*"}]}',
  },
  {
    key: 'revealVariables',
    kind: 'list',
    prop: 'revealVariables',
    default: 'none',
    example: 'logLevel,featureFlag',
  },
  { key: 'outOfBand', kind: 'string', prop: 'outOfBand', default: 'off', example: 'suppress' },
  {
    key: 'eventDrivenRescans',
    kind: 'boolean',
    prop: 'eventDrivenRescans',
    default: 'true',
    example: 'false',
  },
  {
    key: 'slackWebhookSecret',
    kind: 'string',
    prop: 'slackWebhookSecret',
    default: 'none (no Slack)',
    example: 'stage-drift/slack',
  },
  { key: 'slackMinSeverity', kind: 'string', prop: 'slackMinSeverity', default: 'MEDIUM', example: 'HIGH' },
  { key: 'slackDigestThreshold', kind: 'number', prop: 'slackDigestThreshold', default: '5', example: '10' },
  {
    key: 'emailSubscriptions',
    kind: 'list',
    prop: 'emailSubscriptions',
    default: 'none',
    example: 'ops@example.com,sec@example.com',
  },
  { key: 'retentionDays', kind: 'number', prop: 'retentionDays', default: '365', example: '90' },
  {
    key: 'removalPolicy',
    kind: 'removalPolicy',
    prop: 'removalPolicy',
    default: 'retain',
    example: 'destroy',
  },
  { key: 'logRetention', kind: 'retentionDays', prop: 'logRetention', default: '90 (days)', example: '30' },
  {
    key: 'targetAccounts',
    kind: 'list',
    prop: 'targetAccounts',
    default: 'none (this account only)',
    example: '111122223333,444455556666',
  },
  {
    key: 'targetOrganizationalUnit',
    kind: 'string',
    prop: 'targetOrganizationalUnit',
    default: 'none',
    example: 'ou-ab12-cd34ef56',
  },
  {
    key: 'readerRoleName',
    kind: 'string',
    prop: 'readerRoleName',
    default: 'StageDriftReader',
    example: 'ApiGatewayDriftReader',
  },
  { key: 'externalId', kind: 'string', prop: 'externalId', default: 'none', example: 'stage-drift-7f3a' },
  { key: 'maxConcurrentScans', kind: 'number', prop: 'maxConcurrentScans', default: '10', example: '20' },
  {
    key: 'existingTopicArn',
    kind: 'arn',
    prop: 'existingTopic',
    default: 'a new encrypted topic',
    example: 'arn:aws:sns:eu-west-1:111122223333:drift',
  },
  {
    key: 'existingTableArn',
    kind: 'arn',
    prop: 'existingTable',
    default: 'a new table',
    example: 'arn:aws:dynamodb:eu-west-1:111122223333:table/StageDrift',
  },
  {
    key: 'existingTableStreamArn',
    kind: 'arn',
    prop: 'existingTable (its stream)',
    default: 'required with existingTableArn',
    example: 'arn:aws:dynamodb:eu-west-1:111122223333:table/StageDrift/stream/2026-01-01T00:00:00.000',
  },
  {
    key: 'existingTableKeyArn',
    kind: 'arn',
    prop: 'existingTable (its KMS key)',
    default: 'none (AWS-owned or AWS-managed key)',
    example: 'arn:aws:kms:eu-west-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab',
  },
  {
    key: 'operationsTopicArn',
    kind: 'arn',
    prop: 'operationsTopic',
    default: 'the drift topic',
    example: 'arn:aws:sns:eu-west-1:111122223333:ops',
  },
];

const ARN_PATTERNS: Readonly<Record<string, { pattern: RegExp; shape: string }>> = {
  existingTopicArn: {
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
    shape: 'arn:aws:sns:<region>:<account>:<topic>',
  },
  operationsTopicArn: {
    pattern: /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/,
    shape: 'arn:aws:sns:<region>:<account>:<topic>',
  },
  existingTableArn: {
    pattern: /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}$/,
    shape: 'arn:aws:dynamodb:<region>:<account>:table/<name>',
  },
  existingTableStreamArn: {
    pattern: /^arn:aws[a-z-]*:dynamodb:[a-z0-9-]+:\d{12}:table\/[A-Za-z0-9_.-]{3,255}\/stream\/[^\s/]+$/,
    shape: 'arn:aws:dynamodb:<region>:<account>:table/<name>/stream/<label>',
  },
  existingTableKeyArn: {
    pattern: /^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[A-Za-z0-9-]+$/,
    shape: 'arn:aws:kms:<region>:<account>:key/<key id>',
  },
};

const fail = (key: string, problem: string): never => {
  throw new ConfigError(`${key} (context)`, problem);
};

const parseNumber = (key: string, raw: unknown): number => {
  const value = typeof raw === 'number' ? raw : typeof raw === 'string' ? Number(raw.trim()) : NaN;
  if (!Number.isFinite(value)) fail(key, `expected a number, got ${JSON.stringify(raw)}: e.g. -c ${key}=5`);
  return value;
};

const parseList = (key: string, raw: unknown): string[] => {
  if (Array.isArray(raw) && raw.every((v) => typeof v === 'string')) return raw.map((v) => v.trim());
  if (typeof raw !== 'string')
    return fail(key, `expected a comma-separated list, got ${JSON.stringify(raw)}`);
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
};

const parseJson = (key: string, raw: unknown, example: string): unknown => {
  if (typeof raw !== 'string') return raw; // already JSON in cdk.json
  try {
    return JSON.parse(raw);
  } catch {
    // Not V8's message: it quotes the text around the error, maybe a secret.
    return fail(key, `${describeJsonSyntaxError(raw)}; e.g. -c '${key}=${example}'`);
  }
};

const DURATION = /^(\d+)\s*(m|min|mins|minute|minutes|h|hour|hours|d|day|days)?$/i;

const parseDuration = (key: string, raw: unknown): Duration => {
  const text = typeof raw === 'number' ? String(raw) : typeof raw === 'string' ? raw.trim() : '';
  const match = DURATION.exec(text);
  if (!match) {
    return fail(
      key,
      `expected minutes or a duration such as "15 minutes", "2 hours", "1 day"; got ${JSON.stringify(raw)}`,
    );
  }
  const amount = Number(match[1]);
  const unit = (match[2] ?? 'm').toLowerCase();
  return unit.startsWith('h')
    ? Duration.hours(amount)
    : unit.startsWith('d')
      ? Duration.days(amount)
      : Duration.minutes(amount);
};

const REMOVAL_POLICIES: Readonly<Record<string, RemovalPolicy>> = {
  retain: RemovalPolicy.RETAIN,
  destroy: RemovalPolicy.DESTROY,
  'retain-on-update-or-delete': RemovalPolicy.RETAIN_ON_UPDATE_OR_DELETE,
};

const parseRemovalPolicy = (key: string, raw: unknown): RemovalPolicy => {
  const policy = typeof raw === 'string' ? REMOVAL_POLICIES[raw.trim().toLowerCase()] : undefined;
  if (policy === undefined) {
    fail(key, `expected one of ${Object.keys(REMOVAL_POLICIES).join(', ')}, got ${JSON.stringify(raw)}`);
  }
  return policy as RemovalPolicy;
};

const RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

const parseRetentionDays = (key: string, raw: unknown): RetentionDays => {
  const days = parseNumber(key, raw);
  if (!RETENTION_VALUES.includes(days)) {
    fail(
      key,
      `CloudWatch Logs keeps logs for one of ${RETENTION_VALUES.filter((d) => d > 0).join(', ')} days; got ${days}`,
    );
  }
  return days;
};

const parseArn = (key: string, raw: unknown): string => {
  const rule = ARN_PATTERNS[key];
  if (typeof raw !== 'string' || (rule !== undefined && !rule.pattern.test(raw.trim()))) {
    return fail(key, `${JSON.stringify(raw)} is not a valid ARN: expected ${rule?.shape ?? 'an ARN'}`);
  }
  return raw.trim();
};

export const parseBoolean = (key: string, raw: unknown): boolean => {
  if (typeof raw === 'boolean') return raw;
  const text = typeof raw === 'string' ? raw.trim().toLowerCase() : '';
  if (text === 'true') return true;
  if (text === 'false') return false;
  return fail(key, `expected true or false, got ${JSON.stringify(raw)}: e.g. -c ${key}=false`);
};

const parseString = (key: string, raw: unknown): string => {
  if (typeof raw !== 'string') return fail(key, `expected a string, got ${JSON.stringify(raw)}`);
  return raw.trim();
};

/** CloudFormation's rule for stack names. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

/** A stack name CloudFormation accepts (CDK's own check would end the app with a stack trace). */
export const parseStackName = (key: string, raw: unknown): string => {
  const name = typeof raw === 'string' ? raw.trim() : raw;
  if (typeof name !== 'string' || !STACK_NAME.test(name)) {
    return fail(
      key,
      `${JSON.stringify(raw)} is not a CloudFormation stack name: start with a letter, then letters, digits ` +
        'and hyphens, up to 128 characters; e.g. -c stackName=StageDriftProd',
    );
  }
  return name;
};

const parse = (entry: ContextKey, raw: unknown): unknown => {
  switch (entry.kind) {
    case 'duration':
      return parseDuration(entry.key, raw);
    case 'list':
      return parseList(entry.key, raw);
    case 'number':
      return parseNumber(entry.key, raw);
    case 'json':
      return parseJson(entry.key, raw, entry.example);
    case 'string':
      return parseString(entry.key, raw);
    case 'boolean':
      return parseBoolean(entry.key, raw);
    case 'arn':
      return parseArn(entry.key, raw);
    case 'removalPolicy':
      return parseRemovalPolicy(entry.key, raw);
    case 'retentionDays':
      return parseRetentionDays(entry.key, raw);
    case 'stackName':
      return parseStackName(entry.key, raw);
  }
};

/**
 * The reader-role app's context keys (infra/reader-role-app.ts). Run from this directory, it also
 * sees the monitor's keys in cdk.json, and takes no notice of them.
 */
export const READER_CONTEXT_KEYS = [
  'stackName',
  'monitorAccountId',
  'externalId',
  'readerRoleName',
  'monitorRoleArns',
  'trustMonitorAccount',
  'attribution',
] as const;

/**
 * Context that is CDK's own, not a setting of ours: feature flags (`@aws-cdk/...`, `cdk-...`),
 * the CLI's `aws:cdk:...` keys, cached lookups from cdk.context.json (`<provider>:<query>`), and
 * the CLI's own context settings.
 */
const isCdkContext = (key: string): boolean =>
  key.startsWith('@aws-cdk') ||
  key.startsWith('cdk-') ||
  key.includes(':') ||
  key === 'cli-telemetry' ||
  key === 'acknowledged-issue-numbers';

/** Settings of the CDK CLI that it reads from the top level of cdk.json only; under "context" they do nothing. */
const CLI_SETTINGS = [
  'app',
  'assetMetadata',
  'build',
  'debug',
  'lookups',
  'notices',
  'output',
  'pathMetadata',
  'profile',
  'requireApproval',
  'staging',
  'toolkitStackName',
  'versionReporting',
  'watch',
];

/** Levenshtein distance, case-insensitive. */
const distance = (a: string, b: string): number => {
  const [x, y] = [a.toLowerCase(), b.toLowerCase()];
  let previous = Array.from({ length: y.length + 1 }, (_, j) => j);
  for (let i = 1; i <= x.length; i++) {
    const current = [i];
    for (let j = 1; j <= y.length; j++) {
      const substitution = (previous[j - 1] ?? 0) + (x[i - 1] === y[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[y.length] ?? 0;
};

/** The known key nearest to `key`, if one is near enough to be a typo of it. */
const nearestKey = (key: string, known: readonly string[]): string | undefined => {
  const [best] = known
    .map((candidate) => ({ candidate, d: distance(key, candidate) }))
    .sort((a, b) => a.d - b.d);
  return best && best.d <= Math.max(2, Math.floor(key.length / 3)) ? best.candidate : undefined;
};

export interface ContextKeyRules {
  /** The keys this app reads (or, like the reader-role app with the monitor's, may see and pass over). */
  readonly known: readonly string[];
  /** Where the keys are listed, for the message. */
  readonly listedIn: string;
  /** Keys of the other app of this repository, named in the message when given here. */
  readonly otherApp?: { readonly keys: readonly string[]; readonly app: string };
}

/**
 * Fails on a context key that is neither this app's nor CDK's: without this check `-c region=…`
 * (the key is `regions`) is silently ignored and the monitor deploys with the default. The
 * `ConfigError` names the key and the nearest known one.
 */
export const rejectUnknownContextKeys = (node: Node, rules: ContextKeyRules): void => {
  const given = Object.keys(node.getAllContext() as Record<string, unknown>);
  for (const key of given.filter((k) => !rules.known.includes(k) && !isCdkContext(k))) {
    if (CLI_SETTINGS.includes(key)) {
      fail(
        key,
        `a setting of the CDK CLI, read only at the top level of cdk.json (or as a cdk option), not under ` +
          `"context": move it up a level`,
      );
    }
    const problem = 'unknown context key, ignored until now: ';
    if (rules.otherApp?.keys.includes(key)) {
      fail(key, `${problem}it is a setting of ${rules.otherApp.app}, not of this app; leave it out here`);
    }
    const nearest = nearestKey(key, rules.known);
    fail(key, `${problem}${nearest ? `did you mean ${nearest}? ` : ''}(the keys: ${rules.listedIn})`);
  }
};

/**
 * Reads the monitor's settings from CDK context and parses their types (numbers, comma lists,
 * JSON, durations, ARNs, the stack name). A key the app does not know, or a value that does not
 * parse, throws a `ConfigError` naming the context key; the meaning of each value is checked by
 * the construct itself.
 */
export const readStageDriftSettings = (node: Node): StageDriftSettings => {
  rejectUnknownContextKeys(node, {
    known: CONTEXT_KEYS.map((k) => k.key),
    listedIn: 'docs/deploy.md, "Configuration"',
    otherApp: {
      keys: READER_CONTEXT_KEYS.filter((k) => !CONTEXT_KEYS.some((c) => c.key === k)),
      app: 'the reader-role app (infra/reader-role-app.ts)',
    },
  });
  const values: Record<string, unknown> = {};
  for (const entry of CONTEXT_KEYS) {
    const raw: unknown = node.tryGetContext(entry.key);
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    values[entry.key] = parse(entry, raw);
  }
  if (values.existingTableArn !== undefined && values.existingTableStreamArn === undefined) {
    fail(
      'existingTableStreamArn',
      'required with existingTableArn: the publish function reads the table stream',
    );
  }
  if (values.existingTableArn === undefined) {
    for (const key of ['existingTableStreamArn', 'existingTableKeyArn']) {
      if (values[key] !== undefined)
        fail(key, 'only used with existingTableArn: set that too, or leave this out');
    }
  }
  const str = (key: string) => values[key] as string | undefined;
  return {
    stackName: str('stackName') ?? DEFAULT_STACK_NAME,
    monitor: {
      schedule: values.schedule as Duration | undefined,
      regions: values.regions as string[] | undefined,
      requestsPerSecond: values.requestsPerSecond as number | undefined,
      burst: values.burst as number | undefined,
      concurrency: values.concurrency as number | undefined,
      severityOverrides: values.severityOverrides as SeverityOverride[] | undefined,
      ignore: values.ignore as IgnoreRules | undefined,
      revealVariables: values.revealVariables as string[] | undefined,
      outOfBand: str('outOfBand')?.toLowerCase() as PlainMonitorProps['outOfBand'],
      eventDrivenRescans: values.eventDrivenRescans as boolean | undefined,
      slackWebhookSecret: str('slackWebhookSecret'),
      slackMinSeverity: str('slackMinSeverity')?.toUpperCase() as Severity | undefined,
      slackDigestThreshold: values.slackDigestThreshold as number | undefined,
      emailSubscriptions: values.emailSubscriptions as string[] | undefined,
      retentionDays: values.retentionDays as number | undefined,
      removalPolicy: values.removalPolicy as RemovalPolicy | undefined,
      logRetention: values.logRetention as RetentionDays | undefined,
      targetAccounts: values.targetAccounts as string[] | undefined,
      targetOrganizationalUnit: str('targetOrganizationalUnit'),
      readerRoleName: str('readerRoleName'),
      externalId: str('externalId'),
      maxConcurrentScans: values.maxConcurrentScans as number | undefined,
    },
    existingTopicArn: str('existingTopicArn'),
    existingTableArn: str('existingTableArn'),
    existingTableStreamArn: str('existingTableStreamArn'),
    existingTableKeyArn: str('existingTableKeyArn'),
    operationsTopicArn: str('operationsTopicArn'),
  };
};
