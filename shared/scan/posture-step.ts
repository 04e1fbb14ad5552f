import type { Change, Severity, StageDrift, StageSnapshot } from '../model';
import { maxSeverity, severityRank } from '../model';
import type { ControlTransition, PostureChange, PostureControl, StagePosture } from '../posture';
import { DEFAULT_CONTROLS, controlTransitions, evaluatePosture, isFix, isRegression } from '../posture';
import type { DriftAnnotations } from '../store';
import type { AnnotatedChange, DiffedChange } from './attribute-drifts';

// The posture step of a scan, after the diff (which knows nothing of posture) and attribution:
// each moved stage's controls before and after, and the drift events told which controls moved.

/** A newly failing control makes the event at least this severe. */
export const REGRESSION_SEVERITY: Severity = 'HIGH';

const startsWith = (path: readonly string[], prefix: readonly string[]): boolean =>
  prefix.length <= path.length && prefix.every((segment, i) => path[i] === segment);

/** A change decides a control when its path and one of the control's fields contain one another. */
const decides = (change: Change, fields: readonly (readonly string[])[]): boolean =>
  fields.some((field) => startsWith(change.path, field) || startsWith(field, change.path));

const fieldsOf = (posture: StagePosture | undefined, id: string): readonly (readonly string[])[] =>
  posture?.results.find((r) => r.id === id)?.fields ?? [];

const parentOf = (path: readonly string[]): string => JSON.stringify(path.slice(0, -1));

/**
 * Pure: the drift with the control transitions taken into account. A change that decides a
 * transition names its control; a change that decides a regression is at least HIGH, one that
 * decides a fix is INFO, and so are the fields added with it to the same new settings entry (AWS
 * fills in its defaults when `UpdateStage` creates a `*\/*` entry to turn logging on). The event
 * is at least HIGH with a regression; otherwise it takes the severity of its worst change (and of
 * its stage-level rule, when that was higher than them all), so a fix with nothing worse is INFO.
 * Unchanged when nothing moved.
 */
export const applyTransitions = (
  drift: StageDrift,
  transitions: readonly ControlTransition[],
  before: StagePosture | undefined,
  after: StagePosture | undefined,
): StageDrift => {
  if (transitions.length === 0) return drift;
  const worstChange = maxSeverity(drift.changes.map((c) => c.severity));
  const stageLevel = severityRank(drift.severity) > severityRank(worstChange) ? drift.severity : 'INFO';
  const decidedBy = drift.changes.map((change) => {
    const decided = transitions.filter((t) =>
      decides(change, [...fieldsOf(before, t.id), ...fieldsOf(after, t.id)]),
    );
    return decided.find(isRegression) ?? decided.find(isFix) ?? decided[0];
  });
  // New settings entries a fix was added in: the other fields added with them came along.
  const fixedEntries = new Set(
    drift.changes.flatMap((change, i) => {
      const t = decidedBy[i];
      return t && isFix(t) && change.kind === 'added' ? [parentOf(change.path)] : [];
    }),
  );
  const changes = drift.changes.map((change, i): Change => {
    const transition = decidedBy[i];
    if (!transition) {
      const cameWithFix = change.kind === 'added' && fixedEntries.has(parentOf(change.path));
      return cameWithFix ? { ...change, severity: 'INFO' } : change;
    }
    const severity = isRegression(transition)
      ? maxSeverity([change.severity], REGRESSION_SEVERITY)
      : isFix(transition)
        ? 'INFO'
        : change.severity;
    return { ...change, severity, control: transition.id };
  });
  const floor = transitions.some(isRegression) ? REGRESSION_SEVERITY : 'INFO';
  return { ...drift, changes, severity: maxSeverity([stageLevel, ...changes.map((c) => c.severity)], floor) };
};

/** The posture of a snapshot, or undefined for none. */
const postureOf = (
  snapshot: StageSnapshot | undefined,
  controls: readonly PostureControl[],
): StagePosture | undefined => snapshot && evaluatePosture(snapshot, controls);

export interface PostureStepResult {
  readonly changes: readonly AnnotatedChange[];
  /** Every stage moved, with its posture before and after (`before` absent when created, `after` when deleted). */
  readonly postureChanges: readonly PostureChange[];
}

/**
 * The posture step over a scope's changes: `diffed` (the stored snapshot each was diffed
 * against) and `annotated` (after attribution), in the same order. A drift that moved a control
 * gets `controls` and its severity per {@link applyTransitions}; out-of-band `downgrade` keeps the
 * event at INFO and the posture-aware severity as `originalSeverity`.
 */
export const applyPostureStep = (
  diffed: readonly DiffedChange[],
  annotated: readonly AnnotatedChange[],
  controls: readonly PostureControl[] = DEFAULT_CONTROLS,
): PostureStepResult => {
  const postureChanges: PostureChange[] = [];
  const changes = annotated.map((item, i): AnnotatedChange => {
    const before = postureOf(diffed[i]?.before, controls);
    const after = postureOf(item.change.next, controls);
    const apiName =
      item.change.next?.apiName ?? diffed[i]?.before?.apiName ?? item.change.previous?.apiName ?? '';
    postureChanges.push({
      key: item.change.key,
      apiName,
      ...(before ? { before } : {}),
      ...(after ? { after } : {}),
    });
    const { drift } = item;
    const transitions = controlTransitions(before, after);
    if (!drift || transitions.length === 0) return item;
    const adjusted = applyTransitions(drift, transitions, before, after);
    const downgraded = item.annotations?.originalSeverity !== undefined;
    const annotations: DriftAnnotations = {
      ...item.annotations,
      ...(downgraded ? { originalSeverity: adjusted.severity } : {}),
      controls: transitions.map(({ id, from, to }) => ({ id, from, to })),
    };
    return {
      change: item.change,
      drift: downgraded ? { ...adjusted, severity: drift.severity } : adjusted,
      annotations,
    };
  });
  return { changes, postureChanges };
};

/** The posture change of a stage a baseline stores (no event): its posture after. */
export const baselinedPosture = (
  next: StageSnapshot,
  controls: readonly PostureControl[] = DEFAULT_CONTROLS,
): PostureChange => ({ key: next.key, apiName: next.apiName, after: evaluatePosture(next, controls) });
