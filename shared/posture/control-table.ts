/**
 * The posture table: one row per control that applies to API Gateway stages, evaluated as AWS
 * documents it for Security Hub (links in `url`). A new control is one row here, its test in
 * test/posture/controls.test.ts and its README row (README "Posture").
 */
import type { JsonObject, StageSnapshot } from '../model';
import {
  configAsJson,
  isJsonObject,
  isRestSnapshot,
  isLoggingOn,
  loggingLevelOf,
  settingInForce,
} from '../model';
import type { ControlResult, PostureControl } from './types';

type Verdict = Omit<ControlResult, 'id'>;

const DOCS = 'https://docs.aws.amazon.com/securityhub/latest/userguide/apigateway-controls.html';

const passed = (reason: string, ...fields: string[][]): Verdict => ({ status: 'PASSED', reason, fields });
const failed = (reason: string, ...fields: string[][]): Verdict => ({ status: 'FAILED', reason, fields });
const notApplicable = (reason: string): Verdict => ({ status: 'NOT_APPLICABLE', reason, fields: [] });

const keysOf = (config: JsonObject, field: string): string[] => {
  const value = config[field];
  return isJsonObject(value) ? Object.keys(value).sort() : [];
};

/** The settings entries whose values are in force on a stage: the stage-wide one, then each override. */
const settingsEntries = (snapshot: StageSnapshot): string[][] => {
  const config = configAsJson(snapshot);
  if (snapshot.key.apiType === 'REST') {
    return [
      ['methodSettings', '*/*'],
      ...keysOf(config, 'methodSettings')
        .filter((key) => key !== '*/*')
        .map((key) => ['methodSettings', key]),
    ];
  }
  return [['defaultRouteSettings'], ...keysOf(config, 'routeSettings').map((key) => ['routeSettings', key])];
};

/** As people write it: `default route`, `*\/*`, `/pets/GET` (the key's `~1` is a `/`), a route key. */
const entryName = (entry: readonly string[]): string =>
  entry.length === 1
    ? 'default route'
    : entry[0] === 'methodSettings'
      ? (entry[1] ?? '').replace(/~1/g, '/').replace(/~0/g, '~')
      : (entry[1] ?? '');

/** APIGateway.1: `loggingLevel` in force is ERROR or INFO on the stage and on every method or route override. */
const executionLogging = (snapshot: StageSnapshot): Verdict => {
  const config = configAsJson(snapshot);
  const fields = settingsEntries(snapshot).map((entry) => [...entry, 'loggingLevel']);
  const off = fields.filter((path) => !isLoggingOn(inForce(config, path)));
  if (off.length === 0) {
    const levels = [...new Set(fields.map((path) => loggingLevelOf(inForce(config, path))))].join('/');
    return passed(`execution logging is ${levels} on every ${methodOrRoute(snapshot)}`, ...fields);
  }
  const names = off.map((path) => `${entryName(path.slice(0, -1))} ${loggingLevelOf(inForce(config, path))}`);
  return failed(`execution logging is off: ${names.join(', ')}`, ...off);
};

/** The value in force: an override's own, else the stage-wide entry's (`defaultRouteSettings.x` is its own). */
const inForce = (config: JsonObject, path: readonly string[]) => settingInForce(config, path);

const methodOrRoute = (snapshot: StageSnapshot): string =>
  snapshot.key.apiType === 'REST' ? 'method' : 'route';

/** APIGateway.5: every method that caches (its own `cachingEnabled`, else `*\/*`'s) encrypts the cache. */
const cacheEncryption = (snapshot: StageSnapshot): Verdict => {
  const config = configAsJson(snapshot);
  const caching = settingsEntries(snapshot).filter(
    (entry) => inForce(config, [...entry, 'cachingEnabled']) === true,
  );
  if (caching.length === 0) return notApplicable('no method caches responses');
  const plain = caching.filter((entry) => inForce(config, [...entry, 'cacheDataEncrypted']) !== true);
  const fields = (entries: string[][]) => entries.map((entry) => [...entry, 'cacheDataEncrypted']);
  return plain.length === 0
    ? passed(`the cache of ${caching.length} caching method setting(s) is encrypted`, ...fields(caching))
    : failed(`cache data is not encrypted: ${plain.map(entryName).join(', ')}`, ...fields(plain));
};

const present = (value: unknown): boolean => typeof value === 'string' && value.length > 0;

/** A control on one field: PASSED with `passText` when `isSet` holds on the stage, else FAILED with `failText`. */
const fieldSet =
  (
    path: readonly string[],
    isSet: (snapshot: StageSnapshot) => boolean,
    passText: string,
    failText: string,
  ) =>
  (snapshot: StageSnapshot): Verdict =>
    isSet(snapshot) ? passed(passText, [...path]) : failed(failText, [...path]);

const accessLogging = fieldSet(
  ['accessLogSettings', 'destinationArn'],
  (snapshot) => present(snapshot.config.accessLogSettings?.destinationArn),
  'access logs go to a destination',
  'no access log destination is set',
);

/** The controls, in the order reports list them. */
export const DEFAULT_CONTROLS: readonly PostureControl[] = [
  {
    id: 'APIGateway.1',
    title: 'Execution logging is ERROR or INFO on the stage and every method or route',
    source: 'aws',
    severity: 'MEDIUM',
    apiTypes: ['REST', 'WEBSOCKET'],
    url: `${DOCS}#apigateway-1`,
    evaluate: executionLogging,
  },
  {
    id: 'APIGateway.2',
    title: 'A client certificate authenticates the stage to its backend',
    source: 'aws',
    severity: 'MEDIUM',
    apiTypes: ['REST'],
    url: `${DOCS}#apigateway-2`,
    evaluate: fieldSet(
      ['clientCertificateId'],
      (snapshot) => present(snapshot.config.clientCertificateId),
      'a client certificate is set',
      'no client certificate is set',
    ),
  },
  {
    id: 'APIGateway.3',
    title: 'AWS X-Ray tracing is enabled',
    source: 'aws',
    severity: 'LOW',
    apiTypes: ['REST'],
    url: `${DOCS}#apigateway-3`,
    evaluate: fieldSet(
      ['tracingEnabled'],
      (snapshot) => isRestSnapshot(snapshot) && snapshot.config.tracingEnabled,
      'X-Ray tracing is on',
      'X-Ray tracing is off',
    ),
  },
  {
    id: 'APIGateway.4',
    title: 'The stage is associated with an AWS WAF web ACL',
    source: 'aws',
    severity: 'MEDIUM',
    apiTypes: ['REST'],
    url: `${DOCS}#apigateway-4`,
    evaluate: fieldSet(
      ['webAclArn'],
      (snapshot) => isRestSnapshot(snapshot) && present(snapshot.config.webAclArn),
      'a web ACL is associated',
      'no web ACL is associated',
    ),
  },
  {
    id: 'APIGateway.5',
    title: 'Cache data is encrypted at rest on every method that caches',
    source: 'aws',
    severity: 'MEDIUM',
    apiTypes: ['REST'],
    url: `${DOCS}#apigateway-5`,
    evaluate: cacheEncryption,
  },
  {
    id: 'APIGateway.9',
    title: 'Access logging is configured (HTTP and WebSocket stages)',
    source: 'aws',
    severity: 'MEDIUM',
    apiTypes: ['HTTP', 'WEBSOCKET'],
    url: `${DOCS}#apigateway-9`,
    evaluate: accessLogging,
  },
  {
    id: 'StageDrift.RestAccessLogging',
    title: 'Access logging is configured (REST stages; Security Hub has no control for it)',
    source: 'stage-drift',
    severity: 'MEDIUM',
    apiTypes: ['REST'],
    evaluate: accessLogging,
  },
];
