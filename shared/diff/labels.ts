const TOP_LEVEL: Readonly<Record<string, string>> = {
  accessLogSettings: 'Access logging',
  apiGatewayManaged: 'Managed by API Gateway',
  autoDeploy: 'Automatic deployment',
  cacheClusterEnabled: 'Cache cluster',
  cacheClusterSize: 'Cache cluster size',
  canarySettings: 'Canary',
  clientCertificateId: 'Client certificate',
  defaultRouteSettings: 'Default route settings',
  deploymentId: 'Deployment',
  description: 'Description',
  documentationVersion: 'Documentation version',
  tracingEnabled: 'X-Ray tracing',
  webAclArn: 'WAF web ACL',
};

const ACCESS_LOG: Readonly<Record<string, string>> = {
  destinationArn: 'Access log destination',
  format: 'Access log format',
};

const CANARY: Readonly<Record<string, string>> = {
  deploymentId: 'Canary deployment',
  percentTraffic: 'Canary traffic percentage',
  stageVariableOverrides: 'Canary stage variable overrides',
  useStageCache: 'Canary uses stage cache',
};

/** Method settings (REST) and route settings (v2) fields, capitalised. */
const SETTINGS: Readonly<Record<string, string>> = {
  cacheDataEncrypted: 'Cache encryption',
  cacheTtlInSeconds: 'Cache TTL in seconds',
  cachingEnabled: 'Caching',
  dataTraceEnabled: 'Data trace logging',
  detailedMetricsEnabled: 'Detailed metrics',
  loggingLevel: 'Execution logging level',
  metricsEnabled: 'Detailed metrics',
  requireAuthorizationForCacheControl: 'Cache control requires authorization',
  throttlingBurstLimit: 'Throttling burst limit',
  throttlingRateLimit: 'Throttling rate limit',
  unauthorizedCacheControlHeaderStrategy: 'Unauthorized cache control header strategy',
};

const lowerFirst = (text: string): string => text.charAt(0).toLowerCase() + text.slice(1);
const known = (table: Readonly<Record<string, string>>, key: string | undefined): string | undefined =>
  key !== undefined && Object.hasOwn(table, key) ? table[key] : undefined;

const labelOrUndefined = (path: readonly string[]): string | undefined => {
  const [first, second, third] = path;
  switch (path.length) {
    case 1:
      return known(TOP_LEVEL, first);
    case 2:
      if (first === 'variables' || first === 'stageVariables') return `Stage variable ${second}`;
      if (first === 'tags') return `Tag ${second}`;
      if (first === 'apiTags') return `API tag ${second}`;
      if (first === 'methodSettings') return `Method settings (${second})`;
      if (first === 'routeSettings') return `Route settings (${second})`;
      if (first === 'accessLogSettings') return known(ACCESS_LOG, second);
      if (first === 'canarySettings') return known(CANARY, second);
      if (first === 'defaultRouteSettings') {
        const field = known(SETTINGS, second);
        return field === undefined ? undefined : `Default route ${lowerFirst(field)}`;
      }
      return undefined;
    case 3: {
      if (first === 'canarySettings' && second === 'stageVariableOverrides') {
        return `Canary stage variable override ${third}`;
      }
      const field = known(SETTINGS, third);
      if (field === undefined) return undefined;
      if (first === 'methodSettings') return `${field} (${second})`;
      if (first === 'routeSettings') return `Route ${lowerFirst(field)} (${second})`;
      return undefined;
    }
    default:
      return undefined;
  }
};

/**
 * A readable label for a change path, e.g. `Execution logging level (*\/*)`,
 * `Route throttling rate limit (GET /pets)`, `Stage variable dbHost`, `WAF web ACL`; the dotted
 * path for anything unknown.
 */
export const labelForPath = (path: readonly string[]): string => labelOrUndefined(path) ?? path.join('.');
