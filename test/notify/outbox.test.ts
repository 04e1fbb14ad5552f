import fc from 'fast-check';
import { severityRank } from '../../shared/model';
import type { DriftEventFeed, OutboxDeps } from '../../shared/notify';
import { deliverPending, OUTBOX_WINDOW_DAYS } from '../../shared/notify';
import type { DeliveryChannel, DeliveryLog } from '../../shared/notify/delivery-log';
import { SnsDeliveryError } from '../../shared/notify/errors';
import type { SlackSender } from '../../shared/notify/slack-webhook-sender';
import type { SnsSink } from '../../shared/notify/sns-publisher';
import type { DriftEventRecord, EventPageQuery } from '../../shared/store';
import { DETECTED_AT, manyEvents } from './fixtures';

// The outbox use case with plain objects: a feed over an array, marks in a Map.

const NOW = new Date(Date.parse(DETECTED_AT) + 86_400_000);

/** The store's paging contract: oldest first, `limit` a page, `next` = the last GSI1SK read. */
const arrayFeed = (events: readonly DriftEventRecord[]) => {
  const queries: EventPageQuery[] = [];
  const sortKey = (e: DriftEventRecord) => `${e.detectedAt}#${e.id}`;
  const sorted = [...events].sort((a, b) => (sortKey(a) < sortKey(b) ? -1 : 1));
  const feed: DriftEventFeed = {
    listEventsOldestFirst: (query) => {
      queries.push(query);
      const inWindow = sorted.filter(
        (e) =>
          e.detectedAt >= query.since &&
          e.detectedAt <= query.until &&
          (query.after === undefined || sortKey(e) > query.after),
      );
      const page = inWindow.slice(0, query.limit);
      const more = inWindow.length > query.limit;
      return Promise.resolve({
        events: page,
        problems: [],
        ...(more ? { next: sortKey(page.at(-1)!) } : {}),
      });
    },
  };
  return { feed, queries };
};

const memoryLog = (marked: Iterable<[string, DeliveryChannel]> = []) => {
  const marks = new Set([...marked].map(([id, channel]) => `${id}/${channel}`));
  const log: DeliveryLog = {
    handled: (ids, channel) => Promise.resolve(new Set(ids.filter((id) => marks.has(`${id}/${channel}`)))),
    record: (id, channel) => {
      const key = `${id}/${channel}`;
      if (marks.has(key)) return Promise.resolve(false);
      marks.add(key);
      return Promise.resolve(true);
    },
  };
  return { log, marks };
};

/** SNS that records event ids, or refuses (retryably) while `down`. */
const sns = () => {
  const sent: string[] = [];
  const state = { down: false };
  const publisher: SnsSink = {
    publish: (_message, { eventId }) => {
      if (state.down)
        return Promise.reject(
          new SnsDeliveryError('SNS Publish failed: NotFound: Topic does not exist', { retryable: true }),
        );
      sent.push(eventId);
      return Promise.resolve(`m-${sent.length}`);
    },
  };
  return { publisher, sent, state };
};

const slack = () => {
  let messages = 0;
  const sender: SlackSender = {
    send: () => {
      messages += 1;
      return Promise.resolve();
    },
  };
  return { sender, messages: () => messages };
};

/** Both channels (Slack one message an event), over `events`, with `log`'s marks. */
const bothChannels = (events: readonly DriftEventRecord[], log: DeliveryLog, pageSize: number) => {
  const channel = sns();
  const chat = slack();
  const deps: OutboxDeps = {
    feed: arrayFeed(events).feed,
    publish: {
      sns: { publisher: channel.publisher },
      slack: { sender: chat.sender, digestThreshold: 100 },
      deliveryLog: log,
    },
    pageSize,
  };
  return { deps, channel, chat };
};

describe('deliverPending', () => {
  it('sends the pending events oldest first, page by page, and skips those already marked', async () => {
    // Prepare
    const events = manyEvents(7);
    const { feed, queries } = arrayFeed([...events].reverse());
    const { log } = memoryLog([[events[1]!.id, 'SNS']]);
    const channel = sns();
    // Act
    const result = await deliverPending(
      { feed, publish: { sns: { publisher: channel.publisher }, deliveryLog: log }, pageSize: 3 },
      { now: NOW },
    );
    // Assess
    expect(channel.sent).toEqual(events.filter((_, i) => i !== 1).map((e) => e.id));
    expect(result).toMatchObject({ published: 6, fromEarlierRuns: 6, shortfalls: [] });
    expect(queries.map((q) => q.after === undefined)).toEqual([true, false, false]);
    expect(queries[0]!.since).toBe(new Date(NOW.getTime() - OUTBOX_WINDOW_DAYS * 86_400_000).toISOString());
  });

  it('sends fresh events the feed does not list yet, and does not count them as earlier', async () => {
    const [older, fresh] = manyEvents(2);
    const channel = sns();
    const result = await deliverPending(
      {
        feed: arrayFeed([older!]).feed,
        publish: { sns: { publisher: channel.publisher }, deliveryLog: memoryLog().log },
      },
      { now: NOW, fresh: [fresh!] },
    );
    expect(channel.sent).toEqual([older!.id, fresh!.id]);
    expect(result).toMatchObject({ published: 2, fromEarlierRuns: 1 });
  });

  it('stops sending to a channel that is down, counts what stays pending there and still sends to the other', async () => {
    // Prepare
    const events = manyEvents(6);
    const { deps, channel, chat } = bothChannels(events, memoryLog().log, 2);
    channel.state.down = true;
    // Act
    const result = await deliverPending(deps, { now: NOW });
    // Assess
    const slackBound = events.filter((e) => severityRank(e.severity) >= severityRank('MEDIUM'));
    expect(chat.messages()).toBe(slackBound.length);
    expect(result.shortfalls).toEqual([
      { channel: 'SNS', pending: 6, refused: 0, cause: expect.stringMatching(/NotFound/) as string },
    ]);
  });

  it('sends every event once per channel that wants it, whatever was marked before and whichever run failed', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: 0, max: 12 }),
        fc.array(fc.tuple(fc.nat(11), fc.constantFrom<DeliveryChannel>('SNS', 'SLACK'))),
        fc.boolean(),
        fc.integer({ min: 1, max: 5 }),
        async (count, premarked, snsDownFirst, pageSize) => {
          const events = manyEvents(count);
          const before = premarked
            .filter(([i]) => i < count)
            .map(([i, c]): [string, DeliveryChannel] => [events[i]!.id, c]);
          const { log, marks } = memoryLog(before);
          const { deps, channel, chat } = bothChannels(events, log, pageSize);
          channel.state.down = snsDownFirst;
          await deliverPending(deps, { now: NOW });
          channel.state.down = false;
          await deliverPending(deps, { now: NOW });
          await deliverPending(deps, { now: NOW });
          const premarkedSns = new Set(before.filter(([, c]) => c === 'SNS').map(([id]) => id));
          expect([...channel.sent].sort()).toEqual(
            events
              .map((e) => e.id)
              .filter((id) => !premarkedSns.has(id))
              .sort(),
          );
          const premarkedSlack = new Set(before.filter(([, c]) => c === 'SLACK').map(([id]) => id));
          const slackBound = events.filter(
            (e) => severityRank(e.severity) >= severityRank('MEDIUM') && !premarkedSlack.has(e.id),
          );
          expect(chat.messages()).toBe(slackBound.length);
          for (const event of events) expect(marks.has(`${event.id}/SNS`)).toBe(true);
        },
      ),
    );
  });
});
