import type { ApiFamily } from './wire-response';

/** The listing operations a collector uses (`GetStagesV2` is v2 GetStages); always counted. */
export type ListingOperation = 'GetRestApis' | 'GetStages' | 'GetApis' | 'GetStagesV2';

/** Reads of one stage by name (`GetStageV2` is v2 GetStage), as a naive scanner makes them. */
export type SingleStageOperation = 'GetStage' | 'GetStageV2';

/** Reads of one API by id (`GetApi` is v2), as a targeted rescan makes them. */
export type SingleApiOperation = 'GetRestApi' | 'GetApi';

/** The control-plane operations the simulator answers. */
export type SimOperation = ListingOperation | SingleStageOperation | SingleApiOperation;

export const LISTING_OPERATIONS: readonly ListingOperation[] = [
  'GetRestApis',
  'GetStages',
  'GetApis',
  'GetStagesV2',
];

export const SIM_OPERATIONS: readonly SimOperation[] = [
  ...LISTING_OPERATIONS,
  'GetStage',
  'GetStageV2',
  'GetRestApi',
  'GetApi',
];

export type Route =
  | {
      readonly kind: 'operation';
      readonly family: ApiFamily;
      readonly operation: SimOperation;
      /** The REST API id or v2 API id in the path, for the per-API operations. */
      readonly apiId?: string;
      /** The stage name in the path, for the single-stage operations. */
      readonly stageName?: string;
      readonly query: URLSearchParams;
    }
  | {
      readonly kind: 'method-not-allowed';
      readonly family: ApiFamily;
      readonly method: string;
      readonly path: string;
    }
  | { readonly kind: 'unknown'; readonly family: ApiFamily; readonly path: string }
  | { readonly kind: 'malformed'; readonly family: ApiFamily; readonly path: string };

const PATTERNS: ReadonlyArray<{ pattern: RegExp; operation: SimOperation; family: ApiFamily }> = [
  { pattern: /^\/restapis$/, operation: 'GetRestApis', family: 'v1' },
  { pattern: /^\/restapis\/([^/]+)$/, operation: 'GetRestApi', family: 'v1' },
  { pattern: /^\/restapis\/([^/]+)\/stages$/, operation: 'GetStages', family: 'v1' },
  { pattern: /^\/v2\/apis$/, operation: 'GetApis', family: 'v2' },
  { pattern: /^\/v2\/apis\/([^/]+)$/, operation: 'GetApi', family: 'v2' },
  { pattern: /^\/v2\/apis\/([^/]+)\/stages$/, operation: 'GetStagesV2', family: 'v2' },
  { pattern: /^\/restapis\/([^/]+)\/stages\/([^/]+)$/, operation: 'GetStage', family: 'v1' },
  { pattern: /^\/v2\/apis\/([^/]+)\/stages\/([^/]+)$/, operation: 'GetStageV2', family: 'v2' },
];

/** Which operation a request is, from its method and path. */
export const matchRoute = (method: string, rawUrl: string): Route => {
  const url = new URL(rawUrl, 'http://simulator.invalid');
  const path = url.pathname;
  const family: ApiFamily = path.startsWith('/v2/') ? 'v2' : 'v1';
  for (const { pattern, operation, family: routeFamily } of PATTERNS) {
    const match = pattern.exec(path);
    if (!match) continue;
    if (method !== 'GET') return { kind: 'method-not-allowed', family: routeFamily, method, path };
    const [, encodedId, encodedStage] = match;
    if (encodedId === undefined)
      return { kind: 'operation', family: routeFamily, operation, query: url.searchParams };
    try {
      const apiId = decodeURIComponent(encodedId);
      const stage = encodedStage === undefined ? {} : { stageName: decodeURIComponent(encodedStage) };
      return { kind: 'operation', family: routeFamily, operation, apiId, ...stage, query: url.searchParams };
    } catch {
      return { kind: 'malformed', family: routeFamily, path };
    }
  }
  return { kind: 'unknown', family, path };
};
