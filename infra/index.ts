/**
 * The construct library's entry (the package's `main`, and the jsii assembly's: infra/package/jsii.ts).
 * Its exports are the public API and nothing else, all jsii-compatible: the two constructs, their
 * props, the alarms struct and the enums and structs the props use. Constants and helpers stay in
 * their own modules for internal use; the runtime (shared/, lambdas/, cli/) is not part of it.
 */
export { StageDriftMonitor } from './stage-drift-monitor';
export type { StageDriftAlarms, StageDriftMonitorProps } from './stage-drift-monitor-props';
export type {
  IgnoredStage,
  IgnoreRules,
  IgnoreTag,
  PostureCheck,
  PostureRule,
  SeverityOverride,
} from './monitor-structs';
export { ChangeKind, OutOfBandMode, Severity } from './monitor-structs';
export { StageDriftReaderRole } from './stage-drift-reader-role';
export type { StageDriftReaderRoleProps } from './stage-drift-reader-role';
export { StageDriftEventForwarder } from './stage-drift-event-forwarder';
export type { StageDriftEventForwarderProps } from './stage-drift-event-forwarder';
