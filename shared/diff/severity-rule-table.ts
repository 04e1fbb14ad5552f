/**
 * The default severity rules, in the order they are tried: the model's extension point. A new rule
 * is one entry here, its test in test/diff/severity-rules.test.ts and its README row (ARCHITECTURE.md).
 */
import type { ChangeKind, JsonObject, JsonValue } from '../model';
import { isLoggingOn, loggingLevelOf, settingInForce, valueAt } from '../model';
import { DEFAULT_IGNORE_TAG, ignoreTagTransition } from './ignore-rules';

import type { LeafChange, RuleContext, SeverityRule } from './severity-rule-types';

const settingPaths = (field: string): string[] => [
  `methodSettings.*.${field}`,
  `defaultRouteSettings.${field}`,
  `routeSettings.*.${field}`,
];

const isObject = (value: JsonValue | undefined): value is JsonObject =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const turnedOn = (leaf: LeafChange, context: RuleContext): boolean =>
  settingInForce(context.before, leaf.path) !== true && settingInForce(context.after, leaf.path) === true;
const kindIs =
  (...kinds: ChangeKind[]) =>
  (leaf: LeafChange): boolean =>
    kinds.includes(leaf.kind);

const optOut =
  (direction: 'opt-out' | 'resumed') =>
  (leaf: LeafChange, context: RuleContext): boolean =>
    ignoreTagTransition(context.ignoreTag ?? DEFAULT_IGNORE_TAG, leaf) === direction;

const METHOD_SETTINGS = 'methodSettings';
const STAGE_WIDE = '*/*';

/**
 * The method-settings entries that cache responses without encrypting them, as Security Hub's
 * APIGateway.5 judges a REST stage: `cachingEnabled` in force (the entry's own, else `*\/*`'s) and
 * `cacheDataEncrypted` in force not true. The stage fails the control when any entry does.
 */
const unencryptedCachingEntries = (config: JsonObject): Set<string> => {
  const settings = config[METHOD_SETTINGS];
  const entries = isObject(settings) ? Object.keys(settings) : [];
  return new Set(
    entries.filter(
      (key) =>
        settingInForce(config, [METHOD_SETTINGS, key, 'cachingEnabled']) === true &&
        settingInForce(config, [METHOD_SETTINGS, key, 'cacheDataEncrypted']) !== true,
    ),
  );
};

/**
 * A caching leaf that makes the stage cache unencrypted where it did not: the cache cluster turned
 * on while an entry caches unencrypted, or an entry (its own, or one inheriting the changed
 * `*\/*` field) newly caching unencrypted. Turning caching off is never this rule.
 */
const startsUnencryptedCaching = (leaf: LeafChange, context: RuleContext): boolean => {
  const after = unencryptedCachingEntries(context.after);
  if (leaf.path.length === 1) {
    return leaf.path[0] === 'cacheClusterEnabled' && leaf.after === true && after.size > 0;
  }
  const before = unencryptedCachingEntries(context.before);
  const [, key, field] = leaf.path as [string, string, string];
  return [...after].some(
    (entry) =>
      !before.has(entry) &&
      (entry === key ||
        (key === STAGE_WIDE && valueAt(context.after, [METHOD_SETTINGS, entry, field]) === undefined)),
  );
};

/**
 * The default severity table (issue 2, "Drift engine"). Stage rules first, then field rules in
 * the order they are tried; `other` matches everything left.
 */
export const DEFAULT_SEVERITY_RULES: readonly SeverityRule[] = [
  { id: 'stage-deleted', scope: 'stage', paths: [], severity: 'HIGH', description: 'The stage was deleted.' },
  {
    id: 'stage-recreated',
    scope: 'stage',
    paths: [],
    severity: 'MEDIUM',
    description: 'The stage was deleted and created again between two scans (its createdDate changed).',
  },
  { id: 'stage-created', scope: 'stage', paths: [], severity: 'INFO', description: 'A new stage appeared.' },
  {
    id: 'stage-modified',
    scope: 'stage',
    paths: [],
    severity: 'INFO',
    description: 'The stage configuration changed; the stage takes the severity of its worst change.',
  },
  {
    id: 'stage-reverted',
    scope: 'stage',
    paths: [],
    severity: 'INFO',
    description:
      'The stage was put back to an earlier version with `stage-drift revert`; it takes the severity of its worst change.',
  },
  {
    id: 'execution-logging-off',
    scope: 'field',
    paths: settingPaths('loggingLevel'),
    severity: 'HIGH',
    control: 'APIGateway.1',
    description:
      'Execution logging turned off: a loggingLevel set to OFF or removed, where INFO or ERROR was in force before.',
    when: (leaf, context) =>
      isLoggingOn(settingInForce(context.before, leaf.path)) &&
      loggingLevelOf(settingInForce(context.after, leaf.path)) === 'OFF',
  },
  {
    id: 'data-trace-on',
    scope: 'field',
    paths: settingPaths('dataTraceEnabled'),
    severity: 'HIGH',
    description: 'Data trace logging (full request and response bodies in CloudWatch Logs) turned on.',
    when: turnedOn,
  },
  {
    id: 'access-logging-removed',
    scope: 'field',
    paths: ['accessLogSettings', 'accessLogSettings.destinationArn'],
    severity: 'HIGH',
    control: 'APIGateway.9',
    controlApiTypes: ['HTTP', 'WEBSOCKET'],
    description: 'Access logging removed (accessLogSettings or its destinationArn removed).',
    when: kindIs('removed'),
  },
  {
    id: 'access-log-settings-changed',
    scope: 'field',
    paths: ['accessLogSettings.**'],
    severity: 'MEDIUM',
    description: 'Access log destination or format added or changed.',
  },
  {
    id: 'waf-detached-or-changed',
    scope: 'field',
    paths: ['webAclArn'],
    severity: 'HIGH',
    control: 'APIGateway.4',
    description: 'The AWS WAF web ACL was detached from the stage or replaced by another.',
    when: kindIs('removed', 'changed'),
  },
  {
    id: 'waf-attached',
    scope: 'field',
    paths: ['webAclArn'],
    severity: 'LOW',
    description: 'An AWS WAF web ACL was attached to the stage.',
    when: kindIs('added'),
  },
  {
    id: 'client-certificate-removed',
    scope: 'field',
    paths: ['clientCertificateId'],
    severity: 'HIGH',
    control: 'APIGateway.2',
    controlApiTypes: ['REST'],
    description: 'The client certificate for backend authentication was removed.',
    when: kindIs('removed'),
  },
  {
    id: 'cache-unencrypted',
    scope: 'field',
    paths: ['cacheClusterEnabled', 'methodSettings.*.cachingEnabled', 'methodSettings.*.cacheDataEncrypted'],
    severity: 'HIGH',
    control: 'APIGateway.5',
    controlApiTypes: ['REST'],
    description:
      'Responses now cached without encryption: caching (per method, */* or the cache cluster) turned on where cacheDataEncrypted is not true in force, or encryption turned off where caching is on. Turning caching off is not this rule.',
    when: startsUnencryptedCaching,
  },
  {
    id: 'tracing-off',
    scope: 'field',
    paths: ['tracingEnabled'],
    severity: 'MEDIUM',
    control: 'APIGateway.3',
    description: 'AWS X-Ray tracing turned off.',
    when: (leaf) => leaf.before === true && leaf.after !== true,
  },
  {
    id: 'throttling-changed',
    scope: 'field',
    paths: [...settingPaths('throttlingBurstLimit'), ...settingPaths('throttlingRateLimit')],
    severity: 'MEDIUM',
    description: 'A throttling limit (burst or rate) changed, added or removed.',
  },
  {
    id: 'stage-variables-changed',
    scope: 'field',
    paths: ['variables.**', 'stageVariables.**', 'canarySettings.stageVariableOverrides.**'],
    severity: 'MEDIUM',
    description: 'A stage variable (or canary stage variable override) added, removed or changed.',
  },
  {
    id: 'canary-settings-changed',
    scope: 'field',
    paths: ['canarySettings.**'],
    severity: 'MEDIUM',
    description: 'Canary settings added, removed or changed (traffic share, deployment, stage cache use).',
  },
  {
    id: 'auto-deploy-changed',
    scope: 'field',
    paths: ['autoDeploy'],
    severity: 'MEDIUM',
    description: 'Automatic deployment turned on or off.',
  },
  {
    id: 'cache-settings-changed',
    scope: 'field',
    paths: [
      'cacheClusterEnabled',
      'cacheClusterSize',
      'methodSettings.*.cachingEnabled',
      'methodSettings.*.cacheTtlInSeconds',
      'methodSettings.*.cacheDataEncrypted',
      'methodSettings.*.requireAuthorizationForCacheControl',
      'methodSettings.*.unauthorizedCacheControlHeaderStrategy',
    ],
    severity: 'LOW',
    description: 'Cache cluster, cache size or per-method caching settings changed.',
  },
  {
    id: 'metrics-settings-changed',
    scope: 'field',
    paths: [
      'methodSettings.*.metricsEnabled',
      'defaultRouteSettings.detailedMetricsEnabled',
      'routeSettings.*.detailedMetricsEnabled',
    ],
    severity: 'LOW',
    description: 'Detailed CloudWatch metrics turned on or off.',
  },
  {
    id: 'description-changed',
    scope: 'field',
    paths: ['description'],
    severity: 'LOW',
    description: 'The stage description changed.',
  },
  {
    id: 'documentation-version-changed',
    scope: 'field',
    paths: ['documentationVersion'],
    severity: 'LOW',
    description: 'The documentation version changed.',
  },
  {
    id: 'monitoring-opt-out',
    scope: 'field',
    paths: ['tags.*', 'apiTags.*'],
    severity: 'MEDIUM',
    floor: true,
    description:
      'The ignore tag (stage-drift:ignore=true by default) was added to the stage or its API: a monitoring opt-out, honoured from the next scan on. Overrides and ignore paths cannot hide or lower it.',
    when: optOut('opt-out'),
  },
  {
    id: 'monitoring-resumed',
    scope: 'field',
    paths: ['tags.*', 'apiTags.*'],
    severity: 'LOW',
    floor: true,
    description:
      'The ignore tag was removed from a stage or its API that carried it: monitoring resumes, the stage as it is now is the new reference.',
    when: optOut('resumed'),
  },
  {
    id: 'tags-changed',
    scope: 'field',
    paths: ['tags.**'],
    severity: 'LOW',
    description: 'A stage tag added, removed or changed.',
  },
  {
    id: 'deployment-changed',
    scope: 'field',
    paths: ['deploymentId'],
    severity: 'INFO',
    description: 'The stage points to another deployment (a normal deploy).',
    when: kindIs('added', 'changed'),
  },
  {
    id: 'other',
    scope: 'field',
    paths: ['**'],
    severity: 'LOW',
    description: 'Any other change, e.g. logging or tracing turned on, a deployment id removed.',
  },
];
