import type { DiffOptions } from '../../shared/diff';
import { diffConfigs } from '../../shared/diff';
import type { Change, StageSnapshot } from '../../shared/model';
import { configAsJson } from '../../shared/model';
import type { ManualStep } from '../../shared/revert/types';

/** What the re-read stage says about a revert. */
export interface Verification {
  /** Fields that still differ from the target and that the plan meant to put back. */
  readonly unexpected: readonly Change[];
  /** Fields that still differ and that the plan listed as "do this yourself". */
  readonly manual: readonly Change[];
}

const coveredBy = (change: Change, manual: readonly ManualStep[]): boolean => {
  const path = change.path.join('.');
  return manual.some(
    (m) => path === m.field || path.startsWith(`${m.field}.`) || m.field.startsWith(`${path}.`),
  );
};

/**
 * Diffs the stage as re-read after a revert against the target version. A difference the plan
 * listed as manual is expected (it said so before asking); any other means the revert did not
 * converge. `after` undefined (the stage is still missing) is reported by the caller.
 */
export const verifyRevert = (
  after: StageSnapshot,
  target: StageSnapshot,
  manual: readonly ManualStep[],
  diffOptions: DiffOptions,
): Verification => {
  const left = diffConfigs(configAsJson(after), configAsJson(target), target.key.apiType, diffOptions);
  return {
    unexpected: left.filter((c) => !coveredBy(c, manual)),
    manual: left.filter((c) => coveredBy(c, manual)),
  };
};
