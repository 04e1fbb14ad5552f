import { App, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import {
  CONTEXT_KEYS,
  parseBoolean,
  parseStackName,
  READER_CONTEXT_KEYS,
  rejectUnknownContextKeys,
} from './app-context';
import { InputError } from '../shared/model';
import { StageDriftEventForwarder } from './stage-drift-event-forwarder';
import { StageDriftReaderRole } from './stage-drift-reader-role';

/**
 * The member-account side of a multi-account monitor: one stack with one StageDriftReaderRole.
 * `npx cdk synth -a 'npx tsx infra/reader-role-app.ts' -c monitorAccountId=<id> -c externalId=<id>
 * -c monitorRoleArns=<the monitor stack's ScanningRoleArns output>` gives the template to roll out
 * with a CloudFormation StackSet (docs/multi-account.md). With `-c monitorRegion=<the monitor's
 * region>` a second, region-agnostic stack, `StageDriftEventForwarder` (`forwarderStackName`),
 * holds the StageDriftEventForwarder: the reader role is global (one region per account), the
 * forwarder's rules are regional (a StackSet over every monitored region; docs/event-driven.md).
 */
const app = new App();
const context = (key: string): string | undefined => {
  const value: unknown = app.node.tryGetContext(key);
  if (value === undefined || value === null || value === '') return undefined;
  return typeof value === 'string' ? value : JSON.stringify(value);
};
const flag = (key: string): boolean | undefined => {
  const value = context(key);
  return value === undefined ? undefined : parseBoolean(key, value);
};
const list = (key: string): string[] | undefined =>
  context(key)
    ?.split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
try {
  // The monitor's keys may be in cdk.json too: this app passes over them.
  rejectUnknownContextKeys(app.node, {
    known: [...READER_CONTEXT_KEYS, ...CONTEXT_KEYS.map((k) => k.key)],
    listedIn: READER_CONTEXT_KEYS.join(', '),
  });
  const stackName = parseStackName('stackName', context('stackName') ?? 'StageDriftReader');
  const stack = new Stack(app, stackName, {
    description: 'stage-drift: read-only role for the drift monitor (API Gateway stages)',
  });
  new StageDriftReaderRole(stack, 'Reader', {
    monitorAccountId: context('monitorAccountId') ?? '',
    externalId: context('externalId') ?? '',
    roleName: context('readerRoleName'),
    monitorRoleArns: list('monitorRoleArns'),
    trustMonitorAccount: flag('trustMonitorAccount'),
    attribution: flag('attribution'),
  });
  const monitorRegion = context('monitorRegion');
  if (monitorRegion !== undefined) {
    const forwarderStack = new Stack(
      app,
      parseStackName('forwarderStackName', context('forwarderStackName') ?? 'StageDriftEventForwarder'),
      { description: "stage-drift: forwards API Gateway stage changes to the drift monitor's event bus" },
    );
    new StageDriftEventForwarder(forwarderStack, 'Forwarder', {
      monitorAccountId: context('monitorAccountId') ?? '',
      monitorRegion,
    });
  }
} catch (error) {
  if (error instanceof InputError) {
    console.error(
      `stage-drift reader role: invalid configuration. ${error.message}\n` +
        `(Set it with -c key=value: ${READER_CONTEXT_KEYS.join(', ')}.)`,
    );
    process.exit(1);
  }
  throw error;
}
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
app.synth();
