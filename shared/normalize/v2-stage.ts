import { contentHash } from '../model';
import type { AccessLogSettings, RouteSettings, V2StageConfig, V2StageSnapshot } from '../model';
import { toIsoTimestamp } from './dates';
import {
  expectBoolean,
  expectOptionalString,
  findField,
  readObjectMap,
  readScalarObject,
  readStringMap,
  reportUnknownMembers,
} from './field-readers';
import type { FieldAliases, FoundField, ScalarFieldKinds, WarningSink } from './field-readers';
import { NOT_STAGE_MEMBERS, pascalCaseHint, REST_ONLY_MEMBERS } from './rest-stage';
import {
  apiTagsOf,
  buildKey,
  buildVolatile,
  collectWarnings,
  expectApiType,
  expectStageObject,
  readStageName,
  withoutUndefined,
} from './stage-context';
import type { NormalizeContext } from './stage-context';

/**
 * The v2 SDK / CLI (PascalCase) name of every v2 stage member, keyed by its v2 JSON wire
 * format name, which is the canonical one. Written out: route keys and variable names inside
 * the maps are data and are never renamed.
 */
const V2_STAGE_FIELD_ALIASES = {
  accessLogSettings: 'AccessLogSettings',
  apiGatewayManaged: 'ApiGatewayManaged',
  autoDeploy: 'AutoDeploy',
  clientCertificateId: 'ClientCertificateId',
  createdDate: 'CreatedDate',
  defaultRouteSettings: 'DefaultRouteSettings',
  deploymentId: 'DeploymentId',
  description: 'Description',
  lastDeploymentStatusMessage: 'LastDeploymentStatusMessage',
  lastUpdatedDate: 'LastUpdatedDate',
  routeSettings: 'RouteSettings',
  stageName: 'StageName',
  stageVariables: 'StageVariables',
  tags: 'Tags',
} as const;

type V2StageField = keyof typeof V2_STAGE_FIELD_ALIASES;

const ROUTE_SETTINGS_KINDS: ScalarFieldKinds<RouteSettings> = {
  dataTraceEnabled: 'boolean',
  detailedMetricsEnabled: 'boolean',
  loggingLevel: 'string',
  throttlingBurstLimit: 'number',
  throttlingRateLimit: 'number',
};

const ROUTE_SETTINGS_ALIASES: FieldAliases<RouteSettings> = {
  dataTraceEnabled: 'DataTraceEnabled',
  detailedMetricsEnabled: 'DetailedMetricsEnabled',
  loggingLevel: 'LoggingLevel',
  throttlingBurstLimit: 'ThrottlingBurstLimit',
  throttlingRateLimit: 'ThrottlingRateLimit',
};

const ACCESS_LOG_KINDS: ScalarFieldKinds<AccessLogSettings> = { destinationArn: 'string', format: 'string' };
const ACCESS_LOG_ALIASES: FieldAliases<AccessLogSettings> = {
  destinationArn: 'DestinationArn',
  format: 'Format',
};

/**
 * What the default route settings default to: detailed metrics and data tracing off. There the
 * default and its absence are the same; a route's own entry keeps an explicit `false`, which
 * overrides the default route settings (absent there means "as the default route settings").
 */
const DEFAULT_ROUTE_DEFAULTS: Partial<RouteSettings> = {
  dataTraceEnabled: false,
  detailedMetricsEnabled: false,
};

/** Every spelling of a v2 stage member, and the members of a stage object that are not stage members. */
const V2_STAGE_MEMBERS: ReadonlySet<string> = new Set([
  ...Object.keys(V2_STAGE_FIELD_ALIASES),
  ...Object.values(V2_STAGE_FIELD_ALIASES),
  ...NOT_STAGE_MEMBERS,
]);

/** A PascalCase v1 member (`MethodSettings`) in a stage read as v2: a REST document in PascalCase. */
const REST_MEMBER_HINT = pascalCaseHint(new Set(REST_ONLY_MEMBERS));

const readRouteSettings = (
  found: FoundField | undefined,
  warn: WarningSink | undefined,
  defaults?: Partial<RouteSettings>,
): RouteSettings | undefined =>
  readScalarObject(found, ROUTE_SETTINGS_KINDS, {
    aliases: ROUTE_SETTINGS_ALIASES,
    ...(defaults === undefined ? {} : { defaults }),
    warn,
  });

/**
 * An HTTP or WebSocket API (v2) stage as a canonical snapshot; `context.api.apiType` says which.
 *
 * `input` is a v2 `Stage` as the SDK v3 or `aws apigatewayv2 get-stage(s)` return it
 * (PascalCase: `StageName`, `RouteSettings`, `DefaultRouteSettings.LoggingLevel`, ...) or in
 * the v2 JSON wire form / an already-canonical config (camelCase). Each member may use either
 * spelling, but not both. PascalCase member names are renamed to the wire names; map keys
 * (route keys such as `GET /pets`, variable names, tag keys) are kept verbatim. The default
 * route settings drop the booleans AWS defaults to false. Members the model does not know are
 * not compared; each is reported to `context.onWarning` (with a hint for a PascalCase v1 member).
 *
 * @throws StageNormalizeError when `input` is not an object, names no stage, or a known field
 *   has the wrong type; the message names the field as spelled in the input.
 */
export const normalizeV2Stage = (input: unknown, context: NormalizeContext): V2StageSnapshot => {
  const stage = expectStageObject(input);
  const apiType = expectApiType(context, ['HTTP', 'WEBSOCKET'], 'normalizeV2Stage');
  const stageName = readStageName(stage, [V2_STAGE_FIELD_ALIASES.stageName, 'stageName'], context);
  const field = (name: V2StageField): FoundField | undefined =>
    findField(stage, '', [V2_STAGE_FIELD_ALIASES[name], name]);
  const { warn, flush } = collectWarnings(context);

  const config: V2StageConfig = withoutUndefined<V2StageConfig>({
    accessLogSettings: readScalarObject(field('accessLogSettings'), ACCESS_LOG_KINDS, {
      aliases: ACCESS_LOG_ALIASES,
      warn,
    }),
    apiGatewayManaged: expectBoolean(field('apiGatewayManaged')) ?? false,
    autoDeploy: expectBoolean(field('autoDeploy')) ?? false,
    clientCertificateId: expectOptionalString(field('clientCertificateId')),
    defaultRouteSettings: readRouteSettings(field('defaultRouteSettings'), warn, DEFAULT_ROUTE_DEFAULTS),
    deploymentId: expectOptionalString(field('deploymentId')),
    description: expectOptionalString(field('description')),
    routeSettings: readObjectMap(field('routeSettings'), (entry) => readRouteSettings(entry, warn)),
    stageVariables: readStringMap(field('stageVariables'), true),
    tags: readStringMap(field('tags'), false),
  });

  const createdDate = field('createdDate');
  const lastUpdatedDate = field('lastUpdatedDate');
  const volatile = buildVolatile({
    createdDate: toIsoTimestamp(createdDate?.value, createdDate?.path, 'second'),
    lastDeploymentStatusMessage: expectOptionalString(field('lastDeploymentStatusMessage')),
    lastUpdatedDate: toIsoTimestamp(lastUpdatedDate?.value, lastUpdatedDate?.path),
  });
  reportUnknownMembers(stage, '', V2_STAGE_MEMBERS, warn, REST_MEMBER_HINT);
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
