import type { StageDrift, StageKey, StageSnapshot } from '../model';

/** One v1 `UpdateStage` patch operation, as the wire carries it (values are strings). */
export interface PatchOperation {
  readonly op: 'replace' | 'add' | 'remove';
  readonly path: string;
  readonly value?: string;
}

/** v1 `CreateStage` input members (the wire's camelCase), for a deleted stage put back. */
export interface RestCreateStageInput {
  readonly stageName: string;
  readonly deploymentId: string;
  readonly description?: string;
  readonly cacheClusterEnabled?: boolean;
  readonly cacheClusterSize?: string;
  readonly variables?: Readonly<Record<string, string>>;
  readonly documentationVersion?: string;
  readonly canarySettings?: {
    readonly percentTraffic?: number;
    readonly deploymentId?: string;
    readonly stageVariableOverrides?: Readonly<Record<string, string>>;
    readonly useStageCache?: boolean;
  };
  readonly tracingEnabled?: boolean;
  readonly tags?: Readonly<Record<string, string>>;
}

/** v2 route settings as `UpdateStage`/`CreateStage` take them (the SDK's PascalCase). */
export interface V2RouteSettingsInput {
  readonly DataTraceEnabled?: boolean;
  readonly DetailedMetricsEnabled?: boolean;
  readonly LoggingLevel?: string;
  readonly ThrottlingBurstLimit?: number;
  readonly ThrottlingRateLimit?: number;
}

/** The members of a v2 `UpdateStage` (and, with `Tags`, `CreateStage`) the plan sets. */
export interface V2StageInput {
  readonly AccessLogSettings?: { readonly DestinationArn?: string; readonly Format?: string };
  readonly AutoDeploy?: boolean;
  readonly ClientCertificateId?: string;
  readonly DefaultRouteSettings?: V2RouteSettingsInput;
  readonly DeploymentId?: string;
  readonly Description?: string;
  readonly RouteSettings?: Readonly<Record<string, V2RouteSettingsInput>>;
  readonly StageVariables?: Readonly<Record<string, string>>;
  readonly Tags?: Readonly<Record<string, string>>;
}

/**
 * One call of a revert, in the order it runs. Values are in clear: a step is what is sent.
 * `shownStep` (commands.ts) prints them with stage variable values fingerprinted.
 */
export type RevertStep =
  | { readonly kind: 'rest-create-stage'; readonly input: RestCreateStageInput }
  | { readonly kind: 'rest-update-stage'; readonly patchOperations: readonly PatchOperation[] }
  | { readonly kind: 'v2-create-stage'; readonly input: V2StageInput }
  | { readonly kind: 'v2-update-stage'; readonly input: V2StageInput }
  | { readonly kind: 'v2-delete-route-settings'; readonly routeKey: string }
  | { readonly kind: 'v2-delete-access-log-settings' }
  | {
      readonly kind: 'tag-resource';
      readonly resourceArn: string;
      readonly tags: Readonly<Record<string, string>>;
    }
  | { readonly kind: 'untag-resource'; readonly resourceArn: string; readonly tagKeys: readonly string[] }
  | { readonly kind: 'associate-web-acl'; readonly resourceArn: string; readonly webAclArn: string }
  | { readonly kind: 'disassociate-web-acl'; readonly resourceArn: string };

/** A difference no call can put back: listed with what to do, never skipped silently. */
export interface ManualStep {
  /** The config field, as a change path joined by `.` (`apiGatewayManaged`, `tags.aws:cloudformation:stack-name`). */
  readonly field: string;
  readonly reason: string;
  /** The command to run, when there is one. */
  readonly command?: string;
}

/** Everything `stage-drift revert` will do to bring one stage back to `target`. */
export interface RevertPlan {
  readonly key: StageKey;
  /** The stage as it is now; `undefined` when it was deleted (the plan re-creates it). */
  readonly current?: StageSnapshot;
  readonly target: StageSnapshot;
  /**
   * The field-level changes the revert makes (current → target), labelled and judged as a drift
   * event would be; `undefined` when the stage is already at the target.
   */
  readonly drift?: StageDrift;
  readonly steps: readonly RevertStep[];
  readonly manual: readonly ManualStep[];
}
