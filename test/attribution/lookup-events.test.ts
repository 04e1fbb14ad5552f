import type { Event as LookupEvent, LookupEventsCommandInput } from '@aws-sdk/client-cloudtrail';
import { CloudTrailClient, LookupEventsCommand, ThrottlingException } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { LookupEventsInputError, lookupStageEvents } from '../../shared/attribution';
import { COLLECTOR_CLIENT_CONFIG, CollectOptionsError } from '../../shared/collect';
import { ManualClock } from '../../shared/runtime';
import { eventOf } from './fixtures';

// moto does not implement LookupEvents, so the adapter is tested against aws-sdk-client-mock.

const START = new Date('2025-03-04T10:00:00Z');
const END = new Date('2025-03-04T10:30:00Z');

/** A LookupEvents `Event` as the service returns it, around a fixture's CloudTrail record. */
const lookupEvent = (name: string, overrides: Partial<LookupEvent> = {}): LookupEvent => {
  const detail = eventOf(name).detail;
  return {
    EventId: detail.eventID as string,
    EventName: detail.eventName as string,
    ReadOnly: String(detail.readOnly),
    EventTime: new Date(detail.eventTime as string),
    EventSource: detail.eventSource as string,
    Username: 'someone',
    Resources: [],
    CloudTrailEvent: JSON.stringify(detail),
    ...overrides,
  };
};

const throttled = () =>
  new ThrottlingException({ message: 'Rate exceeded', $metadata: { httpStatusCode: 400 } });

const setup = () => {
  const client = new CloudTrailClient({
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...COLLECTOR_CLIENT_CONFIG,
  });
  const mock = mockClient(client);
  const clock = new ManualClock({ start: Date.parse('2025-03-04T11:00:00Z') });
  /** When (virtual ms since start) each send reached the service. */
  const sentAt: number[] = [];
  const started = clock.now();
  const inputs = (): LookupEventsCommandInput[] =>
    mock.commandCalls(LookupEventsCommand).map((c) => c.args[0].input);
  return { client, mock, clock, sentAt, started, inputs };
};

let current: ReturnType<typeof setup> | undefined;
afterEach(() => {
  current?.mock.restore();
  current?.client.destroy();
  current = undefined;
});
const start = () => {
  current = setup();
  return current;
};

/** Answers each LookupEvents call from `pages[source]` in turn, noting when it arrived. */
const serve = (
  h: ReturnType<typeof setup>,
  pages: Record<string, ReadonlyArray<{ events: LookupEvent[]; next?: string }>>,
) => {
  const served: Record<string, number> = {};
  h.mock.on(LookupEventsCommand).callsFake((input: LookupEventsCommandInput) => {
    h.sentAt.push(h.clock.now() - h.started);
    const source = input.LookupAttributes?.[0]?.AttributeValue ?? '';
    const index = served[source] ?? 0;
    served[source] = index + 1;
    const page = pages[source]?.[index] ?? { events: [] };
    return { Events: page.events, ...(page.next === undefined ? {} : { NextToken: page.next }) };
  });
};

describe('lookupStageEvents', () => {
  it('pages each event source with NextToken and parses every CloudTrailEvent, newest first', async () => {
    // Prepare
    const h = start();
    serve(h, {
      'apigateway.amazonaws.com': [
        {
          events: [lookupEvent('rest-update-stage-boto3'), lookupEvent('rest-create-deployment-cli')],
          next: 'page-2',
        },
        { events: [lookupEvent('rest-update-stage-console')] },
      ],
      'wafv2.amazonaws.com': [{ events: [lookupEvent('waf-associate-stage-terraform')] }],
    });

    // Act
    const result = await lookupStageEvents(h.client, { start: START, end: END, clock: h.clock });

    // Assess
    expect(h.inputs()).toEqual([
      {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'apigateway.amazonaws.com' }],
        StartTime: START,
        EndTime: END,
        MaxResults: 50,
        NextToken: undefined,
      },
      {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'apigateway.amazonaws.com' }],
        StartTime: START,
        EndTime: END,
        MaxResults: 50,
        NextToken: 'page-2',
      },
      {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'wafv2.amazonaws.com' }],
        StartTime: START,
        EndTime: END,
        MaxResults: 50,
        NextToken: undefined,
      },
    ]);
    expect(result.records.map((r) => [r.eventTime, r.eventName])).toEqual([
      ['2025-03-04T10:17:05Z', 'AssociateWebACL'],
      ['2025-03-04T10:11:05Z', 'UpdateStage'],
      ['2025-03-04T10:07:12Z', 'CreateDeployment'],
      ['2025-03-04T10:04:41Z', 'UpdateStage'],
    ]);
    expect(result.records[1]).toMatchObject({
      requestParameters: { restApiId: 'a1b2c3d4e5', stageName: 'prod' },
      userIdentity: {
        type: 'AssumedRole',
        sessionIssuer: { arn: 'arn:aws:iam::123456789012:role/ops-scripts' },
      },
    });
    expect(result).toMatchObject({ complete: true, problems: [], scanned: 4 });
    expect(result.calls).toEqual({ LookupEvents: 3, throttled: 0, retries: 0 });
  });

  it('sends at most 2 requests per second (LookupEvents limit), without sleeping on the wall clock', async () => {
    const h = start();
    serve(h, {
      'apigateway.amazonaws.com': [
        { events: [], next: 'a' },
        { events: [], next: 'b' },
        { events: [], next: 'c' },
        { events: [] },
      ],
    });

    await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      eventSources: ['apigateway.amazonaws.com'],
    });

    expect(h.sentAt).toEqual([0, 500, 1000, 1500]);
  });

  it('leaves out read-only calls and calls that change no stage, and keeps failed calls for the caller', async () => {
    const h = start();
    serve(h, {
      'apigateway.amazonaws.com': [
        {
          events: [
            lookupEvent('rest-get-stages-console'),
            lookupEvent('rest-create-rest-api-cli'),
            lookupEvent('rest-update-stage-failed'),
            lookupEvent('rest-delete-stage-sdk'),
          ],
        },
      ],
    });

    const result = await lookupStageEvents(h.client, { start: START, end: END, clock: h.clock });

    expect(result.records.map((r) => [r.eventName, r.errorCode])).toEqual([
      ['DeleteStage', undefined],
      ['UpdateStage', 'AccessDenied'],
    ]);
    expect(result.scanned).toBe(4);
  });

  it('retries ThrottlingException with backoff, then goes on paging', async () => {
    const h = start();
    let attempts = 0;
    h.mock.on(LookupEventsCommand).callsFake(() => {
      h.sentAt.push(h.clock.now() - h.started);
      attempts += 1;
      if (attempts <= 2) throw throttled();
      return { Events: [lookupEvent('rest-update-stage-console')] };
    });

    const result = await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      random: () => 0.5,
      eventSources: ['apigateway.amazonaws.com'],
    });

    expect(result).toMatchObject({ complete: true, calls: { LookupEvents: 3, throttled: 2, retries: 2 } });
    expect(result.records).toHaveLength(1);
    // Backoff 250 ms then 500 ms (half of 500 and 1000, full jitter at 0.5), each then paced by the bucket.
    expect(h.sentAt).toEqual([0, 500, 1000]);
    expect(h.clock.sleeps).toEqual([250, 250, 500]);
  });

  it('gives up on throttling at the deadline, says the result is incomplete, and still reads the next source', async () => {
    const h = start();
    h.mock
      .on(LookupEventsCommand, {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'apigateway.amazonaws.com' }],
      })
      .rejects(throttled())
      .on(LookupEventsCommand, {
        LookupAttributes: [{ AttributeKey: 'EventSource', AttributeValue: 'wafv2.amazonaws.com' }],
      })
      .resolves({ Events: [lookupEvent('waf-associate-stage-terraform')] });

    const result = await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      retry: { throttleDeadlineMs: 10_000 },
    });

    expect(result.complete).toBe(false);
    expect(result.incompleteReason).toMatch(
      /^LookupEvents on apigateway\.amazonaws\.com failed with ThrottlingException: still throttled after \d+ attempts/,
    );
    expect(result.records.map((r) => r.eventName)).toEqual(['AssociateWebACL']);
    expect(result.failures).toEqual([
      expect.objectContaining({
        source: 'apigateway.amazonaws.com',
        kind: 'throttled',
        errorName: 'ThrottlingException',
      }),
    ]);
    expect(h.clock.now() - h.started).toBeGreaterThanOrEqual(10_000);
    expect(h.clock.now() - h.started).toBeLessThan(12_000);
  });

  it('says how to fix a missing cloudtrail:LookupEvents permission', async () => {
    const h = start();
    const denied = Object.assign(new Error('User is not authorized to perform: cloudtrail:LookupEvents'), {
      name: 'AccessDeniedException',
      $metadata: { httpStatusCode: 400 },
    });
    h.mock.on(LookupEventsCommand).rejects(denied);

    const result = await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      eventSources: ['apigateway.amazonaws.com'],
    });

    expect(result).toMatchObject({ complete: false, records: [], calls: { LookupEvents: 1 } });
    expect(result.incompleteReason).toBe(
      'LookupEvents on apigateway.amazonaws.com failed with AccessDeniedException ' +
        '(grant cloudtrail:LookupEvents to the snapshot role): User is not authorized to perform: cloudtrail:LookupEvents',
    );
    expect(result.failures).toEqual([
      {
        source: 'apigateway.amazonaws.com',
        kind: 'access-denied',
        errorName: 'AccessDeniedException',
        httpStatus: 400,
        message: 'User is not authorized to perform: cloudtrail:LookupEvents',
      },
    ]);
  });

  it('stops after maxPages and says older calls were not read', async () => {
    const h = start();
    let page = 0;
    h.mock.on(LookupEventsCommand).callsFake(() => {
      page += 1;
      return { Events: [], NextToken: `token-${page}` };
    });

    const result = await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      maxPages: 3,
      eventSources: ['apigateway.amazonaws.com'],
    });

    expect(result.calls.LookupEvents).toBe(3);
    expect(result.incompleteReason).toBe(
      'stopped after 3 pages of apigateway.amazonaws.com (maxPages); older calls in the window were not read',
    );
  });

  it('stops when the service repeats a NextToken instead of looping', async () => {
    const h = start();
    h.mock.on(LookupEventsCommand).resolves({ Events: [], NextToken: 'same' });

    const result = await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      eventSources: ['apigateway.amazonaws.com'],
    });

    expect(result.calls.LookupEvents).toBe(2);
    expect(result.incompleteReason).toMatch(/returned a NextToken twice/);
  });

  it('keeps the readable events when one CloudTrailEvent is not, and counts a repeated event once', async () => {
    const h = start();
    const repeated = lookupEvent('rest-update-stage-console');
    serve(h, {
      'apigateway.amazonaws.com': [
        {
          events: [repeated, lookupEvent('rest-delete-stage-sdk', { CloudTrailEvent: '{"eventName":' })],
          next: 'n',
        },
        { events: [repeated] },
      ],
    });

    const result = await lookupStageEvents(h.client, {
      start: START,
      end: END,
      clock: h.clock,
      eventSources: ['apigateway.amazonaws.com'],
    });

    expect(result.records.map((r) => r.eventName)).toEqual(['UpdateStage']);
    expect(result.problems).toEqual([
      {
        eventId: lookupEvent('rest-delete-stage-sdk').EventId,
        message: 'The CloudTrail record is not valid JSON.',
      },
    ]);
  });

  it('rethrows what is not a service error (a bug), rather than calling it an incomplete lookup', async () => {
    const h = start();
    h.mock.on(LookupEventsCommand).callsFake(() => {
      throw new TypeError('boom');
    });

    await expect(lookupStageEvents(h.client, { start: START, end: END, clock: h.clock })).rejects.toThrow(
      TypeError,
    );
  });

  it('refuses a window that ends before it starts, and a client that would retry on its own', async () => {
    const h = start();
    await expect(lookupStageEvents(h.client, { start: END, end: START, clock: h.clock })).rejects.toThrow(
      LookupEventsInputError,
    );
    const retrying = new CloudTrailClient({ region: 'us-east-1', maxAttempts: 3 });
    await expect(lookupStageEvents(retrying, { start: START, end: END })).rejects.toThrow(
      CollectOptionsError,
    );
    retrying.destroy();
    expect(h.inputs()).toEqual([]);
  });
});
