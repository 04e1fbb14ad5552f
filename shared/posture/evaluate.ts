import type { StageSnapshot } from '../model';
import { DEFAULT_CONTROLS } from './control-table';
import type { ControlResult, ControlTransition, PostureControl, StagePosture } from './types';

/** Every control on one stage, in table order; controls of other API types are NOT_APPLICABLE. */
export const evaluatePosture = (
  snapshot: StageSnapshot,
  controls: readonly PostureControl[] = DEFAULT_CONTROLS,
): StagePosture => ({
  key: snapshot.key,
  apiName: snapshot.apiName,
  results: controls.map((control): ControlResult => {
    if (!control.apiTypes.includes(snapshot.key.apiType)) {
      return {
        id: control.id,
        status: 'NOT_APPLICABLE',
        reason: `not for ${snapshot.key.apiType} stages`,
        fields: [],
      };
    }
    return { id: control.id, ...control.evaluate(snapshot) };
  }),
});

/**
 * The controls whose status changed from `before` to `after` (either may be absent: a created or
 * deleted stage has no transitions). A control that only one side has is not a transition.
 */
export const controlTransitions = (
  before: StagePosture | undefined,
  after: StagePosture | undefined,
): ControlTransition[] => {
  if (before === undefined || after === undefined) return [];
  const was = new Map(before.results.map((r) => [r.id, r.status]));
  return after.results.flatMap((r) => {
    const from = was.get(r.id);
    return from === undefined || from === r.status ? [] : [{ id: r.id, from, to: r.status }];
  });
};

/** A newly failing control is a regression; a failing one that now passes (or no longer applies) a fix. */
export const isRegression = (t: ControlTransition): boolean => t.to === 'FAILED';
export const isFix = (t: ControlTransition): boolean => t.from === 'FAILED' && t.to !== 'FAILED';

/** One failing control over many stages, as the baseline summary lists it. */
export interface FailingControl {
  readonly id: string;
  readonly title: string;
  readonly severity: PostureControl['severity'];
  /** How many stages fail it. */
  readonly stageCount: number;
  /** The first `limit` of them (account/region/apiType/apiId/stageName order), with the API's name. */
  readonly stages: readonly {
    readonly key: StagePosture['key'];
    readonly apiName: string;
    readonly reason: string;
  }[];
}

export interface PostureSummary {
  readonly stagesScanned: number;
  /** Stages that fail at least one control. */
  readonly stagesFailing: number;
  /** Per control: how many stages pass, fail, or are not applicable. */
  readonly counts: readonly {
    readonly id: string;
    readonly passed: number;
    readonly failed: number;
    readonly notApplicable: number;
  }[];
  /** The controls at least one stage fails, in table order. */
  readonly failing: readonly FailingControl[];
}

const KEY_FIELDS = ['account', 'region', 'apiType', 'apiId', 'stageName'] as const;

/** Field by field (not the joined text: `-` sorts before `/`), UTF-16 code units as `sort`. */
const compareKeys = (a: StagePosture['key'], b: StagePosture['key']): number => {
  for (const field of KEY_FIELDS) {
    if (a[field] !== b[field]) return a[field] < b[field] ? -1 : 1;
  }
  return 0;
};

/** The posture of many stages, as the first scan of a scope reports it (failing stages: the first `limit`). */
export const summarizePosture = (
  postures: readonly StagePosture[],
  controls: readonly PostureControl[] = DEFAULT_CONTROLS,
  limit = 20,
): PostureSummary => {
  const sorted = [...postures].sort((a, b) => compareKeys(a.key, b.key));
  const resultOf = (posture: StagePosture, id: string) => posture.results.find((r) => r.id === id);
  const counts = controls.map(({ id }) => {
    const statuses = sorted.map((p) => resultOf(p, id)?.status);
    return {
      id,
      passed: statuses.filter((s) => s === 'PASSED').length,
      failed: statuses.filter((s) => s === 'FAILED').length,
      notApplicable: statuses.filter((s) => s === 'NOT_APPLICABLE').length,
    };
  });
  const failing = controls.flatMap((control): FailingControl[] => {
    const stages = sorted.flatMap((p) => {
      const result = resultOf(p, control.id);
      return result?.status === 'FAILED' ? [{ key: p.key, apiName: p.apiName, reason: result.reason }] : [];
    });
    if (stages.length === 0) return [];
    return [
      {
        id: control.id,
        title: control.title,
        severity: control.severity,
        stageCount: stages.length,
        stages: stages.slice(0, limit),
      },
    ];
  });
  return {
    stagesScanned: sorted.length,
    stagesFailing: sorted.filter((p) => controls.some(({ id }) => resultOf(p, id)?.status === 'FAILED'))
      .length,
    counts,
    failing,
  };
};
