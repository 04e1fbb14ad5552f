import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';

/**
 * The deployable stack. Placeholder until the StageDriftMonitor construct lands (issue 5):
 * it synthesizes offline so CI can prove the CDK toolchain works end to end.
 */
export class StageDriftStack extends Stack {
  constructor(scope: Construct, id: string, props?: StackProps) {
    super(scope, id, props);
    new CfnOutput(this, 'Status', { value: 'stage-drift monitor: infrastructure not defined yet' });
  }
}
