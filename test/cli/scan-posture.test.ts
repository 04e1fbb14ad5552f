import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client, CreateApiCommand, CreateStageCommand } from '@aws-sdk/client-apigatewayv2';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { FakeSlack } from '../notify/fake-slack';
import { startFakeSlack } from '../notify/fake-slack';
import { validate } from '../notify/json-schema';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import { MOTO_ACCOUNT, runBin, tempDir, TEST_REGION } from './bin-process';
import { snsInbox } from './sns-inbox';

// Issue 16, items 2 and 3, as a user sees them: the first scan of an account says once what is
// already wrong (one posture summary on SNS and Slack, the same table on stdout), and a later
// fix is a drift event that names the control it fixed, INFO, and still reaches Slack.
//
// moto keeps neither a client certificate nor a web ACL on a REST stage (UpdateStage drops
// `/clientCertificateId`; there is no WAFv2 association), so the "compliant" stage fails
// APIGateway.2 and APIGateway.4 here; every other control passes on it.

const schemaOf = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'shared', 'notify', name), 'utf8')) as Parameters<
    typeof validate
  >[0];

interface PostureMessage {
  readonly kind: string;
  readonly stagesScanned: number;
  readonly failing: readonly {
    id: string;
    stageCount: number;
    stages: { stageName: string; apiName: string }[];
  }[];
}

let moto: MotoServer;
let slack: FakeSlack;

beforeAll(async () => {
  moto = await startMoto();
  slack = await startFakeSlack();
});

afterAll(async () => {
  await moto?.stop();
  await slack?.stop();
});

describe('stage-drift scan: the baseline posture and control transitions', () => {
  it('publishes one posture summary at the baseline, nothing the next time, and a fix as an INFO drift', async () => {
    // Prepare
    await moto.reset();
    slack.reset();
    const config = { endpoint: moto.endpoint, region: TEST_REGION, credentials: AWS_TEST_CREDENTIALS };
    const rest = new APIGatewayClient(config);
    const v2 = new ApiGatewayV2Client(config);
    const legacyId = await createRestApiWithStage(rest, { name: 'legacy-api' }, { stageName: 'prod' });
    const secureId = await createRestApiWithStage(
      rest,
      { name: 'secure-api' },
      { stageName: 'live', tracingEnabled: true },
    );
    await rest.send(
      new UpdateStageCommand({
        restApiId: secureId,
        stageName: 'live',
        patchOperations: [
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' },
          {
            op: 'replace',
            path: '/accessLogSettings/destinationArn',
            value: `arn:aws:logs:${TEST_REGION}:${MOTO_ACCOUNT}:log-group:secure-access`,
          },
          { op: 'replace', path: '/accessLogSettings/format', value: '$context.requestId' },
        ],
      }),
    );
    const http = await v2.send(new CreateApiCommand({ Name: 'pets-http', ProtocolType: 'HTTP' }));
    await v2.send(new CreateStageCommand({ ApiId: http.ApiId!, StageName: 'edge' }));
    const inbox = snsInbox(moto.endpoint, TEST_REGION, MOTO_ACCOUNT, 'posture-alerts');
    await inbox.create();
    // Slack's minimum severity stays at its default (MEDIUM): the INFO fix must get through anyway.
    const env = { AWS_ENDPOINT_URL: moto.endpoint, STAGE_DRIFT_SLACK_WEBHOOK_URL: slack.webhookUrl };
    const args = ['scan', '--store', tempDir(), '--sns-topic-arn', inbox.topicArn];
    try {
      // Act: the baseline
      const baseline = await runBin(args, env);

      // Assess: the table on stdout
      expect(baseline.code).toBe(0);
      expect(baseline.stdout).toContain(
        `Posture baseline of ${MOTO_ACCOUNT} ${TEST_REGION}: 3 stages, 3 fail`,
      );
      const row = (id: string) => baseline.stdout.split('\n').find((line) => line.startsWith(`${id} `)) ?? '';
      expect(row('APIGateway.1')).toMatch(/MEDIUM\s+1 of 2\s+prod \(legacy-api, REST /);
      expect(row('APIGateway.3')).toMatch(/LOW\s+1 of 2\s+prod \(legacy-api/);
      expect(row('APIGateway.9')).toMatch(/MEDIUM\s+1 of 1\s+edge \(pets-http, HTTP /);
      expect(row('StageDrift.RestAccessLogging')).toMatch(/1 of 2\s+prod \(legacy-api/);
      expect(row('APIGateway.1')).not.toContain('secure-api');
      // Assess: exactly one SNS message, the summary, valid against its schema
      const first = await inbox.take();
      expect(first).toHaveLength(1);
      const summary = first[0]! as unknown as PostureMessage & { attributes: Record<string, string> };
      expect(summary.attributes).toMatchObject({ change: 'POSTURE_SUMMARY', kind: 'POSTURE_SUMMARY' });
      const message: Record<string, unknown> = { ...summary };
      delete message.attributes;
      expect(validate(schemaOf('posture-summary.schema.json'), message)).toEqual([]);
      expect(summary.kind).toBe('POSTURE_SUMMARY');
      expect(summary.stagesScanned).toBe(3);
      const failing = Object.fromEntries(
        summary.failing.map((c) => [c.id, c.stages.map((s) => s.stageName)]),
      );
      expect(failing).toMatchObject({
        'APIGateway.1': ['prod'],
        'APIGateway.3': ['prod'],
        'APIGateway.9': ['edge'],
        'StageDrift.RestAccessLogging': ['prod'],
      });
      // Assess: one Slack message, not one per stage
      expect(slack.requests).toHaveLength(1);
      const posted = JSON.parse(slack.requests[0]!.body) as { text: string; blocks: unknown[] };
      expect(posted.text).toContain(`Posture baseline of ${MOTO_ACCOUNT}/${TEST_REGION}`);
      expect(JSON.stringify(posted.blocks)).toContain('APIGateway.9');

      // Act: a second scan, nothing changed
      const quiet = await runBin([...args, '--format', 'json'], env);

      // Assess
      expect(quiet.code).toBe(0);
      expect((JSON.parse(quiet.stdout) as { postureSummaries: unknown[] }).postureSummaries).toEqual([]);
      expect(await inbox.take()).toEqual([]);
      expect(slack.requests).toHaveLength(1);

      // Act: execution logging turned on for legacy-api prod
      await rest.send(
        new UpdateStageCommand({
          restApiId: legacyId,
          stageName: 'prod',
          patchOperations: [{ op: 'replace', path: '/*/*/logging/loglevel', value: 'INFO' }],
        }),
      );
      const fixed = await runBin(args, env);

      // Assess: a drift event naming the fix, INFO, on SNS and (below Slack's minimum) on Slack
      expect(fixed.code).toBe(1);
      expect(fixed.stdout).toContain('APIGateway.1 now passes on prod');
      const drift = await inbox.take();
      expect(drift).toHaveLength(1);
      const driftMessage: Record<string, unknown> = { ...drift[0]! };
      delete driftMessage.attributes;
      expect(validate(schemaOf('drift-event.schema.json'), driftMessage)).toEqual([]);
      expect(drift[0]).toMatchObject({
        stageName: 'prod',
        severity: 'INFO',
        controls: [{ id: 'APIGateway.1', from: 'FAILED', to: 'PASSED' }],
      });
      expect(drift[0]!.attributes.change).toBe('MODIFIED');
      expect(slack.requests).toHaveLength(2);
      const fixPost = JSON.parse(slack.requests[1]!.body) as { text: string; blocks: unknown[] };
      expect(fixPost.text).toContain('APIGateway.1 now passes on prod');
      expect(JSON.stringify(fixPost.blocks)).toContain('APIGateway.1 now passes on prod');
    } finally {
      rest.destroy();
      v2.destroy();
      inbox.destroy();
    }
  });
});
