import type { ApiFamily } from './wire-response';

/** The control-plane operations the simulator answers (`GetStagesV2` is v2 GetStages). */
export type SimOperation = 'GetRestApis' | 'GetStages' | 'GetApis' | 'GetStagesV2';

export const SIM_OPERATIONS: readonly SimOperation[] = ['GetRestApis', 'GetStages', 'GetApis', 'GetStagesV2'];

export type Route =
  | {
      readonly kind: 'operation';
      readonly family: ApiFamily;
      readonly operation: SimOperation;
      /** The REST API id or v2 API id in the path, for the per-API operations. */
      readonly apiId?: string;
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
  { pattern: /^\/restapis\/([^/]+)\/stages$/, operation: 'GetStages', family: 'v1' },
  { pattern: /^\/v2\/apis$/, operation: 'GetApis', family: 'v2' },
  { pattern: /^\/v2\/apis\/([^/]+)\/stages$/, operation: 'GetStagesV2', family: 'v2' },
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
    const encodedId = match[1];
    if (encodedId === undefined)
      return { kind: 'operation', family: routeFamily, operation, query: url.searchParams };
    try {
      const apiId = decodeURIComponent(encodedId);
      return { kind: 'operation', family: routeFamily, operation, apiId, query: url.searchParams };
    } catch {
      return { kind: 'malformed', family: routeFamily, path };
    }
  }
  return { kind: 'unknown', family, path };
};
