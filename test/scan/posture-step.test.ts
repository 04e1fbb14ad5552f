import { diffStages } from '../../shared/diff';
import type { StageDrift, StageSnapshot } from '../../shared/model';
import { controlTransitions, evaluatePosture } from '../../shared/posture';
import type { AnnotatedChange, DiffedChange } from '../../shared/scan/attribute-drifts';
import { applyPostureStep, applyTransitions } from '../../shared/scan/posture-step';
import type { Draft } from '../posture/real-stages';
import { restStage } from '../posture/real-stages';

// The severity rules of control transitions, on real stages (seed 000's compliant `prod`) diffed
// by the real diff: a newly failing control is at least HIGH, a fix with nothing worse is INFO.

const DIFF = { fingerprintKey: 'posture-step-test' };

const loggingOff = (stage: Draft) => {
  stage.methodSettings['*/*'].loggingLevel = 'OFF';
};

/** The drift from `before` to `after` with its transitions applied, and the transitions. */
const stepped = (before: StageSnapshot, after: StageSnapshot) => {
  const drift = diffStages(before, after, DIFF)!;
  const [pb, pa] = [evaluatePosture(before), evaluatePosture(after)];
  const transitions = controlTransitions(pb, pa);
  return { drift, transitions, result: applyTransitions(drift, transitions, pb, pa) };
};

const changeOf = (drift: StageDrift, last: string) => drift.changes.find((c) => c.path.at(-1) === last)!;

describe('control transitions in the severity of a drift', () => {
  it('makes a newly failing control at least HIGH and names it on the change that decides it', () => {
    const { drift, transitions, result } = stepped(restStage(), restStage(loggingOff));
    expect(transitions).toEqual([{ id: 'APIGateway.1', from: 'PASSED', to: 'FAILED' }]);
    expect(result.severity).toBe('HIGH');
    expect(changeOf(result, 'loggingLevel')).toMatchObject({ control: 'APIGateway.1', severity: 'HIGH' });
    expect(drift.changes).toHaveLength(result.changes.length);
  });

  it('raises a regression whose rule is below HIGH: tracing off (MEDIUM by its rule) is HIGH', () => {
    const { drift, result } = stepped(
      restStage(),
      restStage((s) => (s.tracingEnabled = false)),
    );
    expect(drift.severity).toBe('MEDIUM');
    expect(result.severity).toBe('HIGH');
    expect(changeOf(result, 'tracingEnabled').control).toBe('APIGateway.3');
  });

  it('makes a fix with nothing worse INFO', () => {
    const { drift, transitions, result } = stepped(restStage(loggingOff), restStage());
    expect(transitions).toEqual([{ id: 'APIGateway.1', from: 'FAILED', to: 'PASSED' }]);
    expect(drift.severity).not.toBe('INFO');
    expect(result.severity).toBe('INFO');
    expect(changeOf(result, 'loggingLevel')).toMatchObject({ control: 'APIGateway.1', severity: 'INFO' });
  });

  it('keeps the severity of a worse change made with a fix', () => {
    const { result } = stepped(
      restStage(loggingOff),
      restStage((s) => {
        s.variables = { ...s.variables, version: 'v-next' };
      }),
    );
    expect(result.severity).toBe('MEDIUM'); // the stage variable's rule, not the fix's INFO
    expect(changeOf(result, 'loggingLevel').severity).toBe('INFO');
  });

  it('is at least HIGH when one control is fixed and another fails in the same change', () => {
    const { transitions, result } = stepped(
      restStage(loggingOff),
      restStage((s) => (s.tracingEnabled = false)),
    );
    expect(transitions.map((t) => `${t.id} ${t.from}->${t.to}`)).toEqual([
      'APIGateway.1 FAILED->PASSED',
      'APIGateway.3 PASSED->FAILED',
    ]);
    expect(result.severity).toBe('HIGH');
  });

  it('leaves a drift that moved no control as it is', () => {
    const { transitions, drift, result } = stepped(
      restStage(),
      restStage((s) => (s.description = 'v2')),
    );
    expect(transitions).toEqual([]);
    expect(result).toBe(drift);
  });

  it('lowers the defaults AWS adds with a new */* entry that turns logging on', () => {
    const before = restStage((s) => (s.methodSettings = {}));
    const { result } = stepped(
      before,
      restStage((s) => (s.methodSettings = { '*/*': { loggingLevel: 'INFO', throttlingBurstLimit: 5000 } })),
    );
    expect(result.severity).toBe('INFO');
    expect(changeOf(result, 'throttlingBurstLimit').severity).toBe('INFO');
  });
});

describe('applyPostureStep', () => {
  const before = restStage(loggingOff);
  const after = restStage();
  const drift = diffStages(before, after, DIFF)!;
  const change = { key: after.key, next: after };

  it('puts the transitions on the event and each moved stage on the posture changes', () => {
    const diffed: DiffedChange[] = [{ change, drift, before }];
    const annotated: AnnotatedChange[] = [{ change, drift }];
    const { changes, postureChanges } = applyPostureStep(diffed, annotated);
    expect(changes[0]!.annotations?.controls).toEqual([{ id: 'APIGateway.1', from: 'FAILED', to: 'PASSED' }]);
    expect(changes[0]!.drift?.severity).toBe('INFO');
    expect(postureChanges).toHaveLength(1);
    expect(postureChanges[0]!.before?.results.find((r) => r.id === 'APIGateway.1')?.status).toBe('FAILED');
    expect(postureChanges[0]!.after?.results.find((r) => r.id === 'APIGateway.1')?.status).toBe('PASSED');
  });

  it('keeps out-of-band downgrade at INFO and the posture-aware severity as the original', () => {
    const regression = diffStages(after, before, DIFF)!;
    const back = { key: before.key, next: before };
    const { changes } = applyPostureStep(
      [{ change: back, drift: regression, before: after }],
      [
        {
          change: back,
          drift: { ...regression, severity: 'INFO' },
          annotations: { originalSeverity: regression.severity },
        },
      ],
    );
    expect(changes[0]!.drift?.severity).toBe('INFO');
    expect(changes[0]!.annotations).toMatchObject({
      originalSeverity: 'HIGH',
      controls: [{ id: 'APIGateway.1', from: 'PASSED', to: 'FAILED' }],
    });
  });

  it('gives a created stage its posture after and a deleted one its posture before, with no transitions', () => {
    const created = { key: after.key, next: after };
    const deleted = { key: before.key };
    const { changes, postureChanges } = applyPostureStep(
      [{ change: created }, { change: deleted, before }],
      [{ change: created }, { change: deleted }],
    );
    expect(changes.every((c) => c.annotations === undefined)).toBe(true);
    expect(postureChanges.map((p) => [p.before !== undefined, p.after !== undefined])).toEqual([
      [false, true],
      [true, false],
    ]);
  });
});
