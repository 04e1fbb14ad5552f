import type { WireFamily } from './wire-response';

/** The listing operations a collector uses (`GetStagesV2` is v2 GetStages); always counted. */
export type ListingOperation = 'GetRestApis' | 'GetStages' | 'GetApis' | 'GetStagesV2';

/** Reads of one stage by name (`GetStageV2` is v2 GetStage), as a naive scanner makes them. */
export type SingleStageOperation = 'GetStage' | 'GetStageV2';

/** Reads of one API by id (`GetApi` is v2), as a targeted rescan makes them. */
export type SingleApiOperation = 'GetRestApi' | 'GetApi';

/** v1 writes and tag operations (REST APIs, `/restapis/...` and `/tags/...`). */
export type RestWriteOperation =
  'UpdateStage' | 'CreateStage' | 'DeleteStage' | 'TagResource' | 'UntagResource' | 'GetTags';

/** v2 writes and tag operations (HTTP and WebSocket APIs); a `V2` suffix where v1 has the same name. */
export type V2WriteOperation =
  | 'UpdateStageV2'
  | 'CreateStageV2'
  | 'DeleteStageV2'
  | 'DeleteRouteSettings'
  | 'DeleteAccessLogSettings'
  | 'TagResourceV2'
  | 'UntagResourceV2'
  | 'GetTagsV2';

/** WAFv2 operations on web ACL associations (JSON 1.1, `x-amz-target: AWSWAF_20190729.<Op>`). */
export type WafOperation = 'AssociateWebACL' | 'DisassociateWebACL' | 'GetWebACLForResource';

/** Every operation that changes state or reads tags or associations; counted once made. */
export type WriteOperation = RestWriteOperation | V2WriteOperation | WafOperation;

/** The control-plane operations the simulator answers. */
export type SimOperation = ListingOperation | SingleStageOperation | SingleApiOperation | WriteOperation;

export const LISTING_OPERATIONS: readonly ListingOperation[] = [
  'GetRestApis',
  'GetStages',
  'GetApis',
  'GetStagesV2',
];

/** The WAFv2 operations, by the name that follows `AWSWAF_20190729.` in `x-amz-target`. */
export const WAF_OPERATIONS: readonly WafOperation[] = [
  'AssociateWebACL',
  'DisassociateWebACL',
  'GetWebACLForResource',
];

export const WRITE_OPERATIONS: readonly WriteOperation[] = [
  'UpdateStage',
  'CreateStage',
  'DeleteStage',
  'TagResource',
  'UntagResource',
  'GetTags',
  'UpdateStageV2',
  'CreateStageV2',
  'DeleteStageV2',
  'DeleteRouteSettings',
  'DeleteAccessLogSettings',
  'TagResourceV2',
  'UntagResourceV2',
  'GetTagsV2',
  ...WAF_OPERATIONS,
];

export const SIM_OPERATIONS: readonly SimOperation[] = [
  ...LISTING_OPERATIONS,
  'GetStage',
  'GetStageV2',
  'GetRestApi',
  'GetApi',
  ...WRITE_OPERATIONS,
];

/** The `x-amz-target` prefix of WAFv2 (API version 2019-07-29). */
export const WAF_TARGET_PREFIX = 'AWSWAF_20190729.';

export type Route =
  | {
      readonly kind: 'operation';
      readonly family: WireFamily;
      readonly operation: SimOperation;
      /** The REST API id or v2 API id in the path, for the per-API operations. */
      readonly apiId?: string;
      /** The stage name in the path, for the single-stage operations. */
      readonly stageName?: string;
      /** The v2 route key in the path (DeleteRouteSettings), decoded. */
      readonly routeKey?: string;
      /** The resource ARN in the path (tag operations), decoded. */
      readonly resourceArn?: string;
      readonly query: URLSearchParams;
    }
  | {
      readonly kind: 'method-not-allowed';
      readonly family: WireFamily;
      readonly method: string;
      readonly path: string;
      /** The methods the path does answer, e.g. ['GET'] or ['GET', 'PATCH', 'DELETE']. */
      readonly allowed: readonly string[];
    }
  | { readonly kind: 'unknown'; readonly family: WireFamily; readonly path: string }
  | { readonly kind: 'malformed'; readonly family: WireFamily; readonly path: string };

/** Names of the path captures, in the order the pattern captures them. */
type Capture = 'apiId' | 'stageName' | 'routeKey' | 'resourceArn';

interface PathPattern {
  readonly pattern: RegExp;
  readonly family: WireFamily;
  readonly captures: readonly Capture[];
  /** Operation by HTTP method; GET first, so a method-not-allowed answer lists it first. */
  readonly methods: Readonly<Partial<Record<string, SimOperation>>>;
}

const API_STAGE: readonly Capture[] = ['apiId', 'stageName'];

const PATTERNS: readonly PathPattern[] = [
  { pattern: /^\/restapis$/, family: 'v1', captures: [], methods: { GET: 'GetRestApis' } },
  { pattern: /^\/restapis\/([^/]+)$/, family: 'v1', captures: ['apiId'], methods: { GET: 'GetRestApi' } },
  {
    pattern: /^\/restapis\/([^/]+)\/stages$/,
    family: 'v1',
    captures: ['apiId'],
    methods: { GET: 'GetStages', POST: 'CreateStage' },
  },
  { pattern: /^\/v2\/apis$/, family: 'v2', captures: [], methods: { GET: 'GetApis' } },
  { pattern: /^\/v2\/apis\/([^/]+)$/, family: 'v2', captures: ['apiId'], methods: { GET: 'GetApi' } },
  {
    pattern: /^\/v2\/apis\/([^/]+)\/stages$/,
    family: 'v2',
    captures: ['apiId'],
    methods: { GET: 'GetStagesV2', POST: 'CreateStageV2' },
  },
  {
    pattern: /^\/restapis\/([^/]+)\/stages\/([^/]+)$/,
    family: 'v1',
    captures: API_STAGE,
    methods: { GET: 'GetStage', PATCH: 'UpdateStage', DELETE: 'DeleteStage' },
  },
  {
    pattern: /^\/v2\/apis\/([^/]+)\/stages\/([^/]+)$/,
    family: 'v2',
    captures: API_STAGE,
    methods: { GET: 'GetStageV2', PATCH: 'UpdateStageV2', DELETE: 'DeleteStageV2' },
  },
  {
    pattern: /^\/v2\/apis\/([^/]+)\/stages\/([^/]+)\/routesettings\/([^/]+)$/,
    family: 'v2',
    captures: [...API_STAGE, 'routeKey'],
    methods: { DELETE: 'DeleteRouteSettings' },
  },
  {
    pattern: /^\/v2\/apis\/([^/]+)\/stages\/([^/]+)\/accesslogsettings$/,
    family: 'v2',
    captures: API_STAGE,
    methods: { DELETE: 'DeleteAccessLogSettings' },
  },
  {
    pattern: /^\/tags\/([^/]+)$/,
    family: 'v1',
    captures: ['resourceArn'],
    methods: { GET: 'GetTags', PUT: 'TagResource', DELETE: 'UntagResource' },
  },
  {
    pattern: /^\/v2\/tags\/([^/]+)$/,
    family: 'v2',
    captures: ['resourceArn'],
    methods: { GET: 'GetTagsV2', POST: 'TagResourceV2', DELETE: 'UntagResourceV2' },
  },
];

const wafRoute = (method: string, path: string, target: string, query: URLSearchParams): Route => {
  const name = target.slice(WAF_TARGET_PREFIX.length);
  const operation = WAF_OPERATIONS.find((candidate) => candidate === name);
  if (method !== 'POST')
    return { kind: 'method-not-allowed', family: 'waf', method, path, allowed: ['POST'] };
  if (!operation) return { kind: 'unknown', family: 'waf', path: `${path} (x-amz-target ${target})` };
  return { kind: 'operation', family: 'waf', operation, query };
};

const decodeCaptures = (
  captures: readonly Capture[],
  match: RegExpExecArray,
): Partial<Record<Capture, string>> =>
  Object.fromEntries(captures.map((name, index) => [name, decodeURIComponent(match[index + 1] ?? '')]));

/**
 * Which operation a request is, from its method and path, and for WAFv2 (`POST /`) its
 * `x-amz-target` header. A path the simulator serves, asked with a method it does not answer
 * there, is `method-not-allowed`.
 */
export const matchRoute = (method: string, rawUrl: string, target?: string): Route => {
  const url = new URL(rawUrl, 'http://simulator.invalid');
  const path = url.pathname;
  if (path === '/' && target?.startsWith(WAF_TARGET_PREFIX))
    return wafRoute(method, path, target, url.searchParams);
  const family: WireFamily = path.startsWith('/v2/') ? 'v2' : 'v1';
  for (const { pattern, family: routeFamily, captures, methods } of PATTERNS) {
    const match = pattern.exec(path);
    if (!match) continue;
    const operation = methods[method];
    if (operation === undefined) {
      return { kind: 'method-not-allowed', family: routeFamily, method, path, allowed: Object.keys(methods) };
    }
    try {
      const decoded = decodeCaptures(captures, match);
      return { kind: 'operation', family: routeFamily, operation, ...decoded, query: url.searchParams };
    } catch {
      return { kind: 'malformed', family: routeFamily, path };
    }
  }
  return { kind: 'unknown', family, path };
};
