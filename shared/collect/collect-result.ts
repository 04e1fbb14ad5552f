import type { Stage as RestStage } from '@aws-sdk/client-api-gateway';
import type { Stage as V2Stage } from '@aws-sdk/client-apigatewayv2';
import type { ApiFamily, ApiRef } from '../model';
import { API_FAMILIES, API_TYPES, compareFamilies } from '../model';
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

/** The calls of one API family by role: what its sends are counted, and its failures recorded, under. */
export interface FamilyOperations {
  /** One page of the family's API listing (a full collect). */
  readonly listApis: string;
  /** One API by id (a targeted collect). */
  readonly readApi: string;
  /** One page of one API's stages. */
  readonly readStages: string;
}

/** Each family's operations (`GetStagesV2` = the v2 GetStages); its adapter counts its calls under them. */
export const FAMILY_OPERATIONS = {
  REST: { listApis: 'GetRestApis', readApi: 'GetRestApi', readStages: 'GetStages' },
  V2: { listApis: 'GetApis', readApi: 'GetApi', readStages: 'GetStagesV2' },
} as const satisfies Record<ApiFamily, FamilyOperations>;

/** The operations of one family, as its adapter holds them. */
export type FamilyOperationNames = (typeof FAMILY_OPERATIONS)[ApiFamily];

type OperationOf<R extends keyof FamilyOperations> = FamilyOperationNames[R];

export type CollectOperation = OperationOf<keyof FamilyOperations>;

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

/**
 * SDK sends per operation (successful and failed, retries included), with `throttled` (429
 * answers seen) and `retries` (sends that re-sent an earlier one). The operations of a full
 * collect are always there, in the order run records store and the CLI prints them; a single-API
 * read (GetRestApi, GetApi: a targeted collect's) only once it was made.
 */
export type CallCounts = Record<OperationOf<'listApis' | 'readStages'> | 'throttled' | 'retries', number> &
  Partial<Record<OperationOf<'readApi'>, number>>;

export type ListingStatus = 'complete' | 'failed';

export interface CollectResult {
  /** Every API listed (in a targeted collect too), sorted by apiType then apiId. */
  readonly apis: readonly ApiRef[];
  /** APIs whose stages were read completely, sorted. Only these may yield DELETED stages. */
  readonly readApiIds: readonly string[];
  /** A failed listing contributes no APIs, no stages and no read APIs: only its failure. */
  readonly listing: Readonly<Record<ApiFamily, ListingStatus>>;
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

/** Each family's listing and stage reads, family by family: counted in every `CallCounts`. */
const FULL_COLLECT_OPERATIONS: readonly OperationOf<'listApis' | 'readStages'>[] = API_FAMILIES.flatMap(
  (family) => [FAMILY_OPERATIONS[family].listApis, FAMILY_OPERATIONS[family].readStages],
);
/** In `CallCounts` once made. */
const SINGLE_API_OPERATIONS: readonly OperationOf<'readApi'>[] = API_FAMILIES.map(
  (family) => FAMILY_OPERATIONS[family].readApi,
);
const ALWAYS_COUNTED = [...FULL_COLLECT_OPERATIONS, 'throttled', 'retries'] as const;

export const emptyCallCounts = (): CallCounts =>
  Object.fromEntries(ALWAYS_COUNTED.map((counter) => [counter, 0])) as CallCounts;

export const addCallCounts = (a: CallCounts, b: CallCounts): CallCounts => {
  const sum = emptyCallCounts();
  for (const counter of ALWAYS_COUNTED) sum[counter] = a[counter] + b[counter];
  for (const operation of SINGLE_API_OPERATIONS) {
    if (a[operation] !== undefined || b[operation] !== undefined) {
      sum[operation] = (a[operation] ?? 0) + (b[operation] ?? 0);
    }
  }
  return sum;
};

/** Control-plane sends of every operation (retries included; `throttled` and `retries` are among them). */
export const totalCalls = (calls: CallCounts): number =>
  [...FULL_COLLECT_OPERATIONS, ...SINGLE_API_OPERATIONS].reduce(
    (total, operation) => total + (calls[operation] ?? 0),
    0,
  );

const typeRank = (apiType: ApiRef['apiType']): number => API_TYPES.indexOf(apiType);

export const compareApis = (a: ApiRef, b: ApiRef): number =>
  typeRank(a.apiType) - typeRank(b.apiType) || compareText(a.apiId, b.apiId);

/** The collector's order of stages by key: apiType (REST, HTTP, WEBSOCKET), apiId, stageName. */
export const compareStageKeys = (
  a: { readonly apiType: ApiRef['apiType']; readonly apiId: string; readonly stageName: string },
  b: { readonly apiType: ApiRef['apiType']; readonly apiId: string; readonly stageName: string },
): number =>
  typeRank(a.apiType) - typeRank(b.apiType) ||
  compareText(a.apiId, b.apiId) ||
  compareText(a.stageName, b.stageName);

export const compareFailures = (a: CollectFailure, b: CollectFailure): number =>
  compareFamilies(a.apiType, b.apiType) ||
  compareText(a.apiId ?? '', b.apiId ?? '') ||
  compareText(a.operation, b.operation);
