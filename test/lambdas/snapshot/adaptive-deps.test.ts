import { App, Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { loadConfigFromEnv } from '../../../shared/config';
import { eventsRoutedFor } from '../../../lambdas/snapshot/adaptive-deps';
import { StageDriftMonitor } from '../../../infra/stage-drift-monitor';

// Which scopes may leave the detecting to events (adaptive full scans): the monitor's own account
// in its own region always; member accounts and other regions only when the operator says the
// StageDriftEventForwarder is deployed there (`eventForwarders`).

const OWN = '111122223333';
const MEMBER = '444455556666';

describe('eventsRoutedFor', () => {
  it.each([
    ['own account, own region', OWN, 'eu-west-1', false, true],
    ['own account, another region', OWN, 'us-east-1', false, false],
    ['a member account', MEMBER, 'eu-west-1', false, false],
    ['a member account, forwarders deployed', MEMBER, 'eu-west-1', true, true],
    ['own account, another region, forwarders deployed', OWN, 'us-east-1', true, true],
  ])('%s → routed %s', (_name, account, region, eventForwarders, routed) => {
    const route = eventsRoutedFor({ ownAccount: OWN, monitorRegion: 'eu-west-1', eventForwarders });
    expect(route({ account, region })).toBe(routed);
  });
});

describe('the eventForwarders setting', () => {
  const snapshotEnv = (props: Record<string, unknown>): Record<string, unknown> => {
    const stack = new Stack(new App({ context: { 'aws:cdk:bundling-stacks': [] } }), 'Test', {
      env: { account: OWN, region: 'eu-west-1' },
    });
    new StageDriftMonitor(stack, 'Monitor', { fullScanInterval: Duration.hours(12), ...props });
    const functions = Template.fromStack(stack).findResources('AWS::Lambda::Function') as Record<
      string,
      { Properties: { Description?: string; Environment?: { Variables?: Record<string, unknown> } } }
    >;
    const snapshot = Object.values(functions).find((f) =>
      /scans API Gateway/.test(f.Properties.Description ?? ''),
    );
    return snapshot!.Properties.Environment!.Variables!;
  };

  it('reaches the snapshot function only when on, and its env config reads it', () => {
    // Act
    const on = snapshotEnv({ eventForwarders: true });
    const off = snapshotEnv({});

    // Assert
    expect(on.STAGE_DRIFT_EVENT_FORWARDERS).toBe('true');
    expect(off.STAGE_DRIFT_EVENT_FORWARDERS).toBeUndefined();
    const env = {
      STAGE_DRIFT_TABLE: 'drift-table',
      AWS_REGION: 'eu-west-1',
      STAGE_DRIFT_EVENT_FORWARDERS: 'true',
    };
    expect(loadConfigFromEnv(env).eventForwarders).toBe(true);
    expect(
      loadConfigFromEnv({ STAGE_DRIFT_TABLE: 'drift-table', AWS_REGION: 'eu-west-1' }).eventForwarders,
    ).toBeUndefined();
  });

  it('refuses a value that is not a boolean, naming the prop', () => {
    expect(() => snapshotEnv({ eventForwarders: 'yes' })).toThrow(/eventForwarders.*expected true or false/);
  });
});
