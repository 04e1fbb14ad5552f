import fc from 'fast-check';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Change } from '../../shared/model';
import { ALERT_SCHEMA_ID } from '../../shared/notify/drift-alert';
import {
  renderSnsMessage,
  renderSnsSubject,
  SNS_MAX_MESSAGE_BYTES,
  snsMessageBytes,
} from '../../shared/notify/sns-message';
import type { DriftEventRecord } from '../../shared/store';
import { API_TYPES_UNDER_TEST, CHANGE_KINDS, eventFor } from './fixtures';
import { keywordsOf, SUPPORTED_KEYWORDS, validate } from './json-schema';

const schema = JSON.parse(
  readFileSync(join(__dirname, '..', '..', 'shared', 'notify', 'drift-event.schema.json'), 'utf8'),
) as Record<string, unknown>;

const bigChange = (i: number, severity: Change['severity']): Change => ({
  path: ['routeSettings', `GET /r${i}`, 'throttlingRateLimit'],
  label: `Route throttling rate limit (GET /r${i})`,
  kind: 'changed',
  before: 'x'.repeat(400),
  after: 'y'.repeat(400),
  severity,
  rule: 'throttling-changed',
});

/** An event with `n` changes of ~1 KB each: far beyond 256 KB for n = 1,000. */
const hugeEvent = (n: number): DriftEventRecord => ({
  ...eventFor('HTTP', 'MODIFIED'),
  changes: Array.from({ length: n }, (_, i) => bigChange(i, i % 10 === 0 ? 'HIGH' : 'LOW')),
});

describe('the alert JSON schema', () => {
  it('is a draft 2020-12 schema with the version-1 id, using only keywords the test validator knows', () => {
    expect(schema.$schema).toBe('https://json-schema.org/draft/2020-12/schema');
    expect(schema.$id).toBe(ALERT_SCHEMA_ID);
    expect([...keywordsOf(schema)].filter((k) => !SUPPORTED_KEYWORDS.has(k))).toEqual([]);
  });

  it.each(API_TYPES_UNDER_TEST.flatMap((t) => CHANGE_KINDS.map((k) => [t, k] as const)))(
    'accepts the rendered message of a %s stage %s',
    (apiType, change) => {
      const message: unknown = JSON.parse(renderSnsMessage(eventFor(apiType, change)).Message);
      expect(validate(schema, message)).toEqual([]);
    },
  );

  it('accepts a message cut to fit, with changesOmitted and its note', () => {
    const message: unknown = JSON.parse(renderSnsMessage(hugeEvent(1000)).Message);
    expect(validate(schema, message)).toEqual([]);
  });

  it('rejects a message with a wrong version, a missing field, an unknown severity or an extra property', () => {
    const good = JSON.parse(renderSnsMessage(eventFor('REST', 'MODIFIED')).Message) as Record<
      string,
      unknown
    >;
    expect(validate(schema, { ...good, schemaVersion: 2 })).toEqual(['/schemaVersion: expected 1']);
    const missing = { ...good };
    delete missing.eventId;
    expect(validate(schema, missing)).toEqual([': missing eventId']);
    expect(validate(schema, { ...good, severity: 'SEVERE' })).toHaveLength(1);
    expect(validate(schema, { ...good, extra: true })).toEqual(['/extra: not allowed']);
    const changes = good.changes as Record<string, unknown>[];
    const badChange = { ...changes[0], kind: 'renamed' };
    expect(validate(schema, { ...good, changes: [badChange] })).toEqual([
      '/changes/0/kind: "renamed" is not one of ["added","removed","changed"]',
    ]);
  });
});

describe('renderSnsSubject', () => {
  it('reads "[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1" for a modified stage', () => {
    expect(renderSnsSubject(eventFor('REST', 'MODIFIED'))).toBe(
      '[HIGH] prod of orders-api (a1b2c3d4e5) drifted in eu-west-1',
    );
  });

  it.each([
    ['CREATED', '[INFO] prod of pets-api (h7t7p9x2k1) was created in eu-west-1'],
    ['DELETED', '[HIGH] prod of pets-api (h7t7p9x2k1) was deleted in eu-west-1'],
    ['RECREATED', '[MEDIUM] prod of pets-api (h7t7p9x2k1) was recreated in eu-west-1'],
  ] as const)('says what happened to a %s stage', (change, subject) => {
    expect(renderSnsSubject(eventFor('HTTP', change))).toBe(subject);
  });

  it('shortens long names with "..." and keeps the severity, API id and region', () => {
    const event = eventFor('REST', 'MODIFIED');
    const subject = renderSnsSubject({
      ...event,
      stageName: 'a-very-long-stage-name-for-the-customer-facing-production-environment',
      api: { ...event.api, name: 'an-extremely-long-api-name-that-nobody-would-ever-type-twice-v2' },
    });
    expect(subject.length).toBeLessThan(100);
    expect(subject).toMatch(
      /^\[HIGH\] a-very-long-stage.*\.\.\. of an-extremely.*\.\.\. \(a1b2c3d4e5\) drifted in eu-west-1$/,
    );
  });

  it('folds accents, replaces other non-ASCII characters and shows line breaks as \\n', () => {
    const event = eventFor('REST', 'MODIFIED');
    expect(renderSnsSubject({ ...event, api: { ...event.api, name: 'café-API\n日本' } })).toBe(
      '[HIGH] prod of cafe-API\\n?? (a1b2c3d4e5) drifted in eu-west-1',
    );
  });

  it.each([
    ['a line break', 'prod\n[INFO] fake', '[HIGH] prod\\n[INFO] fake of orders-api'],
    [
      'a carriage return and an ANSI erase',
      'prod\r\x1b[2K[INFO]',
      '[HIGH] prod\\r\\x1b[2K[INFO] of orders-api',
    ],
    [
      'a C1 control and a bidi override',
      'prod\u009b\u202eofni',
      '[HIGH] prod\\u009b\\u202eofni of orders-api',
    ],
    ['a backslash, so an escape cannot be forged', 'prod\\n', '[HIGH] prod\\\\n of orders-api'],
  ])('shows %s in a stage name as a visible escape', (_case, stageName, start) => {
    const subject = renderSnsSubject({ ...eventFor('REST', 'MODIFIED'), stageName });
    expect(subject.startsWith(start)).toBe(true);
    expect(subject).toMatch(/^[\x20-\x7e]+$/);
  });

  it('is printable ASCII, one line and under 100 characters for any stage and API name', () => {
    const event = eventFor('REST', 'MODIFIED');
    fc.assert(
      fc.property(
        fc.string({ maxLength: 300, unit: 'grapheme' }),
        fc.string({ maxLength: 300 }),
        (stageName, name) => {
          const subject = renderSnsSubject({ ...event, stageName, api: { ...event.api, name } });
          expect(subject.length).toBeLessThan(100);
          expect(subject).toMatch(/^[\x20-\x7e]+$/);
          expect(subject.startsWith('[HIGH] ')).toBe(true);
        },
      ),
      { numRuns: 300 },
    );
  });
});

describe('renderSnsMessage', () => {
  it('sets the eight String attributes a filter policy matches on', () => {
    const { MessageAttributes } = renderSnsMessage(eventFor('HTTP', 'MODIFIED'));
    expect(MessageAttributes).toEqual({
      severity: { DataType: 'String', StringValue: 'HIGH' },
      change: { DataType: 'String', StringValue: 'MODIFIED' },
      apiType: { DataType: 'String', StringValue: 'HTTP' },
      region: { DataType: 'String', StringValue: 'eu-west-1' },
      account: { DataType: 'String', StringValue: '123456789012' },
      apiId: { DataType: 'String', StringValue: 'h7t7p9x2k1' },
      stageName: { DataType: 'String', StringValue: 'prod' },
      source: { DataType: 'String', StringValue: 'unattributed' },
    });
    expect(Object.keys(MessageAttributes).length).toBeLessThanOrEqual(10);
  });

  it('sets source to the attributed change source', () => {
    const event = eventFor('HTTP', 'MODIFIED');
    const { MessageAttributes } = renderSnsMessage({
      ...event,
      attribution: {
        status: 'attributed',
        principalArn: 'arn:aws:iam::123456789012:user/tf',
        principalType: 'IAMUser',
        eventName: 'UpdateStage',
        eventTime: '2026-11-21T09:59:00Z',
        eventId: 'e1',
        source: 'terraform',
      },
    });
    expect(MessageAttributes.source).toEqual({ DataType: 'String', StringValue: 'terraform' });
  });

  it('keeps every change when the message fits', () => {
    const message = JSON.parse(renderSnsMessage(eventFor('REST', 'MODIFIED')).Message) as Record<
      string,
      unknown
    >;
    expect(message.changeCount).toBe(7);
    expect(message.changes).toHaveLength(7);
    expect(message).not.toHaveProperty('changesOmitted');
  });

  it('cuts a message over 256 KB to the most severe changes that fit, says how many are left out and how to see them', () => {
    const event = hugeEvent(1000);
    const rendered = renderSnsMessage(event);
    expect(snsMessageBytes(rendered)).toBeLessThanOrEqual(SNS_MAX_MESSAGE_BYTES);
    const message = JSON.parse(rendered.Message) as {
      changes: Change[];
      changeCount: number;
      changesOmitted: number;
      note: string;
    };
    expect(message.changeCount).toBe(1000);
    expect(message.changes.length + message.changesOmitted).toBe(1000);
    expect(message.changes.length).toBeGreaterThan(150);
    // All 100 HIGH changes come first and are kept.
    expect(message.changes.slice(0, 100).every((c) => c.severity === 'HIGH')).toBe(true);
    expect(message.note).toContain('stage-drift show h7t7p9x2k1 prod --region eu-west-1');
    // And the cut is tight: one more change would not fit.
    expect(
      snsMessageBytes(
        renderSnsMessage(
          { ...event, changes: event.changes.slice(0) },
          { maxBytes: snsMessageBytes(rendered) - 1 },
        ),
      ),
    ).toBeLessThan(snsMessageBytes(rendered));
  });

  it('adds to changes the store already left out', () => {
    const event = { ...eventFor('REST', 'MODIFIED'), changesOmitted: 40 };
    const message = JSON.parse(renderSnsMessage(event).Message) as Record<string, unknown>;
    expect(message).toMatchObject({ changeCount: 47, changesOmitted: 40 });
    expect(message.note).toContain('stage-drift show a1b2c3d4e5 prod --region eu-west-1');
  });

  it('quotes a stage name the shell would expand in the note', () => {
    const event = { ...hugeEvent(10), stageName: '$default' };
    const message = JSON.parse(renderSnsMessage(event, { maxBytes: 4000 }).Message) as { note: string };
    expect(message.note).toContain("stage-drift show h7t7p9x2k1 '$default' --region eu-west-1");
  });

  it('never drops the event: with no room for any change it still sends the stage and the note', () => {
    const message = JSON.parse(renderSnsMessage(hugeEvent(5), { maxBytes: 100 }).Message) as Record<
      string,
      unknown
    >;
    expect(message).toMatchObject({ changes: [], changesOmitted: 5, eventId: expect.any(String) });
  });

  it('links the console of the partition, or the given origin', () => {
    const event = eventFor('REST', 'DELETED');
    const link = (e: DriftEventRecord, base?: string) =>
      (
        JSON.parse(renderSnsMessage(e, base ? { consoleBaseUrl: base } : {}).Message) as {
          consoleUrl: string;
        }
      ).consoleUrl;
    expect(link({ ...event, region: 'cn-north-1' })).toBe(
      'https://cn-north-1.console.amazonaws.cn/apigateway/main/apis/a1b2c3d4e5/stages?api=a1b2c3d4e5&region=cn-north-1',
    );
    expect(link(event, 'https://console.example.com/')).toBe(
      'https://console.example.com/apigateway/main/apis/a1b2c3d4e5/stages?api=a1b2c3d4e5&region=eu-west-1',
    );
  });
});
