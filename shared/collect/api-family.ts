import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { ApiFamily, ApiRef, StageSnapshot } from '../model';
import type { NormalizeContext } from '../normalize';
import type { CollectorClient } from './client-config';
import type { CollectSession } from './collect-options';
import type { CallCounts, CollectFailure, FamilyOperationNames, RawStage } from './collect-result';

/** Build both with `{ ...COLLECTOR_CLIENT_CONFIG }`. */
export interface CollectDeps {
  readonly restClient: APIGatewayClient;
  readonly v2Client: ApiGatewayV2Client;
}

/**
 * The API Gateway resource paths (`apigateway:GET`) one family's reads need; `{apiId}` stands for
 * one API's id. The monitor's IAM statements grant these (infra/stage-drift-monitor.ts).
 */
export interface FamilyReadPaths {
  /** A full collect: the API listing and every API's stage list. */
  readonly scan: readonly string[];
  /** A targeted collect: one API and its stage list, never the listing. */
  readonly rescan: readonly string[];
}

/**
 * A family's API listing, every page of it: complete (an API the collector cannot read is a
 * failure of its own), or failed as a whole by an answer that cannot be a listing.
 */
export type ApiListing<A extends ApiRef = ApiRef> =
  | {
      readonly listing: 'complete';
      readonly apis: readonly A[];
      readonly failures: readonly CollectFailure[];
    }
  | { readonly listing: 'failed'; readonly failure: CollectFailure };

/** One API read by its id: the API with its name and tags, or a failure for an answer about another. */
export type ApiRead =
  { readonly api: ApiRef; readonly failure?: never } | { readonly failure: CollectFailure };

/**
 * One API Gateway API family as the collector reads it: its client, the calls it makes (each
 * send through the session's budget and retry, counted under one of `operations`), and its SDK
 * stage shape. A call that fails throws (`ApiCallFailedError`, `PaginationLoopError`); the
 * caller records that as the listing's or the API's failure, the same way for every family.
 *
 * Typed with its client `C`, API refs `A` and SDK stage `S`; `API_FAMILY_ADAPTERS` holds each
 * with them erased, and hands a ref or a stage only to the adapter of its own family
 * (`apiFamilyOf(apiType)`).
 */
export interface ApiFamilyAdapter<
  C extends CollectorClient = CollectorClient,
  A extends ApiRef = ApiRef,
  S = unknown,
> {
  readonly family: ApiFamily;
  /** The member of `CollectDeps` that holds the family's client (named in errors). */
  readonly clientName: keyof CollectDeps;
  /** What its sends are counted, and its failures recorded, under. */
  readonly operations: FamilyOperationNames;
  readonly readPaths: FamilyReadPaths;
  clientOf(deps: CollectDeps): C;
  /** Every API of the family, page by page, each page in a pool slot of the session. */
  listApis(client: C, session: CollectSession, calls: CallCounts): Promise<ApiListing<A>>;
  /** One API by id (its name and tags); a 404 throws, as every failed call does. */
  readApi(client: C, session: CollectSession, calls: CallCounts, apiId: string): Promise<ApiRead>;
  /** Every stage of one listed or read API; the caller holds a pool slot. */
  readStages(client: C, session: CollectSession, calls: CallCounts, api: A): Promise<RawStage[]>;
  /** The stage's name, as the SDK spells the member. */
  stageNameOf(stage: S): string | undefined;
  /**
   * The SDK's stage as a canonical snapshot.
   * @throws StageNormalizeError for a stage that is not one of this family.
   */
  normalize(stage: S, context: NormalizeContext): StageSnapshot;
}
