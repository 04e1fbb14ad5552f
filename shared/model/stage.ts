import { contentHash } from './canonical-json';
import type { JsonObject } from './json';

/** REST = API Gateway v1 (`@aws-sdk/client-api-gateway`); HTTP and WEBSOCKET = API Gateway v2. */
export type ApiType = 'REST' | 'HTTP' | 'WEBSOCKET';
export const API_TYPES: readonly ApiType[] = ['REST', 'HTTP', 'WEBSOCKET'];

/** Identifies one stage across accounts and regions. */
export interface StageKey {
  readonly account: string;
  readonly region: string;
  readonly apiType: ApiType;
  readonly apiId: string;
  readonly stageName: string;
}

/** The API a stage belongs to, as listed by GetRestApis / GetApis. */
export interface ApiRef {
  readonly apiId: string;
  readonly apiType: ApiType;
  readonly name: string;
  /** Tags of the API itself (used by ignore rules only; never diffed). */
  readonly tags?: Readonly<Record<string, string>>;
}

/** v1 (REST) method settings, keyed in the stage by `{resource_path}/{http_method}` or `*\/*`. */
export interface RestMethodSettings {
  readonly metricsEnabled?: boolean;
  readonly loggingLevel?: string;
  readonly dataTraceEnabled?: boolean;
  readonly throttlingBurstLimit?: number;
  readonly throttlingRateLimit?: number;
  readonly cachingEnabled?: boolean;
  readonly cacheTtlInSeconds?: number;
  readonly cacheDataEncrypted?: boolean;
  readonly requireAuthorizationForCacheControl?: boolean;
  readonly unauthorizedCacheControlHeaderStrategy?: string;
}

export interface AccessLogSettings {
  readonly format?: string;
  readonly destinationArn?: string;
}

export interface CanarySettings {
  readonly percentTraffic?: number;
  readonly deploymentId?: string;
  readonly stageVariableOverrides?: Readonly<Record<string, string>>;
  readonly useStageCache?: boolean;
}

/**
 * The diffed configuration of a REST (v1) stage, named as the v1 JSON wire format names it.
 * Canonical form: no `null`/`undefined`, empty maps and empty strings omitted, the stage-level
 * booleans that AWS defaults to false present as `false`, maps key-sorted. In the stage-wide
 * method settings (`*\/*`) a member equal to its AWS default (`metricsEnabled`,
 * `dataTraceEnabled`, `cachingEnabled`, `cacheDataEncrypted`: false) is omitted, like its
 * absence; a method's own entry keeps it (there it overrides `*\/*`).
 */
export interface RestStageConfig {
  readonly deploymentId?: string;
  readonly clientCertificateId?: string;
  readonly description?: string;
  readonly cacheClusterEnabled: boolean;
  readonly cacheClusterSize?: string;
  readonly methodSettings?: Readonly<Record<string, RestMethodSettings>>;
  readonly variables?: Readonly<Record<string, string>>;
  readonly documentationVersion?: string;
  readonly accessLogSettings?: AccessLogSettings;
  readonly canarySettings?: CanarySettings;
  readonly tracingEnabled: boolean;
  readonly webAclArn?: string;
  readonly tags?: Readonly<Record<string, string>>;
}

/** v2 route settings (defaultRouteSettings and each routeSettings entry). */
export interface RouteSettings {
  readonly dataTraceEnabled?: boolean;
  readonly detailedMetricsEnabled?: boolean;
  readonly loggingLevel?: string;
  readonly throttlingBurstLimit?: number;
  readonly throttlingRateLimit?: number;
}

/**
 * The diffed configuration of an HTTP or WebSocket (v2) stage, in the v2 JSON wire format's
 * camelCase. Canonical form as for REST; `defaultRouteSettings` omits `detailedMetricsEnabled`
 * and `dataTraceEnabled` when false (their default), a route's own settings keep them.
 */
export interface V2StageConfig {
  readonly accessLogSettings?: AccessLogSettings;
  readonly apiGatewayManaged: boolean;
  readonly autoDeploy: boolean;
  readonly clientCertificateId?: string;
  readonly defaultRouteSettings?: RouteSettings;
  readonly deploymentId?: string;
  readonly description?: string;
  readonly routeSettings?: Readonly<Record<string, RouteSettings>>;
  readonly stageVariables?: Readonly<Record<string, string>>;
  readonly tags?: Readonly<Record<string, string>>;
}

/** Kept with the snapshot for context but never hashed or diffed. ISO-8601 strings. */
export interface VolatileFields {
  /** To the second (`...:08.000Z`): producers differ in keeping the fraction. */
  readonly createdDate?: string;
  readonly lastUpdatedDate?: string;
  /** v1 only. */
  readonly cacheClusterStatus?: string;
  /** v2 only. */
  readonly lastDeploymentStatusMessage?: string;
}

interface SnapshotBase {
  readonly key: StageKey;
  readonly apiName: string;
  /** Tags of the API (not the stage); context for ignore rules, not diffed or hashed. */
  readonly apiTags?: Readonly<Record<string, string>>;
  readonly volatile: VolatileFields;
  /** SHA-256 (hex) of `canonicalJson(config)`. Equal hash = no drift. */
  readonly hash: string;
}

export interface RestStageSnapshot extends SnapshotBase {
  readonly key: StageKey & { readonly apiType: 'REST' };
  readonly config: RestStageConfig;
}

export interface V2StageSnapshot extends SnapshotBase {
  readonly key: StageKey & { readonly apiType: 'HTTP' | 'WEBSOCKET' };
  readonly config: V2StageConfig;
}

/** One stage, canonical: the unit stored, hashed and diffed. */
export type StageSnapshot = RestStageSnapshot | V2StageSnapshot;

/** The config as a plain JSON object, for generic tree walks. */
export const configAsJson = (snapshot: StageSnapshot): JsonObject => snapshot.config as unknown as JsonObject;

/** A stable string id of a stage key: `account/region/apiType/apiId/stageName`. */
export const formatStageKey = (key: StageKey): string =>
  [key.account, key.region, key.apiType, key.apiId, key.stageName].join('/');

/**
 * A digest of the API's tags (`undefined` when it has none): kept with the latest item so a scan
 * sees an API tag change (the ignore tag among them) although API tags are not in `hash`.
 */
export const apiTagsHash = (snapshot: Pick<StageSnapshot, 'apiTags'>): string | undefined =>
  snapshot.apiTags === undefined || Object.keys(snapshot.apiTags).length === 0
    ? undefined
    : contentHash(snapshot.apiTags).slice(0, 16);

/**
 * Two `createdDate`s name the same second (`...Z` vs `....250Z`): normalize keeps whole seconds,
 * and a snapshot stored by an earlier release may hold milliseconds. Equal text is the same
 * instant even when it does not parse, so an odd date never makes a stage look recreated.
 */
export const sameCreatedDate = (a: string, b: string): boolean => {
  if (a === b) return true;
  const x = Date.parse(a);
  const y = Date.parse(b);
  return !Number.isNaN(x) && !Number.isNaN(y) && Math.floor(x / 1000) === Math.floor(y / 1000);
};

/** Narrows a snapshot to REST (v1) by its key. */
export const isRestSnapshot = (snapshot: StageSnapshot): snapshot is RestStageSnapshot =>
  snapshot.key.apiType === 'REST';
