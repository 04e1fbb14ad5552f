import { DRIFT_STREAM_FILTER, loadPublishConfigFromEnv } from '../../shared/notify';
import { parseDriftStreamRecords } from '../../shared/notify/stream-records';
import { canonicalJson } from '../../shared/model';
import type { DriftEventRecord } from '../../shared/store';
import { driftImage, driftOn, insertRecord, malformedImage } from '../lambdas/publish/stream-fixtures';
import { eventIdOf } from './fixtures';

describe('parseDriftStreamRecords', () => {
  it('reads drift events from INSERT records and counts anything else as ignored', () => {
    const good = insertRecord('1', driftImage(driftOn('REST', 'MODIFIED', 'prod'), 'a'));
    const modify = {
      ...insertRecord('2', driftImage(driftOn('REST', 'MODIFIED', 'prod'), 'b')),
      eventName: 'MODIFY' as const,
    };
    const latest = insertRecord('3', {
      PK: { S: 'SCOPE#1#eu-west-1' },
      SK: { S: 'STAGE#REST#a#prod' },
      itemType: { S: 'LATEST' },
    });
    const parsed = parseDriftStreamRecords([good, modify, latest]);
    expect(parsed.events.map((e) => [e.sequenceNumber, e.event.id])).toEqual([['1', eventIdOf('a')]]);
    expect(parsed).toMatchObject({ malformed: [], ignored: 2 });
  });

  it('reads a gzipped body sent as base64, as Lambda delivers binary attributes', () => {
    const drift = driftOn('HTTP', 'MODIFIED', 'big');
    const many = Array.from({ length: 400 }, (_, i) => ({
      ...drift.changes[0]!,
      label: `change ${i} ${'x'.repeat(80)}`,
    }));
    const image = driftImage({ ...drift, changes: many }, 'big');
    expect(image.eventGz?.B).toEqual(expect.any(String));
    const parsed = parseDriftStreamRecords([insertRecord('9', image)]);
    expect((parsed.events[0]!.event as DriftEventRecord).changes).toHaveLength(400);
  });

  it('reports a malformed record with its key and sequence number instead of throwing', () => {
    const parsed = parseDriftStreamRecords([insertRecord('5', malformedImage())]);
    expect(parsed.events).toEqual([]);
    expect(parsed.malformed).toEqual([
      {
        sequenceNumber: '5',
        key: {
          PK: 'STAGE#123456789012#eu-west-1#REST#a1b2c3d4e5#broken',
          SK: 'DRIFT#0123456789abcdef0123456789abcdef',
        },
        error: expect.stringContaining('holds invalid JSON'),
      },
    ]);
  });

  it('reports an event that parses but lacks what the alerts need', () => {
    const image = driftImage(driftOn('REST', 'DELETED', 'prod'), 'x');
    const body = JSON.parse(image.event!.S!) as Record<string, unknown>;
    const broken = { ...image, event: { S: canonicalJson({ ...body, api: { id: 'a1', type: 'SOAP' } }) } };
    const parsed = parseDriftStreamRecords([insertRecord('6', broken)]);
    expect(parsed.malformed[0]!.error).toContain('api.name is missing');
  });
});

it('the event-source filter passes only inserts of drift items', () => {
  expect(DRIFT_STREAM_FILTER).toEqual({
    eventName: ['INSERT'],
    dynamodb: { NewImage: { itemType: { S: ['DRIFT'] } } },
  });
});

describe('loadPublishConfigFromEnv', () => {
  it('fills the defaults: Slack off, minimum MEDIUM, digest above 5', () => {
    expect(
      loadPublishConfigFromEnv({
        STAGE_DRIFT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:stage-drift-alerts',
        STAGE_DRIFT_TABLE: 'stage-drift',
      }),
    ).toEqual({
      topicArn: 'arn:aws:sns:eu-west-1:123456789012:stage-drift-alerts',
      tableName: 'stage-drift',
      slackMinSeverity: 'MEDIUM',
      digestThreshold: 5,
    });
  });

  it('reads every setting', () => {
    expect(
      loadPublishConfigFromEnv({
        STAGE_DRIFT_TOPIC_ARN: 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo',
        STAGE_DRIFT_TABLE: 'stage-drift',
        STAGE_DRIFT_SLACK_SECRET_ARN:
          'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stage-drift/slack-webhook-AbC123',
        STAGE_DRIFT_SLACK_MIN_SEVERITY: 'high',
        STAGE_DRIFT_FAILURE_QUEUE_URL:
          'https://sqs.eu-west-1.amazonaws.com/123456789012/stage-drift-failures',
        STAGE_DRIFT_DIGEST_THRESHOLD: '10',
      }),
    ).toEqual({
      topicArn: 'arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts.fifo',
      tableName: 'stage-drift',
      slackSecretArn: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:stage-drift/slack-webhook-AbC123',
      slackMinSeverity: 'HIGH',
      failureQueueUrl: 'https://sqs.eu-west-1.amazonaws.com/123456789012/stage-drift-failures',
      digestThreshold: 10,
    });
  });
});
