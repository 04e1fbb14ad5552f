import type { ApiFamily, StageSnapshot } from '../model';
import { normalizeRestStage } from './rest-stage';
import type { NormalizeContext } from './stage-context';
import { normalizeV2Stage } from './v2-stage';

/** A stage of one family (SDK shape or wire JSON) -> its canonical snapshot. */
export type StageNormalizer = (input: unknown, context: NormalizeContext) => StageSnapshot;

/** Each family's normalizer. */
export const STAGE_NORMALIZERS: Readonly<Record<ApiFamily, StageNormalizer>> = {
  REST: normalizeRestStage,
  V2: normalizeV2Stage,
};
