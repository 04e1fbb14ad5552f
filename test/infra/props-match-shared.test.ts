import type {
  IgnoreRules as SharedIgnoreRules,
  IgnoreTag as SharedIgnoreTag,
  SeverityOverride as SharedSeverityOverride,
  StageIgnoreRule as SharedStageIgnoreRule,
} from '../../shared/diff';
import type { IgnoredStage, IgnoreRules, IgnoreTag, SeverityOverride } from '../../infra';

/**
 * The construct's jsii structs (infra/monitor-structs.ts) restate the shapes of
 * shared/diff, because jsii cannot export types of shared/. This file does not compile (`npm run
 * build` and ts-jest fail) when the two drift apart in either direction: a prop the engine does
 * not read, or an engine field the construct cannot set.
 */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Writable<T> = { -readonly [K in keyof T]: T[K] extends readonly (infer U)[] ? U[] : T[K] };

const checks: [
  Same<keyof IgnoreRules, keyof SharedIgnoreRules>,
  Same<keyof IgnoredStage, keyof SharedStageIgnoreRule>,
  Same<Writable<IgnoreTag>, Writable<SharedIgnoreTag>>,
  Same<keyof SeverityOverride, keyof SharedSeverityOverride>,
] = [true, true, true, true];

describe('the construct props structs', () => {
  it('have the fields of the shared/diff shapes they stand for', () => {
    expect(checks).toEqual([true, true, true, true]);
  });

  it('assign to the shared shapes (values flow props → engine)', () => {
    // Prepare
    const props: IgnoreRules = { paths: ['tags.**'], stages: [{ stageName: 'dev-*' }], tag: { key: 'skip' } };

    // Act
    const shared: SharedIgnoreRules = props;

    // Assess
    expect(shared.stages?.[0]?.stageName).toBe('dev-*');
  });
});
