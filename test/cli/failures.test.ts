import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  PurgeQueueCommand,
  SendMessageCommand,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { eventOf } from '../attribution/fixtures';
import { failureQueueFixture, scanFailureMessage } from '../notify/failure-queue/messages';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { runBin, TEST_REGION } from './bin-process';

// `stage-drift failures` as a user runs it (the real bin) against a failure queue on moto that
// holds one message of each kind the monitor's failure queue receives.

const SECRET = 's3cr3t-db-password';
const fixture = failureQueueFixture;

let moto: MotoServer;
let sqs: SQSClient;
let queueUrl = '';

/** A CloudTrail UpdateStage that set a stage variable, as the rules would dead-letter it. */
const deadLetteredEvent = () => {
  const event = eventOf('rest-update-stage-console') as { detail: Record<string, unknown> };
  event.detail.requestParameters = {
    restApiId: 'a1b2c3d4e5',
    stageName: 'prod',
    updateStageInput: { patchOperations: [{ op: 'replace', path: '/variables/dbPassword', value: SECRET }] },
  };
  return JSON.stringify(event);
};

const fill = async () => {
  const bodies: [string, Record<string, string>?][] = [
    [scanFailureMessage(), { kind: 'stage-drift.scan-failure', source: 'scheduled-scan' }],
    [fixture('lambda-async-failure.json')],
    [fixture('dynamodb-stream-failure.json')],
    [deadLetteredEvent(), { ERROR_CODE: 'SDK_CLIENT_ERROR', ERROR_MESSAGE: 'Unable to invoke the target' }],
    ['not json at all'],
  ];
  for (const [body, attributes] of bodies) {
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: queueUrl,
        MessageBody: body,
        ...(attributes
          ? {
              MessageAttributes: Object.fromEntries(
                Object.entries(attributes).map(([k, v]) => [k, { DataType: 'String', StringValue: v }]),
              ),
            }
          : {}),
      }),
    );
  }
};

/** The queue's counts: messages visible, and in flight (read, not deleted). */
const counts = async () => {
  const { Attributes = {} } = await sqs.send(
    new GetQueueAttributesCommand({
      QueueUrl: queueUrl,
      AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
    }),
  );
  return {
    visible: Number(Attributes.ApproximateNumberOfMessages),
    inFlight: Number(Attributes.ApproximateNumberOfMessagesNotVisible),
  };
};

const failures = (...args: string[]) =>
  runBin(['failures', '--queue-url', queueUrl, ...args], { AWS_ENDPOINT_URL: moto.endpoint });

beforeAll(async () => {
  moto = await startMoto();
  sqs = new SQSClient({ endpoint: moto.endpoint, region: TEST_REGION, credentials: AWS_TEST_CREDENTIALS });
  queueUrl = (await sqs.send(new CreateQueueCommand({ QueueName: 'StageDrift-FailureQueue' }))).QueueUrl!;
}, 60_000);

beforeEach(async () => {
  await sqs.send(new PurgeQueueCommand({ QueueUrl: queueUrl }));
  await fill();
});

afterAll(async () => {
  sqs?.destroy();
  await moto?.stop();
});

describe('stage-drift failures', () => {
  it('prints one line per message, says what each is, and deletes none', async () => {
    const run = await failures();

    expect(run.code).toBe(0);
    const lines = run.stdout.trimEnd().split('\n');
    expect(lines[0]).toMatch(/^SENT \(UTC\)\s+KIND\s+WHAT FAILED$/);
    const rows = lines.slice(1).map((line) => line.split(/ {2,}/).slice(1).join(' | '));
    expect(rows.sort()).toEqual(
      [
        'not read | scheduled-scan 123456789012/eu-west-1 1 not read (r0orders01: AccessDeniedException)',
        'run failed | event-destinations: RetriesExhausted: Error: Failure from event, Success = false, I am failing!',
        'stream batch | myfunction did not process 1 stream record (RetryAttemptsExhausted; sequence 800000000003126276362–800000000003126276362): their drift events are in the table, not alerted',
        'event | UpdateStage on a1b2c3d4e5 (123456789012/us-east-1): the rule could not deliver it (SDK_CLIENT_ERROR: Unable to invoke the target)',
        "unknown | a message of 15 bytes that is not one of the monitor's",
      ].sort(),
    );
    expect(run.stderr).toContain('5 message(s) read, none deleted');
    expect(run.stdout + run.stderr).not.toContain(SECRET);
    // Nothing deleted: all five hidden for the visibility timeout only.
    expect(await counts()).toEqual({ visible: 0, inFlight: 5 });
  });

  it('prints JSON with the bodies, stage variable values redacted', async () => {
    const run = await failures('--format', 'json');

    expect(run.code).toBe(0);
    const printed = JSON.parse(run.stdout) as { kind: string; sentAt: string; body: unknown }[];
    expect(printed.map((m) => m.kind).sort()).toEqual(
      ['event-dead-letter', 'run-failure', 'scan-failure', 'stream-batch', 'unknown'].sort(),
    );
    for (const m of printed) expect(m.sentAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    expect(run.stdout).toContain('[redacted]');
    expect(run.stdout).not.toContain(SECRET);
  });

  it('deletes what it printed with --delete, and then finds the queue empty', async () => {
    const first = await failures('--delete');
    expect(first.code).toBe(0);
    expect(first.stderr).toContain('deleted 5 message(s)');

    expect(await counts()).toEqual({ visible: 0, inFlight: 0 });
    const second = await failures();
    expect(second.code).toBe(0);
    expect(second.stdout).toBe('the failure queue is empty\n');
  });

  it('reads at most --max messages', async () => {
    const run = await failures('--max', '2', '--format', 'json');
    expect((JSON.parse(run.stdout) as unknown[]).length).toBe(2);
  });

  it('refuses a bad --max, a missing queue and no queue at all, in one line each (exit 2)', async () => {
    const badMax = await failures('--max', 'lots');
    expect(badMax.code).toBe(2);
    expect(badMax.stderr).toContain('--max: expected a whole number from 1 to 1000, got "lots"');

    const gone = await runBin(['failures', '--queue-url', queueUrl.replace(/[^/]+$/, 'no-such-queue')], {
      AWS_ENDPOINT_URL: moto.endpoint,
    });
    expect(gone.code).toBe(2);
    expect(gone.stderr).toMatch(/no queue at .*no-such-queue: check --queue-url and --region/);

    const none = await runBin(['failures'], { AWS_ENDPOINT_URL: moto.endpoint });
    expect(none.code).toBe(2);
    expect(none.stderr).toContain('no queue: pass --queue-url with the stack output FailureQueueUrl');
  });
});
