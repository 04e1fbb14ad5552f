import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderSlackMessage, renderSnsMessage, SlackChannel } from '../../shared/notify';
import { toDeliveryFailure } from '../../shared/notify/failure-report';
import { renderSlackAlertDigest } from '../../shared/notify/slack-posture-message';
import { parseDriftStreamRecords } from '../../shared/notify/stream-records';
import type { DriftEventRecord, PostureSummaryRecord } from '../../shared/store';
import { postureSummaryIdFor } from '../../shared/store';
import { postureSummaryItem } from '../../shared/store/posture-summary-event';
import { insertRecord } from '../lambdas/publish/stream-fixtures';
import { DETECTED_AT, eventFor } from './fixtures';
import { expectGolden } from './golden';
import { validate } from './json-schema';
import { previewSlackMessage } from './slack-preview';

// The posture summary of a baseline and the control transitions of a drift, as each channel
// renders them. After an intended change: UPDATE_GOLDEN=1 npx jest test/notify, then review.

const schema = (name: string) =>
  JSON.parse(readFileSync(join(__dirname, '..', '..', 'shared', 'notify', name), 'utf8')) as Parameters<
    typeof validate
  >[0];

const stage = (
  apiType: 'REST' | 'HTTP',
  apiId: string,
  apiName: string,
  stageName: string,
  reason: string,
) => ({
  apiType,
  apiId,
  apiName,
  stageName,
  reason,
});

const SUMMARY: PostureSummaryRecord = {
  kind: 'POSTURE_SUMMARY',
  id: postureSummaryIdFor('123456789012', 'eu-west-1', ['REST', 'V2'], DETECTED_AT),
  detectedAt: DETECTED_AT,
  account: '123456789012',
  region: 'eu-west-1',
  severity: 'MEDIUM',
  families: ['REST', 'V2'],
  stagesScanned: 3,
  stagesFailing: 2,
  counts: [
    { id: 'APIGateway.1', passed: 1, failed: 1, notApplicable: 1 },
    { id: 'APIGateway.3', passed: 1, failed: 1, notApplicable: 1 },
    { id: 'APIGateway.9', passed: 0, failed: 1, notApplicable: 2 },
  ],
  failing: [
    {
      id: 'APIGateway.1',
      title: 'Execution logging is ERROR or INFO on the stage and every method or route',
      severity: 'MEDIUM',
      stageCount: 1,
      stages: [stage('REST', 'a1b2c3d4e5', 'legacy-api', 'prod', 'execution logging is off: */* OFF')],
    },
    {
      id: 'APIGateway.3',
      title: 'AWS X-Ray tracing is enabled',
      severity: 'LOW',
      stageCount: 1,
      stages: [stage('REST', 'a1b2c3d4e5', 'legacy-api', 'prod', 'X-Ray tracing is off')],
    },
    {
      id: 'APIGateway.9',
      title: 'Access logging is configured (HTTP and WebSocket stages)',
      severity: 'MEDIUM',
      stageCount: 23,
      stages: [stage('HTTP', 'h7t7p9x2k1', '<b>pets</b>', 'live\n*x*', 'no access log destination is set')],
    },
  ],
};

const FIX: DriftEventRecord = {
  ...eventFor('REST', 'MODIFIED'),
  severity: 'INFO',
  controls: [{ id: 'APIGateway.1', from: 'FAILED', to: 'PASSED' }],
};

describe('the posture summary of a baseline', () => {
  it('renders its SNS message: a subject, filter attributes and the JSON of posture-summary.schema.json', () => {
    const message = renderSnsMessage(SUMMARY);
    const parsed: unknown = JSON.parse(message.Message);
    expect(validate(schema('posture-summary.schema.json'), parsed)).toEqual([]);
    expect(message.MessageAttributes.change?.StringValue).toBe('POSTURE_SUMMARY');
    expect(message.Subject.length).toBeLessThan(100);
    expectGolden(
      'posture-summary.sns.json',
      `${JSON.stringify({ Subject: message.Subject, MessageAttributes: message.MessageAttributes, Message: parsed }, null, 2)}\n`,
    );
  });

  it('lists fewer stages per control rather than pass SNS size limit', () => {
    const message = renderSnsMessage(SUMMARY, { maxBytes: 2500 });
    const parsed = JSON.parse(message.Message) as {
      failing: { stages: unknown[]; stagesOmitted?: number }[];
    };
    expect(parsed.failing.every((c) => c.stages.length === 0)).toBe(true);
    expect(parsed.failing[2]!.stagesOmitted).toBe(23);
  });

  it('renders one Slack message with every failing control, stage data escaped', () => {
    const channel = new SlackChannel({ sender: { send: () => Promise.resolve() }, minSeverity: 'CRITICAL' });
    expect(channel.accepts(SUMMARY)).toBe(true);
    const message = channel.render(SUMMARY);
    const text = JSON.stringify(message);
    expect(text).toContain('&lt;b&gt;pets&lt;/b&gt;');
    expect(text).not.toContain('<b>');
    expect(text).toContain('+22 more');
    expectGolden('posture-summary.slack.json', `${JSON.stringify(message, null, 2)}\n`);
    expectGolden('posture-summary.slack.txt', previewSlackMessage(message));
  });

  it('has a digest line of its own among drift events', () => {
    const digest = renderSlackAlertDigest([SUMMARY, FIX, eventFor('HTTP', 'DELETED')]);
    expect(digest.text).toMatch(/2 API Gateway stages drifted: .*; 1 posture baseline$/);
    expect(JSON.stringify(digest.blocks)).toContain('*POSTURE* baseline of');
    expect(renderSlackAlertDigest([SUMMARY]).text).toBe('1 posture baseline');
  });

  it('parses from a stream record (itemType DRIFT, kind POSTURE_SUMMARY) and is not malformed', () => {
    const item = postureSummaryItem(SUMMARY, 1_900_000_000);
    const parsed = parseDriftStreamRecords([insertRecord('7', item as never)]);
    expect(parsed.malformed).toEqual([]);
    expect(parsed.events.map((e) => e.event)).toEqual([SUMMARY]);
  });

  it('reports a refused delivery with its scope instead of a stage', () => {
    const failure = toDeliveryFailure(SUMMARY, 'SLACK', { message: 'refused' }, DETECTED_AT);
    expect(failure).toMatchObject({ eventKind: 'POSTURE_SUMMARY', scope: { account: '123456789012' } });
    expect(failure.stage).toBeUndefined();
  });
});

describe('a drift that moved a control', () => {
  it('says so in Slack ("APIGateway.1 now passes on prod") and in the SNS JSON', () => {
    const message = renderSlackMessage(FIX);
    expect(message.text).toContain('APIGateway.1 now passes on prod');
    expect(JSON.stringify(message.blocks)).toContain('APIGateway.1 now passes on prod');
    const parsed: unknown = JSON.parse(renderSnsMessage(FIX).Message);
    expect(validate(schema('drift-event.schema.json'), parsed)).toEqual([]);
    expect(parsed).toMatchObject({ controls: FIX.controls });
  });

  it('reaches Slack below its minimum severity when it fixes a control, and not otherwise', () => {
    const channel = new SlackChannel({ sender: { send: () => Promise.resolve() } }); // MEDIUM
    expect(channel.accepts(FIX)).toBe(true);
    expect(
      channel.accepts({ ...FIX, controls: [{ id: 'APIGateway.3', from: 'PASSED', to: 'NOT_APPLICABLE' }] }),
    ).toBe(false);
    expect(channel.accepts({ ...FIX, controls: undefined as never })).toBe(false);
  });

  it('escapes the stage name in the transition line', () => {
    const event = { ...FIX, stageName: 'prod\n<!here>' };
    const message = renderSlackMessage(event);
    expect(message.text).toContain('APIGateway.1 now passes on prod\\n&lt;!here&gt;');
    expect(message.text).not.toContain('<!here>');
    // In the blocks the line is plain_text, which Slack never reads as mrkdwn (as the change lines).
    const line = message.blocks.find((b) => b.type === 'section' && b.text?.text.startsWith('APIGateway.1'));
    expect(line).toMatchObject({
      text: { type: 'plain_text', text: expect.stringContaining('prod\\n<!here>') },
    });
  });
});
