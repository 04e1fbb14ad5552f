import { SIM_REGION } from './fleet';
import type { ApiFamily } from './wire-response';

/** What an API Gateway resource ARN names: an API, or one of its stages. */
export interface ApiGatewayResource {
  readonly family: ApiFamily;
  readonly region: string;
  readonly apiId: string;
  /** Present when the ARN names a stage. */
  readonly stageName?: string;
}

/**
 * The ARN of a stage, as TagResource and WAFv2 take it:
 * `arn:aws:apigateway:{region}::/restapis/{id}/stages/{name}` (v1) or
 * `arn:aws:apigateway:{region}::/apis/{id}/stages/{name}` (v2).
 */
export const stageArnOf = (
  family: ApiFamily,
  apiId: string,
  stageName: string,
  region = SIM_REGION,
): string =>
  `arn:aws:apigateway:${region}::/${family === 'v1' ? 'restapis' : 'apis'}/${apiId}/stages/${stageName}`;

/** The ARN of a REST API (v1) or an HTTP/WebSocket API (v2). */
export const apiArnOf = (family: ApiFamily, apiId: string, region = SIM_REGION): string =>
  `arn:aws:apigateway:${region}::/${family === 'v1' ? 'restapis' : 'apis'}/${apiId}`;

const ARN = /^arn:aws:apigateway:([a-z0-9-]+)::\/(restapis|apis)\/([^/]+)(?:\/stages\/([^/]+))?$/;

/** What an API Gateway ARN names; undefined when it is not one. */
export const parseApiGatewayArn = (arn: string): ApiGatewayResource | undefined => {
  const match = ARN.exec(arn);
  if (!match) return undefined;
  const [, region = '', collection, apiId = '', stageName] = match;
  return {
    family: collection === 'restapis' ? 'v1' : 'v2',
    region,
    apiId,
    ...(stageName === undefined ? {} : { stageName }),
  };
};

/** The API id an ARN names (for failure rules scoped to one API); undefined when none. */
export const apiIdInArn = (arn: string | undefined): string | undefined =>
  arn === undefined ? undefined : parseApiGatewayArn(arn)?.apiId;
