import type { ApiFamily, ApiRef, ApiType } from '../model';
import { API_FAMILIES, familyOfApiType } from '../model';
import { compareText } from '../runtime';
import type { ApiFamilyAdapter, CollectDeps } from './api-family';
import { assertCollectorClient } from './client-config';
import type { CollectSession } from './collect-options';
import type { CallCounts, RawStage } from './collect-result';
import { compareApis } from './collect-result';
import { restFamily } from './rest-family';
import { v2Family } from './v2-family';

/** Every family's adapter, by family: the one place a family is registered. */
export const API_FAMILY_ADAPTERS: Readonly<Record<ApiFamily, ApiFamilyAdapter>> = {
  REST: restFamily,
  V2: v2Family,
};

/** The adapter of the family that reads APIs of `apiType`. */
export const apiFamilyOf = (apiType: ApiType): ApiFamilyAdapter =>
  API_FAMILY_ADAPTERS[familyOfApiType(apiType)];

/** Refuses, family by family, a client that would retry on its own, before anything is sent. */
export const assertCollectorClients = async (deps: CollectDeps): Promise<void> => {
  for (const family of API_FAMILIES) {
    const adapter = API_FAMILY_ADAPTERS[family];
    await assertCollectorClient(adapter.clientOf(deps), adapter.clientName);
  }
};

/**
 * Every stage of one known API, of any family. Each send goes through the session's budget and
 * retry; errors propagate, the caller decides whether they fail the API or the collect.
 */
export const readApiStages = (
  deps: CollectDeps,
  session: CollectSession,
  calls: CallCounts,
  api: ApiRef,
): Promise<RawStage[]> => {
  const adapter = apiFamilyOf(api.apiType);
  return adapter.readStages(adapter.clientOf(deps), session, calls, api);
};

const stageNameOf = (raw: RawStage): string => apiFamilyOf(raw.apiType).stageNameOf(raw.stage) ?? '';

/** The collector's order of stages: apiType (REST, HTTP, WEBSOCKET), apiId, stageName. */
export const compareStages = (a: RawStage, b: RawStage): number =>
  compareApis(a.api, b.api) || compareText(stageNameOf(a), stageNameOf(b));
