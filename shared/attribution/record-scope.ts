import type { ApiFamily, JsonObject } from '../model';
import { isJsonObject } from '../model';
import {
  API_GATEWAY_EVENT_SOURCE,
  API_GATEWAY_STAGE_EVENT_NAMES,
  WAF_REGIONAL_EVENT_SOURCE,
  WAF_STAGE_EVENT_NAMES,
  WAFV2_EVENT_SOURCE,
} from './cloudtrail-events';
import type { CloudTrailRecord } from './cloudtrail-record';

/** What one CloudTrail record touched: a stage, a whole API, or nothing this monitor watches. */
export type RecordScope =
  | {
      readonly kind: 'stage';
      readonly apiType: ApiFamily;
      readonly apiId: string;
      readonly stageName: string;
    }
  | { readonly kind: 'api'; readonly apiType: ApiFamily; readonly apiId: string }
  | { readonly kind: 'none'; readonly reason: string };

/** An API Gateway API or stage ARN, parsed. */
export interface ApiGatewayArn {
  readonly region: string;
  readonly apiType: ApiFamily;
  readonly apiId: string;
  readonly stageName?: string;
}

// `arn:<partition>:apigateway:<region>::/restapis/<id>[/stages/<stage>]` (v1) and
// `.../apis/<id>[/stages/<stage>]` (v2): the forms TagResource and the WAF APIs take.
const API_GATEWAY_ARN =
  /^arn:aws(?:-cn|-us-gov)?:apigateway:([a-z0-9-]+)::\/(restapis|apis)\/([^/]+)(?:\/stages\/([^/]+))?$/;
const FAMILY_OF_COLLECTION: Readonly<Record<string, ApiFamily>> = { restapis: 'REST', apis: 'V2' };

const decode = (segment: string): string => {
  try {
    return decodeURIComponent(segment);
  } catch {
    return segment;
  }
};

/** Parses an API or stage ARN; `undefined` for any other ARN (a domain name, a usage plan, an ALB). */
export const parseApiGatewayArn = (arn: string): ApiGatewayArn | undefined => {
  const match = API_GATEWAY_ARN.exec(arn);
  if (!match) return undefined;
  const [, region = '', collection = '', apiId = '', stageName] = match;
  const apiType = FAMILY_OF_COLLECTION[collection];
  if (apiType === undefined) return undefined;
  return {
    region,
    apiType,
    apiId: decode(apiId),
    ...(stageName === undefined ? {} : { stageName: decode(stageName) }),
  };
};

const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

/**
 * The stage name of an API Gateway call: a path parameter at the top (UpdateStage, DeleteStage,
 * every v2 call) or, for v1, inside the body wrapper (`createStageInput`, `createDeploymentInput`).
 */
const stageNameIn = (parameters: JsonObject): string | undefined => {
  const top = text(parameters.stageName);
  if (top !== undefined) return top;
  for (const [key, value] of Object.entries(parameters)) {
    if (key.endsWith('Input') && isJsonObject(value)) {
      const nested = text(value.stageName);
      if (nested !== undefined) return nested;
    }
  }
  return undefined;
};

const fromArn = (arn: string | undefined, eventName: string): RecordScope => {
  if (arn === undefined) return { kind: 'none', reason: `${eventName} names no resourceArn` };
  const parsed = parseApiGatewayArn(arn);
  if (!parsed)
    return { kind: 'none', reason: `${eventName} on ${arn}, which is not an API Gateway API or stage` };
  return parsed.stageName === undefined
    ? { kind: 'api', apiType: parsed.apiType, apiId: parsed.apiId }
    : { kind: 'stage', apiType: parsed.apiType, apiId: parsed.apiId, stageName: parsed.stageName };
};

const API_LEVEL_DELETES = new Set(['DeleteRestApi', 'DeleteApi']);
const API_GATEWAY_NAMES = new Set<string>(API_GATEWAY_STAGE_EVENT_NAMES);
const WAF_NAMES = new Set<string>(WAF_STAGE_EVENT_NAMES);

const apiGatewayScope = (record: CloudTrailRecord): RecordScope => {
  const { eventName } = record;
  if (!API_GATEWAY_NAMES.has(eventName)) return { kind: 'none', reason: `${eventName} changes no stage` };
  const parameters = record.requestParameters ?? {};
  if (eventName === 'TagResource' || eventName === 'UntagResource') {
    // v1 names the path parameter `resourceArn`; v2's URI label is `resource-arn`: accept both.
    return fromArn(text(parameters.resourceArn) ?? text(parameters['resource-arn']), eventName);
  }
  if (eventName === 'CreateApi') {
    // The id of a new HTTP/WebSocket API exists only in the response.
    const apiId = text(record.responseElements?.apiId);
    return apiId === undefined
      ? { kind: 'none', reason: 'CreateApi carries no responseElements.apiId' }
      : { kind: 'api', apiType: 'V2', apiId };
  }
  const restApiId = text(parameters.restApiId);
  const v2ApiId = text(parameters.apiId);
  const api =
    restApiId !== undefined
      ? ({ apiType: 'REST', apiId: restApiId } as const)
      : v2ApiId !== undefined
        ? ({ apiType: 'V2', apiId: v2ApiId } as const)
        : undefined;
  if (!api) return { kind: 'none', reason: `${eventName} carries neither restApiId nor apiId` };
  if (API_LEVEL_DELETES.has(eventName)) return { kind: 'api', ...api };
  const stageName = stageNameIn(parameters);
  // A v1 CreateDeployment without a stage touches no stage yet; it is kept API-level so the
  // rescan still runs and attribution can fall back on it.
  return stageName === undefined ? { kind: 'api', ...api } : { kind: 'stage', ...api, stageName };
};

/**
 * Which API and stage a CloudTrail record touched, or why it touches none this monitor
 * watches. Pure; does not look at `errorCode` (callers decide what a failed call means).
 */
export const scopeOfRecord = (record: CloudTrailRecord): RecordScope => {
  if (record.eventSource === API_GATEWAY_EVENT_SOURCE) return apiGatewayScope(record);
  if (record.eventSource === WAFV2_EVENT_SOURCE || record.eventSource === WAF_REGIONAL_EVENT_SOURCE) {
    if (!WAF_NAMES.has(record.eventName)) {
      return { kind: 'none', reason: `${record.eventName} changes no web ACL association` };
    }
    return fromArn(text(record.requestParameters?.resourceArn), record.eventName);
  }
  return { kind: 'none', reason: `${record.eventSource} is neither API Gateway nor WAF` };
};
