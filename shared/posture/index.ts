export { DEFAULT_CONTROLS } from './control-table';
export { PostureConfigError } from './errors';
export type { FailingControl, PostureSummary } from './evaluate';
export { controlTransitions, evaluatePosture, isFix, isRegression, summarizePosture } from './evaluate';
export type { PostureCheck, PostureRule } from './posture-rules';
export { compilePostureRule, compilePostureRules } from './posture-rules';
export type {
  ControlResult,
  ControlSeverity,
  ControlStatus,
  ControlTransition,
  PostureChange,
  PostureControl,
  StagePosture,
} from './types';
export { CONTROL_STATUSES } from './types';
