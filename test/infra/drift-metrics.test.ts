import { readStageDriftSettings } from '../../infra/app-context';
import { ConfigError, ENV, loadConfigFromEnv } from '../../shared/config';
import { loadPublishConfigFromEnv, PUBLISH_ENV } from '../../shared/notify';
import { flat } from './support/policies';
import { constructError, synthMonitor, testApp } from './support/synth';

// `driftMetrics`: off by default and then nowhere in the template (the functions send the failure
// metrics only); on, the scanning functions and the publish function get the variable.

const variablesOf = (template: ReturnType<typeof synthMonitor>['template']) =>
  Object.fromEntries(
    Object.entries(template.findResources('AWS::Lambda::Function')).map(([id, f]) => [
      id.replace(/Function[0-9A-F]{8}$/, ''),
      (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables ??
        {},
    ]),
  );

describe('driftMetrics', () => {
  it('adds nothing to the template when off (the default)', () => {
    const { template } = synthMonitor({ regions: ['eu-west-1'] });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/STAGE_DRIFT_DRIFT_METRICS/);
    const off = synthMonitor({ regions: ['eu-west-1'], driftMetrics: false }).template;
    expect(off.toJSON()).toEqual(template.toJSON());
  });

  it('tells the snapshot, rescan and publish functions when on', () => {
    const { template } = synthMonitor({ regions: ['eu-west-1'], driftMetrics: true });
    const enabled = Object.entries(variablesOf(template))
      .filter(([, v]) => ENV.driftMetrics in v)
      .map(([id, v]) => [id, flat(v[ENV.driftMetrics])]);
    expect(enabled.sort()).toEqual([
      ['MonitorPublish', 'true'],
      ['MonitorRescan', 'true'],
      ['MonitorSnapshot', 'true'],
    ]);
  });

  it('is read from -c driftMetrics=true, and a bad prop names itself', () => {
    expect(readStageDriftSettings(testApp({ driftMetrics: 'true' }).node).monitor.driftMetrics).toBe(true);
    expect(() => readStageDriftSettings(testApp({ driftMetrics: 'yes' }).node)).toThrow(
      /driftMetrics \(context\): expected true or false/,
    );
    const error = constructError({ driftMetrics: 'yes' as unknown as boolean });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^driftMetrics: expected true or false/);
  });

  it('is read from STAGE_DRIFT_DRIFT_METRICS, absent (false) when unset', () => {
    const base = { [ENV.table]: 'StageDrift', AWS_REGION: 'eu-west-1' };
    expect(loadConfigFromEnv(base)).not.toHaveProperty('driftMetrics');
    expect(loadConfigFromEnv({ ...base, [ENV.driftMetrics]: 'true' }).driftMetrics).toBe(true);
    expect(() => loadConfigFromEnv({ ...base, [ENV.driftMetrics]: 'on' })).toThrow(
      /STAGE_DRIFT_DRIFT_METRICS: expected true or false, got "on"/,
    );
    const publish = {
      [PUBLISH_ENV.table]: 'StageDrift',
      [PUBLISH_ENV.topicArn]: 'arn:aws:sns:eu-west-1:111122223333:stage-drift',
    };
    expect(loadPublishConfigFromEnv(publish)).not.toHaveProperty('driftMetrics');
    expect(loadPublishConfigFromEnv({ ...publish, [PUBLISH_ENV.driftMetrics]: 'true' }).driftMetrics).toBe(
      true,
    );
  });
});
