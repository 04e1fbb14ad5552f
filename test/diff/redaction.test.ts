import { createHash } from 'node:crypto';
import type { RedactedValue } from '../../shared/model';
import { diffConfigs, diffStages, fingerprintValue } from '../../shared/diff';
import {
  edit,
  HTTP_PROD,
  json,
  OPTIONS,
  REST_PROD,
  REST_PROD_WITH_CANARY,
  restSnapshot,
  v2Snapshot,
} from './fixtures';

const fingerprint = (value: string): RedactedValue => ({
  redacted: true,
  fingerprint: fingerprintValue(value, OPTIONS.fingerprintKey),
});

describe('fingerprintValue', () => {
  it('is an HMAC-SHA256 prefix, labelled as such', () => {
    expect(fingerprintValue('s3cr3t-hunter2', 'key')).toMatch(/^hmac-sha256:[0-9a-f]{16}$/);
  });

  it('gives equal values equal fingerprints under one key', () => {
    expect(fingerprintValue('pets-prod', 'k1')).toBe(fingerprintValue('pets-prod', 'k1'));
    expect(fingerprintValue('pets-prod', 'k1')).not.toBe(fingerprintValue('pets-prod-v2', 'k1'));
  });

  it('depends on the key, so a dictionary of short values cannot be precomputed', () => {
    expect(fingerprintValue('true', 'k1')).not.toBe(fingerprintValue('true', 'k2'));
  });

  it('is not a bare SHA-256 of the value', () => {
    const bare = createHash('sha256').update('true').digest('hex');

    expect(fingerprintValue('true', OPTIONS.fingerprintKey)).not.toContain(bare.slice(0, 16));
  });
});

describe('stage variable redaction', () => {
  const secrets = ['s3cr3t-hunter2', 'correct-horse-battery', 'https://orders.internal.example.com'];

  it('fingerprints a changed REST variable and never shows its values', () => {
    const before = restSnapshot(REST_PROD);
    const after = restSnapshot(
      edit(REST_PROD, (c) => void (c.variables!.dbPassword = 'correct-horse-battery')),
    );

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.changes).toEqual([
      {
        path: ['variables', 'dbPassword'],
        label: 'Stage variable dbPassword',
        kind: 'changed',
        before: fingerprint('s3cr3t-hunter2'),
        after: fingerprint('correct-horse-battery'),
        severity: 'MEDIUM',
        rule: 'stage-variables-changed',
      },
    ]);
    const text = JSON.stringify(drift);
    for (const secret of secrets) expect(text).not.toContain(secret);
  });

  it('fingerprints the values of a variable added or removed', () => {
    const before = restSnapshot(REST_PROD);
    const after = restSnapshot(
      edit(REST_PROD, (c) => {
        delete c.variables!.dbPassword;
        c.variables!.apiKey = 'AKIA-not-a-real-key';
      }),
    );

    const drift = diffStages(before, after, OPTIONS);

    expect(drift?.changes.map((c) => [c.path.join('.'), c.before, c.after])).toEqual([
      ['variables.apiKey', undefined, fingerprint('AKIA-not-a-real-key')],
      ['variables.dbPassword', fingerprint('s3cr3t-hunter2'), undefined],
    ]);
    expect(JSON.stringify(drift)).not.toMatch(/AKIA-not-a-real-key|s3cr3t-hunter2/);
  });

  it('fingerprints override values inside a wholly added canary', () => {
    const drift = diffStages(restSnapshot(REST_PROD), restSnapshot(REST_PROD_WITH_CANARY), OPTIONS);

    expect(drift?.changes).toEqual([
      expect.objectContaining({
        path: ['canarySettings'],
        kind: 'added',
        after: {
          deploymentId: 'p3q9zz',
          percentTraffic: 10,
          stageVariableOverrides: { backendUrl: fingerprint('https://orders-canary.internal.example.com') },
          useStageCache: false,
        },
      }),
    ]);
    expect(JSON.stringify(drift)).not.toContain('orders-canary.internal.example.com');
  });

  it('fingerprints override values inside a wholly removed canary', () => {
    const drift = diffStages(restSnapshot(REST_PROD_WITH_CANARY), restSnapshot(REST_PROD), OPTIONS);

    expect(JSON.stringify(drift)).not.toContain('orders-canary.internal.example.com');
    expect(drift?.changes[0]?.before).toMatchObject({
      stageVariableOverrides: { backendUrl: fingerprint('https://orders-canary.internal.example.com') },
    });
  });

  it('fingerprints every variable of a stage whose variables all went away', () => {
    const after = restSnapshot(edit(REST_PROD, (c) => void delete c.variables));

    const drift = diffStages(restSnapshot(REST_PROD), after, OPTIONS);

    expect(drift?.changes.map((c) => c.before)).toEqual([
      fingerprint('https://orders.internal.example.com'),
      fingerprint('s3cr3t-hunter2'),
    ]);
    for (const secret of secrets) expect(JSON.stringify(drift)).not.toContain(secret);
  });

  it('fingerprints HTTP stage variables too', () => {
    const after = edit(HTTP_PROD, (c) => void (c.stageVariables!.petsTable = 'pets-prod-v2'));

    const changes = diffConfigs(json(HTTP_PROD), json(after), 'HTTP', OPTIONS);

    expect(changes[0]).toMatchObject({
      before: fingerprint('pets-prod'),
      after: fingerprint('pets-prod-v2'),
    });
    expect(JSON.stringify(changes)).not.toMatch(/pets-prod/);
  });

  it('shows the values of allow-listed variables, and only those', () => {
    const before = restSnapshot(REST_PROD_WITH_CANARY);
    const after = restSnapshot(
      edit(REST_PROD_WITH_CANARY, (c) => {
        c.variables!.backendUrl = 'https://orders-v2.internal.example.com';
        c.variables!.dbPassword = 'correct-horse-battery';
        c.canarySettings!.stageVariableOverrides!.backendUrl = 'https://orders-canary-2.internal.example.com';
      }),
    );

    const drift = diffStages(before, after, { ...OPTIONS, revealVariables: ['backendUrl'] });

    expect(drift?.changes.map((c) => [c.path.join('.'), c.before, c.after])).toEqual([
      [
        'canarySettings.stageVariableOverrides.backendUrl',
        'https://orders-canary.internal.example.com',
        'https://orders-canary-2.internal.example.com',
      ],
      [
        'variables.backendUrl',
        'https://orders.internal.example.com',
        'https://orders-v2.internal.example.com',
      ],
      ['variables.dbPassword', fingerprint('s3cr3t-hunter2'), fingerprint('correct-horse-battery')],
    ]);
  });

  it('leaves values that are not stage variables as they are', () => {
    const after = v2Snapshot(
      'HTTP',
      edit(HTTP_PROD, (c) => void (c.description = 'Public pets API v2')),
    );

    const drift = diffStages(v2Snapshot('HTTP', HTTP_PROD), after, OPTIONS);

    expect(drift?.changes[0]).toMatchObject({ before: 'Public pets API', after: 'Public pets API v2' });
  });
});
