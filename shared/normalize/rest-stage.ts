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
  expectBoolean,
  expectNumber,
  expectObject,
  expectOptionalString,
  findField,
  readObjectMap,
  readScalarObject,
  readStringMap,
} from './field-readers';
import type { FoundField, ScalarFieldKinds } from './field-readers';
import {
  apiTagsOf,
  buildKey,
  buildVolatile,
  expectApiType,
  expectStageObject,
  nonEmptyOrUndefined,
  readStageName,
  withoutUndefined,
} from './stage-context';
import type { NormalizeContext } from './stage-context';

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

const ACCESS_LOG_KINDS: ScalarFieldKinds<AccessLogSettings> = { destinationArn: 'string', format: 'string' };

const readCanarySettings = (found: FoundField | undefined): CanarySettings | undefined => {
  if (found === undefined) return undefined;
  const input = expectObject(found);
  const member = (name: keyof CanarySettings): FoundField | undefined => findField(input, found.path, [name]);
  return nonEmptyOrUndefined<CanarySettings>({
    deploymentId: expectOptionalString(member('deploymentId')),
    percentTraffic: expectNumber(member('percentTraffic')),
    stageVariableOverrides: readStringMap(member('stageVariableOverrides'), true),
    useStageCache: expectBoolean(member('useStageCache')),
  });
};

/**
 * A REST API (v1) stage as a canonical snapshot.
 *
 * `input` is a v1 `Stage` in any of its shapes: the SDK v3 output (`Date` dates), the
 * `aws apigateway get-stage(s)` CLI JSON (ISO or epoch dates), the raw REST/HAL form (`_links`
 * and other unknown members are ignored), or an already-canonical config (give the stage name
 * in the input or in `context.stageName`).
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
  const field = (name: string): FoundField | undefined => findField(stage, '', [name]);

  const config: RestStageConfig = withoutUndefined<RestStageConfig>({
    accessLogSettings: readScalarObject(field('accessLogSettings'), ACCESS_LOG_KINDS),
    cacheClusterEnabled: expectBoolean(field('cacheClusterEnabled')) ?? false,
    cacheClusterSize: expectOptionalString(field('cacheClusterSize')),
    canarySettings: readCanarySettings(field('canarySettings')),
    clientCertificateId: expectOptionalString(field('clientCertificateId')),
    deploymentId: expectOptionalString(field('deploymentId')),
    description: expectOptionalString(field('description')),
    documentationVersion: expectOptionalString(field('documentationVersion')),
    methodSettings: readObjectMap(field('methodSettings'), (entry) =>
      readScalarObject(entry, METHOD_SETTING_KINDS),
    ),
    tags: readStringMap(field('tags'), false),
    tracingEnabled: expectBoolean(field('tracingEnabled')) ?? false,
    variables: readStringMap(field('variables'), true),
    webAclArn: expectOptionalString(field('webAclArn')),
  });

  const apiTags = apiTagsOf(context.api);
  return {
    key: buildKey(context, apiType, stageName),
    apiName: context.api.name,
    ...(apiTags === undefined ? {} : { apiTags }),
    config,
    volatile: buildVolatile({
      cacheClusterStatus: expectOptionalString(field('cacheClusterStatus')),
      createdDate: toIsoTimestamp(field('createdDate')?.value, 'createdDate'),
      lastUpdatedDate: toIsoTimestamp(field('lastUpdatedDate')?.value, 'lastUpdatedDate'),
    }),
    hash: contentHash(config),
  };
};
