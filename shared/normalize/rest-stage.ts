import { contentHash } from '../model';
import type {
  AccessLogSettings,
  CanarySettings,
  RestMethodSettings,
  RestStageConfig,
  RestStageSnapshot,
} from '../model';
import { toIsoTimestamp } from './dates';
import {
  camelCaseOf,
  expectBoolean,
  expectNumber,
  expectObject,
  expectOptionalString,
  findField,
  readObjectMap,
  readScalarObject,
  readStringMap,
  reportUnknownMembers,
} from './field-readers';
import type { FoundField, ScalarFieldKinds, UnknownMemberHint, WarningSink } from './field-readers';
import {
  apiTagsOf,
  buildKey,
  buildVolatile,
  collectWarnings,
  expectApiType,
  expectStageObject,
  nonEmptyOrUndefined,
  readStageName,
  withoutUndefined,
} from './stage-context';
import type { NormalizeContext } from './stage-context';

/** Members only a v1 (REST) stage has, in its camelCase wire form. */
export const REST_ONLY_MEMBERS: readonly string[] = [
  'cacheClusterEnabled',
  'cacheClusterSize',
  'cacheClusterStatus',
  'canarySettings',
  'documentationVersion',
  'methodSettings',
  'tracingEnabled',
  'variables',
  'webAclArn',
];

/** Members of a stage object that are not stage members: SDK v3 response metadata, HAL links. */
export const NOT_STAGE_MEMBERS: readonly string[] = ['$metadata', '_links'];

export const PASCAL_CASE_REST_HINT =
  "a PascalCase REST document? use the AWS CLI's JSON output: aws apigateway get-stages --output json";

/** The hint for a PascalCase spelling (`MethodSettings`) of one of `camelNames`. */
export const pascalCaseHint =
  (camelNames: ReadonlySet<string>): UnknownMemberHint =>
  (name) => {
    const camel = camelCaseOf(name);
    return camel !== undefined && camelNames.has(camel) ? PASCAL_CASE_REST_HINT : undefined;
  };

const METHOD_SETTING_KINDS: ScalarFieldKinds<RestMethodSettings> = {
  cacheDataEncrypted: 'boolean',
  cacheTtlInSeconds: 'number',
  cachingEnabled: 'boolean',
  dataTraceEnabled: 'boolean',
  loggingLevel: 'string',
  metricsEnabled: 'boolean',
  requireAuthorizationForCacheControl: 'boolean',
  throttlingBurstLimit: 'number',
  throttlingRateLimit: 'number',
  unauthorizedCacheControlHeaderStrategy: 'string',
};

/** The `methodSettings` key of the settings that apply to every method (the stage-wide ones). */
const STAGE_WIDE = '*/*';

/**
 * The defaults of a method setting: the `MethodSetting` booleans default to false in the API
 * model, so in the stage-wide entry the default and its absence are the same. Not
 * `requireAuthorizationForCacheControl`: AWS fills it in as true. A method's own entry keeps an
 * explicit `false`, which overrides `*\/*` (absent there means "as `*\/*`").
 */
const STAGE_WIDE_METHOD_DEFAULTS: Partial<RestMethodSettings> = {
  cacheDataEncrypted: false,
  cachingEnabled: false,
  dataTraceEnabled: false,
  metricsEnabled: false,
};

const ACCESS_LOG_KINDS: ScalarFieldKinds<AccessLogSettings> = { destinationArn: 'string', format: 'string' };

const CANARY_MEMBERS: readonly (keyof CanarySettings)[] = [
  'deploymentId',
  'percentTraffic',
  'stageVariableOverrides',
  'useStageCache',
];

const readCanarySettings = (
  found: FoundField | undefined,
  warn: WarningSink | undefined,
): CanarySettings | undefined => {
  if (found === undefined) return undefined;
  const input = expectObject(found);
  const member = (name: keyof CanarySettings): FoundField | undefined => findField(input, found.path, [name]);
  const known = new Set<string>(CANARY_MEMBERS);
  reportUnknownMembers(input, found.path, known, warn, pascalCaseHint(known));
  return nonEmptyOrUndefined<CanarySettings>({
    deploymentId: expectOptionalString(member('deploymentId')),
    percentTraffic: expectNumber(member('percentTraffic')),
    stageVariableOverrides: readStringMap(member('stageVariableOverrides'), true),
    useStageCache: expectBoolean(member('useStageCache')),
  });
};

const METHOD_SETTING_HINT = pascalCaseHint(new Set(Object.keys(METHOD_SETTING_KINDS)));
const ACCESS_LOG_HINT = pascalCaseHint(new Set(Object.keys(ACCESS_LOG_KINDS)));

/**
 * A REST API (v1) stage as a canonical snapshot.
 *
 * `input` is a v1 `Stage` in any of its shapes: the SDK v3 output (`Date` dates), the
 * `aws apigateway get-stage(s)` CLI JSON (ISO or epoch dates), the raw REST/HAL form (`_links`
 * is ignored), or an already-canonical config (give the stage name in the input or in
 * `context.stageName`). Members the model does not know are not compared; each is reported to
 * `context.onWarning`, with a hint when it is the PascalCase of a v1 member (`MethodSettings`).
 * The stage-wide method settings (`*\/*`) drop the booleans AWS defaults to false.
 *
 * @throws StageNormalizeError when `input` is not an object, names no stage, or a known field
 *   has the wrong type; the message names the field.
 */
export const normalizeRestStage = (input: unknown, context: NormalizeContext): RestStageSnapshot => {
  const stage = expectStageObject(input);
  const apiType = expectApiType(context, ['REST'], 'normalizeRestStage');
  const hint =
    findField(stage, '', ['StageName']) === undefined
      ? ''
      : ' (it has StageName: an HTTP or WebSocket stage goes to normalizeV2Stage)';
  const stageName = readStageName(stage, ['stageName'], context, hint);
  const { warn, flush } = collectWarnings(context);
  /** Every member a reader asked for: the others are unknown. */
  const read = new Set<string>(['stageName', ...NOT_STAGE_MEMBERS]);
  const field = (name: string): FoundField | undefined => {
    read.add(name);
    return findField(stage, '', [name]);
  };

  const config: RestStageConfig = withoutUndefined<RestStageConfig>({
    accessLogSettings: readScalarObject(field('accessLogSettings'), ACCESS_LOG_KINDS, {
      warn,
      hint: ACCESS_LOG_HINT,
    }),
    cacheClusterEnabled: expectBoolean(field('cacheClusterEnabled')) ?? false,
    cacheClusterSize: expectOptionalString(field('cacheClusterSize')),
    canarySettings: readCanarySettings(field('canarySettings'), warn),
    clientCertificateId: expectOptionalString(field('clientCertificateId')),
    deploymentId: expectOptionalString(field('deploymentId')),
    description: expectOptionalString(field('description')),
    documentationVersion: expectOptionalString(field('documentationVersion')),
    methodSettings: readObjectMap(field('methodSettings'), (entry, key) =>
      readScalarObject(entry, METHOD_SETTING_KINDS, {
        ...(key === STAGE_WIDE ? { defaults: STAGE_WIDE_METHOD_DEFAULTS } : {}),
        warn,
        hint: METHOD_SETTING_HINT,
      }),
    ),
    tags: readStringMap(field('tags'), false),
    tracingEnabled: expectBoolean(field('tracingEnabled')) ?? false,
    variables: readStringMap(field('variables'), true),
    webAclArn: expectOptionalString(field('webAclArn')),
  });

  const volatile = buildVolatile({
    cacheClusterStatus: expectOptionalString(field('cacheClusterStatus')),
    createdDate: toIsoTimestamp(field('createdDate')?.value, 'createdDate', 'second'),
    lastUpdatedDate: toIsoTimestamp(field('lastUpdatedDate')?.value, 'lastUpdatedDate'),
  });
  reportUnknownMembers(stage, '', read, warn, pascalCaseHint(read));
  flush();

  const apiTags = apiTagsOf(context.api);
  return {
    key: buildKey(context, apiType, stageName),
    apiName: context.api.name,
    ...(apiTags === undefined ? {} : { apiTags }),
    config,
    volatile,
    hash: contentHash(config),
  };
};
