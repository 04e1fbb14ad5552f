import type { StackProps } from 'aws-cdk-lib';
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { StageDriftMonitorProps } from '../../../infra/stage-drift-monitor-props';
import { StageDriftMonitor } from '../../../infra/stage-drift-monitor';

/** An app that neither bundles (no esbuild run) nor runs the built-in CloudFormation validation. */
export const testApp = (context: Record<string, unknown> = {}): App =>
  new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });

export interface MonitorUnderTest {
  readonly stack: Stack;
  readonly monitor: StageDriftMonitor;
  readonly template: Template;
}

/** One stack with one monitor; `props` may build on the stack (imports). */
export const synthMonitor = (
  props: StageDriftMonitorProps | ((stack: Stack) => StageDriftMonitorProps) = {},
  stackProps: StackProps = {},
): MonitorUnderTest => {
  const stack = new Stack(testApp(), 'Test', stackProps);
  const monitor = new StageDriftMonitor(stack, 'Monitor', typeof props === 'function' ? props(stack) : props);
  return { stack, monitor, template: Template.fromStack(stack) };
};

/** Builds the monitor in a fresh stack and returns what it throws (or fails the test). */
export const constructError = (props: StageDriftMonitorProps, stackProps: StackProps = {}): Error => {
  const stack = new Stack(testApp(), 'Test', stackProps);
  try {
    new StageDriftMonitor(stack, 'Monitor', props);
  } catch (error) {
    return error as Error;
  }
  throw new Error('expected the construct to throw');
};
