import type { Stage as RestStage } from '@aws-sdk/client-api-gateway';
import type { Stage as V2Stage } from '@aws-sdk/client-apigatewayv2';
import type { ApiRef } from '../model';
import { API_TYPES } from '../model';
import { compareText } from '../runtime';

/** One stage as the SDK returned it, with the API it belongs to. */
export type RawStage =
  | { readonly api: ApiRef; readonly apiType: 'REST'; readonly stage: RestStage }
  | { readonly api: ApiRef; readonly apiType: 'HTTP' | 'WEBSOCKET'; readonly stage: V2Stage };

/**
 * Receives the stages of each API whose stages were all read, as soon as they are (in no set
 * order; an API with no stage too). The collect awaits it before the API's pool slot is freed,
 * so a sink that falls behind slows the collect down rather than piling stages up. Whatever it
 * throws stops the collect, which rethrows it once the reads in flight have settled.
 */
export type ApiStagesSink = (api: ApiRef, stages: readonly RawStage[]) => Promise<void>;

export type CollectOperation = 'GetRestApis' | 'GetStages' | 'GetApis' | 'GetStagesV2';

/** `REST` = API Gateway v1; `V2` = HTTP and WebSocket APIs. */
export type ApiFamily = 'REST' | 'V2';

/** A listing or one API whose read failed; the rest of the collect went on. */
export interface CollectFailure {
  readonly apiType: ApiFamily;
  /** Absent: the listing itself failed. */
  readonly apiId?: string;
  readonly apiName?: string;
  readonly operation: CollectOperation;
  /** The SDK error's name (`NotFoundException`, `TooManyRequestsException`, ...) or ours. */
  readonly errorName: string;
  readonly message: string;
  readonly httpStatus?: number;
}

/** SDK sends per operation (successful and failed, retries included). */
export interface CallCounts {
  GetRestApis: number;
  GetStages: number;
  GetApis: number;
  GetStagesV2: number;
  /** Throttling answers (429) seen. */
  throttled: number;
  /** Sends that were retries of an earlier send. */
  retries: number;
}

export type ListingStatus = 'complete' | 'failed';

export interface CollectResult {
  /** Every API listed (in a targeted collect too), sorted by apiType then apiId. */
  readonly apis: readonly ApiRef[];
  /** APIs whose stages were read completely, sorted. Only these may yield DELETED stages. */
  readonly readApiIds: readonly string[];
  /** A failed listing contributes no APIs, no stages and no read APIs: only its failure. */
  readonly listing: { readonly rest: ListingStatus; readonly v2: ListingStatus };
  /**
   * Sorted by apiType (REST, HTTP, WEBSOCKET), apiId, stageName. Empty when the collect handed
   * each API's stages to an `ApiStagesSink` instead.
   */
  readonly stages: readonly RawStage[];
  /** Sorted by family, apiId (listing failures first), operation. */
  readonly failures: readonly CollectFailure[];
  readonly calls: CallCounts;
}

/** What one half (v1 or v2) of a collect returns. */
export interface FamilyCollectResult {
  readonly family: ApiFamily;
  readonly listing: ListingStatus;
  readonly apis: readonly ApiRef[];
  readonly readApiIds: readonly string[];
  readonly stages: readonly RawStage[];
  readonly failures: readonly CollectFailure[];
  readonly calls: CallCounts;
}

export const emptyCallCounts = (): CallCounts => ({
  GetRestApis: 0,
  GetStages: 0,
  GetApis: 0,
  GetStagesV2: 0,
  throttled: 0,
  retries: 0,
});

export const addCallCounts = (a: CallCounts, b: CallCounts): CallCounts => ({
  GetRestApis: a.GetRestApis + b.GetRestApis,
  GetStages: a.GetStages + b.GetStages,
  GetApis: a.GetApis + b.GetApis,
  GetStagesV2: a.GetStagesV2 + b.GetStagesV2,
  throttled: a.throttled + b.throttled,
  retries: a.retries + b.retries,
});

/** Control-plane sends of all four operations (retries included; `throttled` and `retries` are among them). */
export const totalCalls = (calls: CallCounts): number =>
  calls.GetRestApis + calls.GetStages + calls.GetApis + calls.GetStagesV2;

const typeRank = (apiType: ApiRef['apiType']): number => API_TYPES.indexOf(apiType);

const stageNameOf = (raw: RawStage): string =>
  (raw.apiType === 'REST' ? raw.stage.stageName : raw.stage.StageName) ?? '';

export const compareApis = (a: ApiRef, b: ApiRef): number =>
  typeRank(a.apiType) - typeRank(b.apiType) || compareText(a.apiId, b.apiId);

export const compareStages = (a: RawStage, b: RawStage): number =>
  compareApis(a.api, b.api) || compareText(stageNameOf(a), stageNameOf(b));

/** The collector's order of stages by key: apiType (REST, HTTP, WEBSOCKET), apiId, stageName. */
export const compareStageKeys = (
  a: { readonly apiType: ApiRef['apiType']; readonly apiId: string; readonly stageName: string },
  b: { readonly apiType: ApiRef['apiType']; readonly apiId: string; readonly stageName: string },
): number =>
  typeRank(a.apiType) - typeRank(b.apiType) ||
  compareText(a.apiId, b.apiId) ||
  compareText(a.stageName, b.stageName);

const FAMILY_RANK: Record<ApiFamily, number> = { REST: 0, V2: 1 };

export const compareFailures = (a: CollectFailure, b: CollectFailure): number =>
  FAMILY_RANK[a.apiType] - FAMILY_RANK[b.apiType] ||
  compareText(a.apiId ?? '', b.apiId ?? '') ||
  compareText(a.operation, b.operation);

/** Merges the v1 and v2 halves into one result in deterministic order. */
export const mergeFamilyResults = (rest: FamilyCollectResult, v2: FamilyCollectResult): CollectResult => ({
  apis: [...rest.apis, ...v2.apis].sort(compareApis),
  readApiIds: [...rest.readApiIds, ...v2.readApiIds].sort(compareText),
  listing: { rest: rest.listing, v2: v2.listing },
  stages: [...rest.stages, ...v2.stages].sort(compareStages),
  failures: [...rest.failures, ...v2.failures].sort(compareFailures),
  calls: addCallCounts(rest.calls, v2.calls),
});

/** Sorts one half on its own (the halves are public functions too). */
export const sortFamilyResult = (result: FamilyCollectResult): FamilyCollectResult => ({
  ...result,
  apis: [...result.apis].sort(compareApis),
  readApiIds: [...result.readApiIds].sort(compareText),
  stages: [...result.stages].sort(compareStages),
  failures: [...result.failures].sort(compareFailures),
});
