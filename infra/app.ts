import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { StageDriftStack } from './stage-drift-stack';

const app = new App();
new StageDriftStack(app, 'StageDrift', {
  description: 'stage-drift: drift monitor for Amazon API Gateway stages',
});
// cdk-nag runs on every synth: an unacknowledged AwsSolutions finding fails `cdk synth`.
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
