import type { ApiType } from '../model';

/** What a console link needs: the stage's API, type and region. */
export interface ConsoleTarget {
  readonly apiType: ApiType;
  readonly apiId: string;
  readonly region: string;
}

/**
 * The AWS console origin for a region: `https://<region>.console.aws.amazon.com`, the China
 * (`.amazonaws.cn`) and GovCloud (`.amazonaws-us-gov.com`) partitions by their prefixes.
 */
export const consoleOriginFor = (region: string): string => {
  if (region.startsWith('cn-')) return `https://${region}.console.amazonaws.cn`;
  if (region.startsWith('us-gov-')) return `https://${region}.console.amazonaws-us-gov.com`;
  return `https://${region}.console.aws.amazon.com`;
};

/**
 * A link to the stage's API in the API Gateway console.
 *
 * - REST (v1): the API's Stages page,
 *   `<origin>/apigateway/main/apis/<apiId>/stages?api=<apiId>&region=<region>`.
 * - HTTP and WebSocket (v2): the API's detail page,
 *   `<origin>/apigateway/main/api-detail?api=<apiId>&region=<region>`, one click from its stages.
 *   (The v2 console has no stable, documented deep link to one stage that we could confirm;
 *   the detail page is the shape in wide use.)
 *
 * `consoleBaseUrl` replaces the origin (e.g. a federated sign-in proxy that forwards paths).
 */
export const stageConsoleUrl = (target: ConsoleTarget, consoleBaseUrl?: string): string => {
  const origin = (consoleBaseUrl ?? consoleOriginFor(target.region)).replace(/\/+$/, '');
  const api = encodeURIComponent(target.apiId);
  const region = encodeURIComponent(target.region);
  return target.apiType === 'REST'
    ? `${origin}/apigateway/main/apis/${api}/stages?api=${api}&region=${region}`
    : `${origin}/apigateway/main/api-detail?api=${api}&region=${region}`;
};
