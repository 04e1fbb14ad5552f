import { describeFailureMessage, printableBody, REDACTED_VALUE } from '../../shared/notify/failure-messages';
import { eventOf } from '../attribution/fixtures';
import { failureQueueFixture, scanFailureMessage } from './failure-queue/messages';

const fixture = failureQueueFixture;

/** The delivery failure of docs/alerts.md, the deployed contract. */
const DELIVERY_FAILURE = {
  kind: 'stage-drift.delivery-failure',
  eventId: '0c74e027996cab6d4102fe386783eecf',
  channel: 'SLACK',
  error: 'The Slack webhook rejected the message (HTTP 404 channel_not_found); not retried.',
  status: 404,
  slackError: 'channel_not_found',
  stage: {
    account: '123456789012',
    region: 'eu-west-1',
    apiType: 'REST',
    apiId: 'a1b2c3d4e5',
    stageName: 'prod',
  },
  severity: 'HIGH',
  detectedAt: '2026-11-21T10:00:00.000Z',
  failedAt: '2026-11-21T10:00:05.000Z',
};

describe('describeFailureMessage: what each message of the failure queue is', () => {
  it("reads a scan's report: the scope, how many not read, the first API and its error", () => {
    expect(describeFailureMessage({ body: scanFailureMessage() })).toEqual({
      kind: 'scan-failure',
      summary: 'scheduled-scan 123456789012/eu-west-1 1 not read (r0orders01: AccessDeniedException)',
    });
  });

  it('counts the failures a report left out', () => {
    const body = JSON.stringify({
      kind: 'stage-drift.scan-failure',
      source: 'scan-task',
      runId: 'r-3',
      failedAt: '2026-12-04T10:00:00.000Z',
      scopes: [
        {
          account: '111111111111',
          region: 'us-east-1',
          failures: [{ kind: 'access', errorName: 'AccessDenied', message: 'no role' }],
          failuresOmitted: 3,
        },
      ],
    });
    expect(describeFailureMessage({ body }).summary).toBe(
      'scan-task 111111111111/us-east-1 4 not read (access: AccessDenied, …)',
    );
  });

  it('reads a run that failed as a whole', () => {
    const body = JSON.stringify({
      kind: 'stage-drift.scan-failure',
      source: 'rescan',
      runId: 'r-2',
      failedAt: '2026-12-04T10:00:00.000Z',
      scopes: [],
      error: { name: 'TimeoutError', message: 'socket hang up' },
    });
    expect(describeFailureMessage({ body }).summary).toBe('rescan run: TimeoutError: socket hang up');
  });

  it('reads the publisher’s delivery failure (docs/alerts.md)', () => {
    expect(describeFailureMessage({ body: JSON.stringify(DELIVERY_FAILURE) })).toEqual({
      kind: 'delivery-failure',
      summary:
        'SLACK refused event 0c74e027, a1b2c3d4e5 prod (123456789012/eu-west-1), HIGH: The Slack webhook rejected the message (HTTP 404 channel_not_found); not retried.',
    });
  });

  it("reads Lambda's on-failure record of an asynchronous invocation (AWS's example)", () => {
    expect(describeFailureMessage({ body: fixture('lambda-async-failure.json') })).toEqual({
      kind: 'run-failure',
      summary:
        'event-destinations: RetriesExhausted: Error: Failure from event, Success = false, I am failing!',
    });
  });

  it("reads Lambda's on-failure record of a DynamoDB stream batch (AWS's example)", () => {
    expect(describeFailureMessage({ body: fixture('dynamodb-stream-failure.json') })).toEqual({
      kind: 'stream-batch',
      summary:
        'myfunction did not process 1 stream record (RetryAttemptsExhausted; sequence 800000000003126276362–800000000003126276362): their drift events are in the table, not alerted',
    });
  });

  it('reads a CloudTrail event that failed its rescans, and one a rule could not deliver', () => {
    const body = JSON.stringify(eventOf('rest-update-stage-console'));
    expect(describeFailureMessage({ body })).toEqual({
      kind: 'event-dead-letter',
      summary:
        'UpdateStage on a1b2c3d4e5 (123456789012/us-east-1): its rescans failed (the scheduled scan still sees the change)',
    });
    // EventBridge's dead letter carries the reason in its message attributes.
    const attributes = { ERROR_CODE: 'SDK_CLIENT_ERROR', ERROR_MESSAGE: 'Unable to invoke the target' };
    expect(describeFailureMessage({ body, attributes }).summary).toBe(
      'UpdateStage on a1b2c3d4e5 (123456789012/us-east-1): the rule could not deliver it (SDK_CLIENT_ERROR: Unable to invoke the target)',
    );
  });

  it('says what it cannot read, without failing on it', () => {
    for (const body of ['not json', '[1,2]', '{"hello":"world"}', '']) {
      expect(describeFailureMessage({ body })).toEqual({
        kind: 'unknown',
        summary: `a message of ${Buffer.byteLength(body)} bytes that is not one of the monitor's`,
      });
    }
    // Parts missing are named as unknown, never a crash.
    expect(describeFailureMessage({ body: '{"kind":"stage-drift.delivery-failure"}' }).summary).toBe(
      'a channel refused event ?, an event: no reason given',
    );
  });
});

describe('printableBody', () => {
  it("replaces stage variable values of a CloudTrail event, in maps and in UpdateStage's patch operations", () => {
    const event = eventOf('rest-update-stage-console') as { detail: Record<string, unknown> };
    event.detail.requestParameters = {
      restApiId: 'a1b2c3d4e5',
      stageName: 'prod',
      updateStageInput: {
        patchOperations: [
          { op: 'replace', path: '/variables/dbPassword', value: 's3cr3t-db-password' },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' },
        ],
      },
    };
    event.detail.responseElements = {
      stageName: 'prod',
      variables: { dbPassword: 's3cr3t-db-password', mode: 'x' },
    };
    const printed = printableBody({ body: JSON.stringify(event) }) as { detail: Record<string, unknown> };
    expect(JSON.stringify(printed)).not.toContain('s3cr3t-db-password');
    expect(printed.detail.requestParameters).toEqual({
      restApiId: 'a1b2c3d4e5',
      stageName: 'prod',
      updateStageInput: {
        patchOperations: [
          { op: 'replace', path: '/variables/dbPassword', value: REDACTED_VALUE },
          { op: 'replace', path: '/*/*/logging/loglevel', value: 'OFF' },
        ],
      },
    });
    expect(printed.detail.responseElements).toEqual({
      stageName: 'prod',
      variables: { dbPassword: REDACTED_VALUE, mode: REDACTED_VALUE },
    });
    expect(printableBody({ body: 'plain text' })).toBe('plain text');
  });
});
