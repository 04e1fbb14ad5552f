import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { UsageError } from '../../cli/errors';
import { readPostureRules, readPostureRulesOption } from '../../cli/commands/posture-rules-option';
import { readStageDriftSettings } from '../../infra/app-context';
import type { PostureRule } from '../../infra/monitor-structs';
import { Severity } from '../../infra/monitor-structs';
import {
  ConfigError,
  encodeEnvironment,
  ENV,
  loadConfigFromEnv,
  resolveConfig,
  SETTINGS,
} from '../../shared/config';
import { DEFAULT_CONTROLS } from '../../shared/posture';
import { scanSettingsFrom } from '../../shared/scan';
import { constructError, synthMonitor, testApp } from '../infra/support/synth';

const TRACED = [
  { id: 'prod-traced', title: 'prod is traced', expect: [{ paths: ['tracingEnabled'], equals: true }] },
];
const BAD = [
  { id: 'r', title: 't', expect: [{ paths: ['tracingEnabled'], equals: true }, { present: true }] },
];

describe('the postureRules setting', () => {
  it('is a JSON setting with a context key, a prop and a variable the scanners read, unset when empty', () => {
    expect(SETTINGS.postureRules).toMatchObject({
      type: 'json',
      context: { prop: 'postureRules' },
      env: { name: 'STAGE_DRIFT_POSTURE_RULES', readBy: ['snapshot', 'rescan'] },
    });
    expect(ENV.postureRules).toBe('STAGE_DRIFT_POSTURE_RULES');
    expect(encodeEnvironment({ postureRules: [] })).toEqual({});
    expect(encodeEnvironment({ postureRules: TRACED })).toEqual({
      STAGE_DRIFT_POSTURE_RULES: JSON.stringify(TRACED),
    });
  });

  it('defaults to none: the scan settings hold the Security Hub controls only', () => {
    const config = resolveConfig({ regions: ['eu-west-1'] });
    expect(config.postureRules).toEqual([]);
    expect(scanSettingsFrom(config, 'k').postureControls).toEqual(DEFAULT_CONTROLS);
  });

  it('puts the compiled rules after the Security Hub controls in the scan settings', () => {
    const { postureControls } = scanSettingsFrom(
      resolveConfig({ regions: ['eu-west-1'], postureRules: TRACED }),
      'k',
    );
    expect(postureControls.map((c) => c.id)).toEqual([...DEFAULT_CONTROLS.map((c) => c.id), 'prod-traced']);
  });

  it('fails at Lambda init with the variable and the field of a bad rule', () => {
    const env = { STAGE_DRIFT_TABLE: 'StageDrift', AWS_REGION: 'eu-west-1' };
    expect(
      loadConfigFromEnv({ ...env, STAGE_DRIFT_POSTURE_RULES: JSON.stringify(TRACED) }).postureRules,
    ).toEqual(TRACED);
    const bad = () => loadConfigFromEnv({ ...env, STAGE_DRIFT_POSTURE_RULES: JSON.stringify(BAD) });
    expect(bad).toThrow(ConfigError);
    expect(bad).toThrow(
      /^STAGE_DRIFT_POSTURE_RULES\[0\]\.expect\[1\]\.paths: must be a non-empty list of dot patterns/,
    );
    expect(() => loadConfigFromEnv({ ...env, STAGE_DRIFT_POSTURE_RULES: '[{' })).toThrow(
      /^STAGE_DRIFT_POSTURE_RULES: .*or unset it/,
    );
  });
});

describe('the postureRules prop and context key', () => {
  it('fails the synth naming the field of a bad rule', () => {
    const error = constructError({ postureRules: BAD as unknown as PostureRule[] });
    expect(error).toBeInstanceOf(ConfigError);
    expect(error.message).toMatch(/^postureRules\[0\]\.expect\[1\]\.paths: must be a non-empty list/);
    expect(
      constructError({ postureRules: [{ id: 'StageDrift.x', title: 't', expect: [] }] }).message,
    ).toMatch(/^postureRules\[0\]\.id: /);
  });

  it('takes the jsii struct (equalsBoolean, the Severity enum) and passes the JSON form to the scanners', () => {
    const rule: PostureRule = {
      id: 'prod-traced',
      title: 'prod is traced',
      severity: Severity.HIGH,
      stages: { stageName: 'prod*' },
      apiTypes: ['REST'],
      expect: [{ paths: ['tracingEnabled'], equalsBoolean: true }],
    };
    const { template } = synthMonitor({ postureRules: [rule] });
    const variables = Object.values(template.findResources('AWS::Lambda::Function')).map(
      (fn) =>
        (fn as { Properties: { Environment?: { Variables?: Record<string, unknown> } } }).Properties
          .Environment?.Variables ?? {},
    );
    const given = variables.map((v) => v.STAGE_DRIFT_POSTURE_RULES).filter((v) => v !== undefined);
    expect(given.length).toBeGreaterThanOrEqual(1);
    expect(JSON.parse(given[0] as string)).toEqual([
      { ...rule, expect: [{ paths: ['tracingEnabled'], equals: true }] },
    ]);
  });

  it('refuses two equals of different types in one check', () => {
    const rule: PostureRule = {
      id: 'r',
      title: 't',
      expect: [{ paths: ['x'], equalsString: 'a', equalsNumber: 1 }],
    };
    expect(constructError({ postureRules: [rule] }).message).toMatch(
      /^postureRules\[0\]\.expect\[0\]: set one of equalsString, equalsNumber and equalsBoolean/,
    );
  });

  it('leaves the template without the variable when no rules are given', () => {
    const { template } = synthMonitor({});
    expect(JSON.stringify(template.toJSON())).not.toContain('STAGE_DRIFT_POSTURE_RULES');
  });

  it('reads -c postureRules as JSON (and cdk.json as the value itself)', () => {
    const fromCli = readStageDriftSettings(testApp({ postureRules: JSON.stringify(TRACED) }).node);
    expect(fromCli.monitor.postureRules).toEqual(TRACED);
    const fromJson = readStageDriftSettings(testApp({ postureRules: TRACED }).node);
    expect(fromJson.monitor.postureRules).toEqual(TRACED);
    expect(() => readStageDriftSettings(testApp({ postureRules: '[{' }).node)).toThrow(
      /^postureRules \(context\): /,
    );
  });
});

describe('--posture-rules <file>', () => {
  let dir = '';
  beforeAll(() => (dir = mkdtempSync(path.join(tmpdir(), 'posture-rules-'))));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  const file = (name: string, text: string): string => {
    const p = path.join(dir, name);
    writeFileSync(p, text);
    return p;
  };
  const usageError = (run: () => unknown): UsageError => {
    try {
      run();
    } catch (error) {
      expect(error).toBeInstanceOf(UsageError);
      return error as UsageError;
    }
    throw new Error('expected a UsageError');
  };

  it('gives the Security Hub controls, then the file rules; the controls alone without the option', () => {
    expect(readPostureRulesOption(undefined)).toEqual(DEFAULT_CONTROLS);
    const rules = file('rules.json', JSON.stringify(TRACED));
    expect(readPostureRules(rules)).toEqual(TRACED);
    expect(readPostureRulesOption(rules).map((c) => c.id)).toEqual([
      ...DEFAULT_CONTROLS.map((c) => c.id),
      'prod-traced',
    ]);
  });

  it('fails in one line naming the file, and the field of a bad rule', () => {
    const bad = file('bad.json', JSON.stringify(BAD));
    const error = usageError(() => readPostureRulesOption(bad));
    expect(error.message).toBe(
      `${bad}: postureRules[0].expect[1].paths: must be a non-empty list of dot patterns, e.g. ["variables.*"]`,
    );
    expect(usageError(() => readPostureRulesOption(path.join(dir, 'none.json'))).message).toBe(
      `${path.join(dir, 'none.json')}: no such file (--posture-rules)`,
    );
    const broken = file('broken.json', '[{"id": "x",');
    expect(usageError(() => readPostureRulesOption(broken)).message).toMatch(
      new RegExp(`^${broken.replace(/[.\\]/g, '\\$&')}: .*\\(--posture-rules\\)$`),
    );
    expect(usageError(() => readPostureRulesOption(dir)).message).toBe(
      `${dir}: is a directory, not a file (--posture-rules)`,
    );
    for (const e of [error]) expect(e.message).not.toContain('\n');
  });
});
