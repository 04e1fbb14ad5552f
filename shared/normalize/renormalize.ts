import type { ApiRef, StageSnapshot } from '../model';
import { familyOfApiType } from '../model';
import { STAGE_NORMALIZERS } from './stage-normalizers';

/**
 * A snapshot in today's canonical form: its config and volatile fields (what a stored snapshot
 * keeps of the stage) normalized again, its hash recomputed. A snapshot stored by a release
 * with another canonical form (AWS defaults kept, `createdDate` to the millisecond) then
 * compares with a fresh one on what AWS holds, not on how it was written down.
 *
 * @throws StageNormalizeError when the config is not a config of its API type.
 */
export const renormalizeSnapshot = (snapshot: StageSnapshot): StageSnapshot => {
  const { key } = snapshot;
  const api: ApiRef = {
    apiId: key.apiId,
    apiType: key.apiType,
    name: snapshot.apiName,
    ...(snapshot.apiTags === undefined ? {} : { tags: snapshot.apiTags }),
  };
  const context = { account: key.account, region: key.region, api, stageName: key.stageName };
  const input = { ...snapshot.config, ...snapshot.volatile };
  return STAGE_NORMALIZERS[familyOfApiType(key.apiType)](input, context);
};
