import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { PROJECT_ROOT } from '../../infra/runtime-contract';

interface CdkJson {
  readonly context?: Record<string, unknown>;
  readonly [setting: string]: unknown;
}

const cdkJson = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as CdkJson;

describe('cdk.json', () => {
  it('sets versionReporting and notices at the top level, where the CLI reads them, not in context', () => {
    expect(cdkJson).toMatchObject({ versionReporting: false, notices: false });
    expect(Object.keys(cdkJson.context ?? {})).not.toEqual(
      expect.arrayContaining([expect.stringMatching(/^(versionReporting|notices)$/)]),
    );
  });

  it('synthesizes templates without the AWS::CDK::Metadata (analytics) resource', () => {
    // The CLI turns cdk.json's settings into the app's context; a probe app (one resource) run by
    // the CLI from the project root gets exactly what infra/app.ts gets, without bundling four functions.
    const dir = mkdtempSync(path.join(tmpdir(), 'stage-drift-cdk-json-'));
    try {
      const probe = path.join(dir, 'probe.js');
      writeFileSync(
        probe,
        `const cdk = require(${JSON.stringify(require.resolve('aws-cdk-lib'))});\n` +
          'const app = new cdk.App();\n' +
          "new cdk.CfnWaitConditionHandle(new cdk.Stack(app, 'Probe'), 'Handle');\n" +
          'app.synth();\n',
      );
      const run = spawnSync(
        process.execPath,
        [
          require.resolve('aws-cdk/bin/cdk'),
          'synth',
          '-q',
          '-a',
          `node ${probe}`,
          '-o',
          path.join(dir, 'out'),
        ],
        { cwd: PROJECT_ROOT, encoding: 'utf8' },
      );
      expect(run.status).toBe(0);
      const template = JSON.parse(readFileSync(path.join(dir, 'out', 'Probe.template.json'), 'utf8')) as {
        Resources: Record<string, { Type: string }>;
      };
      expect(Object.values(template.Resources).map((r) => r.Type)).toEqual([
        'AWS::CloudFormation::WaitConditionHandle',
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
