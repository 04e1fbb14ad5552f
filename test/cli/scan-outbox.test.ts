import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { FakeSlack } from '../notify/fake-slack';
import { startFakeSlack, WEBHOOK_PATH } from '../notify/fake-slack';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import { MOTO_ACCOUNT, runBin, tempDir, TEST_REGION } from './bin-process';
import { snsInbox } from './sns-inbox';

// The outbox: a drift event stays pending on each channel until that channel has a delivery
// mark, and every run (or `stage-drift publish`) sends what is pending, once.

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

/**
 * A store with a baseline of one REST stage, then one out-of-band change to it (HIGH: tracing off
 * makes APIGateway.3 fail). The baseline ran without a channel, so its posture summary is pending
 * too: the outbox sends it, oldest first, with the drift.
 */
const storeWithOneDrift = async (): Promise<{ store: string; env: Record<string, string> }> => {
  await moto.reset();
  const rest = new APIGatewayClient({
    endpoint: moto.endpoint,
    region: TEST_REGION,
    credentials: AWS_TEST_CREDENTIALS,
  });
  const restApiId = await createRestApiWithStage(
    rest,
    { name: 'billing-api' },
    { stageName: 'prod', tracingEnabled: true },
  );
  const env = { AWS_ENDPOINT_URL: moto.endpoint };
  const store = tempDir();
  const baseline = await runBin(['scan', '--store', store], env);
  expect(baseline.code).toBe(0);
  await rest.send(
    new UpdateStageCommand({
      restApiId,
      stageName: 'prod',
      patchOperations: [{ op: 'replace', path: '/tracingEnabled', value: 'false' }],
    }),
  );
  rest.destroy();
  return { store, env };
};

const linesMatching = (text: string, pattern: RegExp): string[] =>
  text.split('\n').filter((line) => pattern.test(line));

describe('the alert outbox', () => {
  it('exits 4 naming SNS and the cause while the topic is unreachable, then delivers the alert exactly once', async () => {
    // Prepare
    const { store, env } = await storeWithOneDrift();
    const inbox = snsInbox(moto.endpoint, TEST_REGION, MOTO_ACCOUNT, 'drift-alerts');
    const args = ['scan', '--store', store, '--sns-topic-arn', inbox.topicArn];
    try {
      // Act: the topic does not exist yet
      const failed = await runBin([...args, '--format', 'json'], env);
      // Assess
      expect(failed.code).toBe(4);
      const failure = linesMatching(failed.stderr, /not delivered/);
      expect(failure).toHaveLength(1);
      expect(failure[0]).toMatch(/^stage-drift: 2 alerts not delivered to SNS: .*NotFound/);
      expect(failure[0]).toMatch(/stage-drift publish/);
      const [event] = (JSON.parse(failed.stdout) as { events: { id: string }[] }).events;
      expect(event).toBeDefined();

      // Act: the topic is there now; the rerun finds no new drift but sends the pending alert
      await inbox.create();
      const redelivered = await runBin(args, env);
      // Assess
      expect(redelivered.code).toBe(0);
      expect(redelivered.stderr).toMatch(/Alerts: 2 published \(2 from earlier runs\)/);
      const alerts = await inbox.take();
      expect(alerts.map((a) => a.attributes.change)).toEqual(['POSTURE_SUMMARY', 'MODIFIED']);
      expect(alerts[1]!.eventId).toBe(event!.id);

      // Act: nothing is pending any more
      const quiet = await runBin(args, env);
      // Assess
      expect(quiet.code).toBe(0);
      expect(quiet.stderr).toBe('');
      expect(await inbox.take()).toEqual([]);
    } finally {
      inbox.destroy();
    }
  });

  it('`stage-drift publish` sends what a failed Slack left pending, once, and SNS nothing twice', async () => {
    // Prepare
    const { store, env } = await storeWithOneDrift();
    const inbox = snsInbox(moto.endpoint, TEST_REGION, MOTO_ACCOUNT, 'drift-both');
    await inbox.create();
    slack.reset();
    slack.reply({ status: 429, headers: { 'retry-after': '3600' }, body: 'rate_limited' });
    const withSlack = { ...env, STAGE_DRIFT_SLACK_WEBHOOK_URL: slack.webhookUrl };
    const channels = ['--store', store, '--sns-topic-arn', inbox.topicArn];
    try {
      // Act
      const scan = await runBin(['scan', ...channels], withSlack);
      // Assess: SNS took it, Slack did not
      expect(scan.code).toBe(4);
      expect(linesMatching(scan.stderr, /not delivered/)).toEqual([
        expect.stringMatching(/^stage-drift: 2 alerts not delivered to Slack: .*429/),
      ]);
      expect(scan.stdout + scan.stderr).not.toContain(WEBHOOK_PATH.split('/').pop());
      expect(await inbox.take()).toHaveLength(2); // the baseline's posture summary and the drift
      expect(slack.requests).toHaveLength(1); // the rest held back after the 429

      // Act: Slack answers again
      const drained = await runBin(['publish', ...channels], withSlack);
      // Assess
      expect(drained.stderr).toBe('');
      expect(drained.code).toBe(0);
      expect(drained.stdout).toMatch(/Alerts: 2 published \(2 from earlier runs\)/);
      expect(slack.requests).toHaveLength(3);
      expect(await inbox.take()).toEqual([]);

      // Act: drained already
      const again = await runBin(['publish', ...channels], withSlack);
      // Assess
      expect(again.code).toBe(0);
      expect(again.stdout).toMatch(/No alerts pending/);
      expect(slack.requests).toHaveLength(3);
    } finally {
      inbox.destroy();
    }
  });

  it('`stage-drift publish` without a channel is one line and exit 2', async () => {
    const run = await runBin(['publish', '--store', tempDir()], {});
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--sns-topic-arn or --slack-webhook-url/);
    expect(run.stderr.trim().split('\n')).toHaveLength(1);
  });
});
