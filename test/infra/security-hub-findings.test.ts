import { AwsSolutionsChecks } from 'cdk-nag';
import { readStageDriftSettings } from '../../infra/app-context';
import { ConfigError, ENV, loadConfigFromEnv } from '../../shared/config';
import { flat, logicalId, roleStatements } from './support/policies';
import { constructError, synthMonitor, testApp } from './support/synth';

// `securityHubFindings`: off by default and then nowhere in the template; on, the scanning
// functions get the variable and securityhub:BatchImportFindings on the default product only.

const roles = ['MonitorSnapshotFunctionRole', 'MonitorRescanFunctionRole'];
const securityHubLines = (lines: string[]) => lines.filter((l) => l.includes('securityhub'));

const environmentOf = (template: ReturnType<typeof synthMonitor>['template']) =>
  Object.values(template.findResources('AWS::Lambda::Function')).map(
    (f) =>
      (f.Properties as { Environment?: { Variables?: Record<string, unknown> } }).Environment?.Variables ??
      {},
  );

describe('securityHubFindings', () => {
  it('adds nothing to the template when off (the default)', () => {
    const { template } = synthMonitor({ regions: ['eu-west-1'] });
    expect(JSON.stringify(template.toJSON())).not.toMatch(/securityhub|STAGE_DRIFT_SECURITY_HUB/i);
    const off = synthMonitor({ regions: ['eu-west-1'], securityHubFindings: false }).template;
    expect(off.toJSON()).toEqual(template.toJSON());
  });

  it('grants the scanning functions exactly securityhub:BatchImportFindings on the default product of each region', () => {
    const { template } = synthMonitor(
      { regions: ['eu-west-1', 'us-east-1'], securityHubFindings: true },
      { env: { account: '111122223333', region: 'eu-west-1' } },
    );
    for (const prefix of roles) {
      const lines = securityHubLines(roleStatements(template, logicalId(template, 'AWS::IAM::Role', prefix)));
      expect(lines).toEqual([
        'Allow securityhub:BatchImportFindings on ' +
          'arn:<AWS::Partition>:securityhub:eu-west-1:111122223333:product/111122223333/default ' +
          'arn:<AWS::Partition>:securityhub:us-east-1:111122223333:product/111122223333/default',
      ]);
    }
    // No other function may import findings.
    for (const [id] of Object.entries(template.findResources('AWS::IAM::Role'))) {
      if (roles.some((prefix) => id.startsWith(prefix))) continue;
      expect(securityHubLines(roleStatements(template, id))).toEqual([]);
    }
    const variables = environmentOf(template).filter((v) => ENV.securityHubFindings in v);
    expect(variables.map((v) => flat(v[ENV.securityHubFindings]))).toEqual(['true', 'true']);
  });

  it('stays clean under cdk-nag when on', () => {
    const { stack } = synthMonitor({ regions: ['eu-west-1'], securityHubFindings: true });
    const report = new AwsSolutionsChecks().validateScope(stack);
    expect(report.violations.map((v) => v.ruleName)).toEqual([]);
  });

  it('is read from -c securityHubFindings=true, and a bad prop names itself', () => {
    expect(
      readStageDriftSettings(testApp({ securityHubFindings: 'true' }).node).monitor.securityHubFindings,
    ).toBe(true);
    expect(() => readStageDriftSettings(testApp({ securityHubFindings: 'yes' }).node)).toThrow(
      /securityHubFindings \(context\): expected true or false/,
    );
    const error = constructError({ securityHubFindings: 'yes' as unknown as boolean });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^securityHubFindings: expected true or false/);
  });

  it('is read by the scanning functions from STAGE_DRIFT_SECURITY_HUB, absent (false) when unset', () => {
    const base = { [ENV.table]: 'StageDrift', AWS_REGION: 'eu-west-1' };
    expect(loadConfigFromEnv(base)).not.toHaveProperty('securityHubFindings');
    expect(loadConfigFromEnv({ ...base, [ENV.securityHubFindings]: 'true' }).securityHubFindings).toBe(true);
    expect(() => loadConfigFromEnv({ ...base, [ENV.securityHubFindings]: 'on' })).toThrow(
      /STAGE_DRIFT_SECURITY_HUB: expected true or false, got "on"/,
    );
  });
});
