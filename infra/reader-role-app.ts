import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StageDriftReaderRole } from './stage-drift-reader-role';

/**
 * The member-account side of a multi-account monitor: one stack with one StageDriftReaderRole.
 * `npx cdk synth -a 'npx tsx infra/reader-role-app.ts' -c monitorAccountId=<id> -c externalId=<id>`
 * gives the template to roll out with a CloudFormation StackSet (docs/multi-account.md).
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
};
try {
  const stack = new Stack(app, context('stackName') ?? 'StageDriftReader', {
    description: 'stage-drift: read-only role for the drift monitor (API Gateway stages)',
  });
  new StageDriftReaderRole(stack, 'Reader', {
    monitorAccountId: context('monitorAccountId') ?? '',
    externalId: context('externalId') ?? '',
    roleName: context('readerRoleName'),
    monitorRoleArn: context('monitorRoleArn'),
    attribution: context('attribution') === 'true',
  });
} catch (error) {
  if (error instanceof Error && error.name === 'ConfigError') {
    console.error(
      `stage-drift reader role: invalid configuration. ${error.message}\n` +
        '(Set it with -c key=value: monitorAccountId, externalId, readerRoleName, monitorRoleArn, attribution.)',
    );
    process.exit(1);
  }
  throw error;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
