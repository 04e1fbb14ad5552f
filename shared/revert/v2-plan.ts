import type { RouteSettings, V2StageConfig } from '../model';
import { canonicalJson } from '../model';
import { compareText } from '../runtime';
import type { ManualStep, RevertStep, V2RouteSettingsInput, V2StageInput } from './types';

const same = (a: unknown, b: unknown): boolean => canonicalJson(a ?? null) === canonicalJson(b ?? null);

/**
 * The value a map holds under `key`, its own members only: a stage variable, tag or route key
 * may be named `valueOf` or `constructor`, which a plain `map[key]` finds on Object.prototype.
 */
const own = <T>(map: Readonly<Record<string, T>> | undefined, key: string): T | undefined =>
  map !== undefined && Object.hasOwn(map, key) ? map[key] : undefined;

const ROUTE_MEMBERS = {
  dataTraceEnabled: 'DataTraceEnabled',
  detailedMetricsEnabled: 'DetailedMetricsEnabled',
  loggingLevel: 'LoggingLevel',
  throttlingBurstLimit: 'ThrottlingBurstLimit',
  throttlingRateLimit: 'ThrottlingRateLimit',
} as const satisfies Record<keyof RouteSettings, keyof V2RouteSettingsInput>;

/**
 * Route settings as UpdateStage takes them. `asDefault`: the default route settings, whose
 * absent booleans mean `false` (the canonical form drops them), so they are sent as `false`.
 */
const routeSettingsInput = (
  settings: RouteSettings | undefined,
  asDefault: boolean,
): V2RouteSettingsInput => {
  const input: Record<string, string | number | boolean> = {};
  for (const [member, name] of Object.entries(ROUTE_MEMBERS) as [keyof RouteSettings, string][]) {
    const value = settings?.[member];
    if (value !== undefined) input[name] = value;
  }
  if (asDefault) {
    input.DataTraceEnabled ??= false;
    input.DetailedMetricsEnabled ??= false;
  }
  return input;
};

const keysOf = (...maps: ReadonlyArray<Readonly<Record<string, unknown>> | undefined>): string[] =>
  [...new Set(maps.flatMap((m) => Object.keys(m ?? {})))].sort(compareText);

/** A route's own settings lose a member: only DeleteRouteSettings clears one, then they are set again. */
const losesMember = (current: RouteSettings | undefined, target: RouteSettings | undefined): boolean =>
  current !== undefined &&
  (Object.keys(ROUTE_MEMBERS) as (keyof RouteSettings)[]).some(
    (m) => current[m] !== undefined && target?.[m] === undefined,
  );

const accessLogInput = (settings: V2StageConfig['accessLogSettings']): V2StageInput['AccessLogSettings'] => ({
  ...(settings?.destinationArn === undefined ? {} : { DestinationArn: settings.destinationArn }),
  ...(settings?.format === undefined ? {} : { Format: settings.format }),
});

/**
 * The v2 calls that turn an HTTP or WebSocket stage's `current` config into `target`, tags
 * aside: DeleteRouteSettings for a route whose own settings go (or lose a member),
 * DeleteAccessLogSettings when the access log goes, then one UpdateStage with every member that
 * differs. `DefaultRouteSettings` is sent whole, with its absent booleans as `false`; a removed
 * stage variable is sent as `""`, a cleared description or client certificate as `""`.
 */
export const v2UpdateSteps = (current: V2StageConfig, target: V2StageConfig): RevertStep[] => {
  const steps: RevertStep[] = [];
  const routes: Record<string, V2RouteSettingsInput> = {};
  for (const routeKey of keysOf(current.routeSettings, target.routeSettings)) {
    const had = own(current.routeSettings, routeKey);
    const want = own(target.routeSettings, routeKey);
    if (same(had, want)) continue;
    if (want === undefined || losesMember(had, want))
      steps.push({ kind: 'v2-delete-route-settings', routeKey });
    if (want !== undefined) routes[routeKey] = routeSettingsInput(want, false);
  }
  // UpdateStage merges the access log settings member by member: only a delete clears one.
  const accessLogGoes =
    current.accessLogSettings !== undefined &&
    (target.accessLogSettings === undefined ||
      (['destinationArn', 'format'] as const).some(
        (m) => current.accessLogSettings?.[m] !== undefined && target.accessLogSettings?.[m] === undefined,
      ));
  if (accessLogGoes) steps.push({ kind: 'v2-delete-access-log-settings' });

  const variables: Record<string, string> = {};
  for (const name of keysOf(current.stageVariables, target.stageVariables)) {
    const want = own(target.stageVariables, name);
    if (want !== own(current.stageVariables, name)) variables[name] = want ?? '';
  }
  const input: Record<string, unknown> = {};
  if (
    target.accessLogSettings !== undefined &&
    (accessLogGoes || !same(current.accessLogSettings, target.accessLogSettings))
  )
    input.AccessLogSettings = accessLogInput(target.accessLogSettings);
  if (current.autoDeploy !== target.autoDeploy) input.AutoDeploy = target.autoDeploy;
  if (current.clientCertificateId !== target.clientCertificateId)
    input.ClientCertificateId = target.clientCertificateId ?? '';
  // Sent only when the merge changes a member: the ones the target lacks stay (a manual step).
  const defaults = routeSettingsInput(target.defaultRouteSettings, true);
  const had = routeSettingsInput(current.defaultRouteSettings, true) as Record<string, unknown>;
  if (Object.entries(defaults).some(([name, value]) => had[name] !== value))
    input.DefaultRouteSettings = defaults;
  if (current.deploymentId !== target.deploymentId) input.DeploymentId = target.deploymentId ?? '';
  if (current.description !== target.description) input.Description = target.description ?? '';
  if (Object.keys(routes).length > 0) input.RouteSettings = routes;
  if (Object.keys(variables).length > 0) input.StageVariables = variables;
  if (Object.keys(input).length > 0) steps.push({ kind: 'v2-update-stage', input: input });
  return steps;
};

/** The default route settings members UpdateStage cannot clear (it merges them; booleans are set to false). */
const UNCLEARABLE_DEFAULTS = ['loggingLevel', 'throttlingBurstLimit', 'throttlingRateLimit'] as const;

/** What no v2 call can put back. */
export const v2ManualSteps = (current: V2StageConfig, target: V2StageConfig): ManualStep[] => [
  ...(current.apiGatewayManaged === target.apiGatewayManaged
    ? []
    : [
        {
          field: 'apiGatewayManaged',
          reason:
            'whether API Gateway manages the stage (quick create) is set by how it was created; no call changes it',
        },
      ]),
  ...UNCLEARABLE_DEFAULTS.filter(
    (m) => current.defaultRouteSettings?.[m] !== undefined && target.defaultRouteSettings?.[m] === undefined,
  ).map((m) => ({
    field: `defaultRouteSettings.${m}`,
    reason: `the target version has no ${m} in its default route settings, and UpdateStage merges them, so it cannot clear ${JSON.stringify(current.defaultRouteSettings?.[m])}; set the value you want with aws apigatewayv2 update-stage --default-route-settings`,
  })),
];

/** `CreateStage` for a deleted v2 stage: it takes every member, so nothing is left to update. */
export const v2CreateStage = (target: V2StageConfig): { input: V2StageInput; created: V2StageConfig } => {
  const input: Record<string, unknown> = { AutoDeploy: target.autoDeploy };
  if (target.accessLogSettings !== undefined)
    input.AccessLogSettings = accessLogInput(target.accessLogSettings);
  if (target.clientCertificateId !== undefined) input.ClientCertificateId = target.clientCertificateId;
  if (target.defaultRouteSettings !== undefined)
    input.DefaultRouteSettings = routeSettingsInput(target.defaultRouteSettings, true);
  if (target.deploymentId !== undefined) input.DeploymentId = target.deploymentId;
  if (target.description !== undefined) input.Description = target.description;
  if (target.routeSettings !== undefined)
    input.RouteSettings = Object.fromEntries(
      Object.entries(target.routeSettings).map(([k, v]) => [k, routeSettingsInput(v, false)]),
    );
  if (target.stageVariables !== undefined) input.StageVariables = target.stageVariables;
  // What CreateStage leaves: the target without its tags (TagResource sets them) and not managed.
  const created: Record<string, unknown> = { ...target, apiGatewayManaged: false };
  delete created.tags;
  return { input, created: created as unknown as V2StageConfig };
};
