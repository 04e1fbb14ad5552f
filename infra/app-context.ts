import { Duration } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { Node } from 'constructs';
import { z } from 'zod';
import type { SettingName, SettingSpec } from '../shared/config';
import { ARN_SHAPES, ConfigError, isArn, SETTING_NAMES, SETTINGS, settingSpec } from '../shared/config';
import { defaultDoc } from '../shared/config/settings-docs';
import { describeJsonSyntaxError } from '../shared/model';
import type { StageDriftMonitorProps } from './stage-drift-monitor-props';

/** Monitor props that are plain values (the ones that take a construct are given as ARNs). */
export type PlainMonitorProps = Omit<
  StageDriftMonitorProps,
  'existingTopic' | 'existingTable' | 'operationsTopic' | 'encryptionKey'
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
  readonly encryptionKeyArn?: string;
}

type Table = typeof SETTINGS;
/** The settings that are a plain prop of the same name. */
type PropSetting = {
  [K in SettingName]: Table[K] extends { readonly context: { readonly prop: K } } ? K : never;
}[SettingName];
/** The settings given as an ARN, for a prop that takes a construct. */
type ImportSetting = {
  [K in SettingName]: Table[K] extends { readonly context: object; readonly type: 'arn' } ? K : never;
}[SettingName];
type SameKeys<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type IsTrue<T extends true> = T;
/**
 * Checked at compile time: every plain prop has a setting of its name in the settings table
 * (shared/config/settings.ts), and every setting with a prop of its name is a prop.
 */
export type EveryPlainPropIsASetting = IsTrue<SameKeys<PropSetting, keyof PlainMonitorProps>>;

/** One context key: `-c key=value` on the command line, or `"context": { "key": value }` in cdk.json. */
export interface ContextKey {
  readonly key: SettingName;
  readonly spec: SettingSpec;
  /** The construct prop it sets, or what it is for. */
  readonly prop: string;
  /** As the docs write it. */
  readonly default: string;
  readonly example: string;
}

export const DEFAULT_STACK_NAME = SETTINGS.stackName.default;

/** Every context key the app reads: the settings of the table with a context key, in its order. */
export const CONTEXT_KEYS: readonly ContextKey[] = SETTING_NAMES.flatMap((key) => {
  const spec = settingSpec(key);
  if (!spec.context) return [];
  return [
    {
      key,
      spec,
      prop: spec.context.prop ?? '(stack name)',
      default: defaultDoc(spec),
      example: spec.context.example,
    },
  ];
});

const fail = (key: string, problem: string): never => {
  throw new ConfigError(`${key} (context)`, problem);
};

const show = (raw: unknown): string => JSON.stringify(raw) ?? String(raw);

const DURATION = /^(\d+)\s*(m|min|mins|minute|minutes|h|hour|hours|d|day|days)?$/i;

const toDuration = (text: string): Duration => {
  const [, amount = '', unit = 'm'] = DURATION.exec(text) ?? [];
  const lower = unit.toLowerCase();
  return lower.startsWith('h')
    ? Duration.hours(Number(amount))
    : lower.startsWith('d')
      ? Duration.days(Number(amount))
      : Duration.minutes(Number(amount));
};

const RETENTION_VALUES = Object.values(RetentionDays).filter((v): v is number => typeof v === 'number');

/** CloudFormation's rule for stack names. */
const STACK_NAME = /^[A-Za-z][A-Za-z0-9-]{0,127}$/;

const text = z.string().trim();
const number = z.union([z.number(), text.transform(Number)]).pipe(z.number().finite());
const nonEmpty = (values: readonly string[]): [string, ...string[]] => values as [string, ...string[]];

/**
 * How a context value of each type is read: a string from `-c`, or a typed value from cdk.json.
 * A value the schema refuses gets its type's message ({@link expected}) unless it says why itself.
 */
const schemaOf = (key: string, spec: SettingSpec): z.ZodType<unknown> => {
  switch (spec.type) {
    case 'stackName':
      return text.regex(STACK_NAME);
    case 'duration':
      return z
        .union([z.number().int().nonnegative().transform(String), text])
        .pipe(text.regex(DURATION))
        .transform(toDuration);
    case 'list':
      return z.union([
        z.array(z.string()).transform((values) => values.map((v) => v.trim())),
        z.string().transform((raw) =>
          raw
            .split(',')
            .map((s) => s.trim())
            .filter((s) => s !== ''),
        ),
      ]);
    case 'number':
    case 'integer':
      return number;
    case 'logRetention':
      return number.superRefine((days, ctx) => {
        if (!RETENTION_VALUES.includes(days)) {
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `CloudWatch Logs keeps logs for one of ${RETENTION_VALUES.filter((d) => d > 0).join(', ')} days; got ${days}`,
          });
        }
      });
    case 'json':
      // A string from -c is parsed; cdk.json gives the value itself.
      return z.unknown().transform((raw, ctx) => {
        if (typeof raw !== 'string') return raw;
        try {
          return JSON.parse(raw) as unknown;
        } catch {
          // Not V8's message: it quotes the text around the error, maybe a secret.
          ctx.addIssue({
            code: z.ZodIssueCode.custom,
            message: `${describeJsonSyntaxError(raw)}; e.g. -c '${key}=${spec.context?.example ?? ''}'`,
          });
          return z.NEVER;
        }
      });
    case 'enum':
      // In the table's case: `-c slackMinSeverity=high` is HIGH.
      return text
        .transform((raw) => spec.values.find((v) => v.toLowerCase() === raw.toLowerCase()) ?? raw)
        .pipe(z.enum(nonEmpty(spec.values)));
    case 'boolean':
      return z.union([
        z.boolean(),
        text
          .toLowerCase()
          .pipe(z.enum(['true', 'false']))
          .transform((raw) => raw === 'true'),
      ]);
    case 'arn':
      return text.refine((raw) => isArn(spec.arn, raw));
    case 'string':
      return text;
  }
};

/** What a value of the type must be, with `raw` (the value given) and an example. */
const expected = (key: string, spec: SettingSpec, raw: unknown): string => {
  const example = spec.context?.example ?? '';
  switch (spec.type) {
    case 'stackName':
      return (
        `${show(raw)} is not a CloudFormation stack name: start with a letter, then letters, digits ` +
        `and hyphens, up to 128 characters; e.g. -c stackName=${example}`
      );
    case 'duration':
      return `expected minutes or a duration such as "15 minutes", "2 hours", "1 day"; got ${show(raw)}`;
    case 'list':
      return `expected a comma-separated list, got ${show(raw)}`;
    case 'number':
    case 'integer':
    case 'logRetention':
      return `expected a number, got ${show(raw)}: e.g. -c ${key}=${example}`;
    case 'enum':
      return `expected one of ${spec.values.join(', ')}, got ${show(raw)}`;
    case 'boolean':
      return `expected true or false, got ${show(raw)}: e.g. -c ${key}=${example}`;
    case 'arn':
      return `${show(raw)} is not a valid ARN: expected ${ARN_SHAPES[spec.arn]}`;
    case 'json':
    case 'string':
      return `expected a string, got ${show(raw)}`;
  }
};

/** A context value, parsed by its setting's schema; a ConfigError naming the key when it does not parse. */
const parseContextValue = (key: string, spec: SettingSpec, raw: unknown): unknown => {
  const result = schemaOf(key, spec).safeParse(raw, {
    errorMap: () => ({ message: expected(key, spec, raw) }),
  });
  if (!result.success) return fail(key, result.error.issues[0]?.message ?? expected(key, spec, raw));
  return result.data;
};

export const parseBoolean = (key: string, raw: unknown): boolean =>
  parseContextValue(
    key,
    { type: 'boolean', default: false, doc: key, context: { example: 'false' } },
    raw,
  ) as boolean;

/** A stack name CloudFormation accepts (CDK's own check would end the app with a stack trace). */
export const parseStackName = (key: string, raw: unknown): string =>
  parseContextValue(key, SETTINGS.stackName, raw) as string;

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
  'monitorRegion',
  'forwarderStackName',
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
  const values: Partial<Record<SettingName, unknown>> = {};
  for (const { key, spec } of CONTEXT_KEYS) {
    const raw: unknown = node.tryGetContext(key);
    if (raw === undefined || raw === null || (typeof raw === 'string' && raw.trim() === '')) continue;
    values[key] = parseContextValue(key, spec, raw);
  }
  if (values.existingTableArn !== undefined && values.existingTableStreamArn === undefined) {
    fail(
      'existingTableStreamArn',
      'required with existingTableArn: the publish function reads the table stream',
    );
  }
  if (values.existingTableArn === undefined) {
    for (const key of ['existingTableStreamArn', 'existingTableKeyArn'] as const) {
      if (values[key] !== undefined)
        fail(key, 'only used with existingTableArn: set that too, or leave this out');
    }
  }
  // The schemas gave each value its prop's type (enums in their case, Duration, RetentionDays).
  const monitor = Object.fromEntries(
    CONTEXT_KEYS.filter(({ key, spec }) => spec.context?.prop === key).map(({ key }) => [key, values[key]]),
  ) as PlainMonitorProps;
  const imports = Object.fromEntries(
    CONTEXT_KEYS.filter(({ spec }) => spec.type === 'arn').map(({ key }) => [key, values[key]]),
  ) as Pick<StageDriftSettings, ImportSetting>;
  return {
    stackName: (values.stackName as string | undefined) ?? DEFAULT_STACK_NAME,
    monitor,
    ...imports,
  };
};
