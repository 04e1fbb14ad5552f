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
} from './field-readers';
import type { FieldAliases, FoundField, ScalarFieldKinds } from './field-readers';
import {
  apiTagsOf,
  buildKey,
  buildVolatile,
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

const readRouteSettings = (found: FoundField | undefined): RouteSettings | undefined =>
  readScalarObject(found, ROUTE_SETTINGS_KINDS, ROUTE_SETTINGS_ALIASES);

/**
 * An HTTP or WebSocket API (v2) stage as a canonical snapshot; `context.api.apiType` says which.
 *
 * `input` is a v2 `Stage` as the SDK v3 or `aws apigatewayv2 get-stage(s)` return it
 * (PascalCase: `StageName`, `RouteSettings`, `DefaultRouteSettings.LoggingLevel`, ...) or in
 * the v2 JSON wire form / an already-canonical config (camelCase). Each member may use either
 * spelling, but not both. PascalCase member names are renamed to the wire names; map keys
 * (route keys such as `GET /pets`, variable names, tag keys) are kept verbatim.
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

  const config: V2StageConfig = withoutUndefined<V2StageConfig>({
    accessLogSettings: readScalarObject(field('accessLogSettings'), ACCESS_LOG_KINDS, ACCESS_LOG_ALIASES),
    apiGatewayManaged: expectBoolean(field('apiGatewayManaged')) ?? false,
    autoDeploy: expectBoolean(field('autoDeploy')) ?? false,
    clientCertificateId: expectOptionalString(field('clientCertificateId')),
    defaultRouteSettings: readRouteSettings(field('defaultRouteSettings')),
    deploymentId: expectOptionalString(field('deploymentId')),
    description: expectOptionalString(field('description')),
    routeSettings: readObjectMap(field('routeSettings'), readRouteSettings),
    stageVariables: readStringMap(field('stageVariables'), true),
    tags: readStringMap(field('tags'), false),
  });

  const createdDate = field('createdDate');
  const lastUpdatedDate = field('lastUpdatedDate');
  const apiTags = apiTagsOf(context.api);
  return {
    key: buildKey(context, apiType, stageName),
    apiName: context.api.name,
    ...(apiTags === undefined ? {} : { apiTags }),
    config,
    volatile: buildVolatile({
      createdDate: toIsoTimestamp(createdDate?.value, createdDate?.path),
      lastDeploymentStatusMessage: expectOptionalString(field('lastDeploymentStatusMessage')),
      lastUpdatedDate: toIsoTimestamp(lastUpdatedDate?.value, lastUpdatedDate?.path),
    }),
    hash: contentHash(config),
  };
};
