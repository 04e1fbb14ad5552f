import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { InputError } from '../shared/model';
import { readStageDriftSettings } from './app-context';
import { StageDriftStack } from './stage-drift-stack';

const app = new App();
try {
  const { stackName, monitor, ...imports } = readStageDriftSettings(app.node);
  new StageDriftStack(app, stackName, {
    description: 'stage-drift: drift monitor for Amazon API Gateway stages',
    monitor,
    ...imports,
  });
} catch (error) {
  // A bad setting is the user's to fix: say which one and how, without a stack trace.
  if (error instanceof InputError) {
    console.error(
      `stage-drift: invalid configuration. ${error.message}\n` +
        '(Settings come from -c key=value or the "context" of cdk.json; see docs/deploy.md.)',
    );
    process.exit(1);
  }
  throw error;
}
// cdk-nag runs on every synth: an unacknowledged AwsSolutions finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
