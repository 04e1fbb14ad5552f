import fc from 'fast-check';
import type { Change, Severity } from '../../shared/model';
import { SEVERITIES } from '../../shared/model';
import type { SlackBlock, SlackMessage } from '../../shared/notify/slack-message';
import {
  formatChangeLine,
  renderSlackDigest,
  renderSlackMessage,
  SLACK_LIMITS,
} from '../../shared/notify/slack-message';
import type { DriftEventRecord } from '../../shared/store';
import { eventFor, manyEvents } from './fixtures';

const texts = (block: SlackBlock): string[] => {
  switch (block.type) {
    case 'header':
      return [block.text.text];
    case 'section':
      return [...(block.text ? [block.text.text] : []), ...(block.fields ?? []).map((f) => f.text)];
    case 'context':
      return block.elements.map((e) => e.text);
    case 'divider':
      return [];
  }
};

const expectWithinSlackLimits = (message: SlackMessage) => {
  expect(message.blocks.length).toBeLessThanOrEqual(SLACK_LIMITS.blocks);
  for (const block of message.blocks) {
    if (block.type === 'header') expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.headerText);
    if (block.type === 'section') {
      if (block.text) expect(block.text.text.length).toBeLessThanOrEqual(SLACK_LIMITS.sectionText);
      expect((block.fields ?? []).length).toBeLessThanOrEqual(SLACK_LIMITS.fields);
      for (const f of block.fields ?? []) expect(f.text.length).toBeLessThanOrEqual(SLACK_LIMITS.fieldText);
    }
    if (block.type === 'context')
      for (const e of block.elements) expect(e.text.length).toBeLessThanOrEqual(3000);
  }
};

const change = (i: number, severity: Severity, size = 50): Change => ({
  path: ['methodSettings', `r${i}/GET`, 'cacheTtlInSeconds'],
  label: `Cache TTL in seconds (r${i}/GET)`,
  kind: 'changed',
  before: 'a'.repeat(size),
  after: 'b'.repeat(size),
  severity,
  rule: 'cache-ttl',
});

const withChanges = (changes: Change[]): DriftEventRecord => ({ ...eventFor('REST', 'MODIFIED'), changes });

describe('renderSlackMessage', () => {
  it('puts severity and stage in the header, the API facts in fields and each change as "label: before -> after"', () => {
    const message = renderSlackMessage(eventFor('REST', 'MODIFIED'));
    expect(message.blocks[0]).toEqual({
      type: 'header',
      text: { type: 'plain_text', text: ':red_circle: HIGH: prod of orders-api drifted', emoji: true },
    });
    const fields = (message.blocks[1] as unknown as { fields: { text: string }[] }).fields.map((f) => f.text);
    expect(fields).toEqual([
      '*API*\norders-api',
      '*API id*\n`a1b2c3d4e5`',
      '*Type*\nREST',
      '*Region*\n`eu-west-1`',
      '*Account*\n`123456789012`',
      '*Change*\nMODIFIED, 7 field changes',
    ]);
    const all = message.blocks.flatMap(texts).join('\n');
    expect(all).toContain('[HIGH] Execution logging level (*/*): INFO -> OFF  [APIGateway.1]');
    expect(all).toContain(
      '<https://eu-west-1.console.aws.amazon.com/apigateway/main/apis/a1b2c3d4e5/stages?api=a1b2c3d4e5&amp;region=eu-west-1|',
    );
    expect(message.blocks.at(-1)).toMatchObject({ type: 'context' });
    expect(texts(message.blocks.at(-1)!)[0]).toContain(
      '<!date^1795255200^Detected {date_short_pretty} at {time}|',
    );
  });

  it('links HTTP and WebSocket APIs to their page in the v2 console', () => {
    const all = renderSlackMessage(eventFor('WEBSOCKET', 'MODIFIED')).blocks.flatMap(texts).join('\n');
    expect(all).toContain(
      '<https://eu-west-1.console.aws.amazon.com/apigateway/main/api-detail?api=w5s0c8k3t4&amp;region=eu-west-1|',
    );
  });

  it('escapes &, < and > in names so a crafted API name cannot add links or mentions', () => {
    const event = eventFor('HTTP', 'DELETED');
    const message = renderSlackMessage({
      ...event,
      api: { ...event.api, name: '<!channel> & <https://evil|x>' },
    });
    const fields = (message.blocks[1] as unknown as { fields: { text: string }[] }).fields;
    expect(fields[0]!.text).toBe('*API*\n&lt;!channel&gt; &amp; &lt;https://evil|x&gt;');
    expect(message.text).toContain('&lt;!channel&gt;');
    expect(message.text).not.toContain('<!channel>');
  });

  it('lists at most 25 changes and says how many more there are and how to see them', () => {
    const event = withChanges(Array.from({ length: 60 }, (_, i) => change(i, i < 3 ? 'HIGH' : 'LOW')));
    const all = renderSlackMessage(event).blocks.flatMap(texts).join('\n');
    expect(all.match(/^\[(HIGH|LOW)\]/gm)).toHaveLength(25);
    expect(all).toContain(
      '…and 35 more changes. See the stage with: stage-drift show a1b2c3d4e5 prod --region eu-west-1 (and every change with: stage-drift history a1b2c3d4e5 prod --region eu-west-1)',
    );
  });

  it('cuts long values with an ellipsis', () => {
    const line = formatChangeLine(change(1, 'LOW', 5000));
    expect(line.length).toBeLessThan(500);
    expect(line).toContain('a'.repeat(199) + '…');
  });

  it('stays within 50 blocks and 3,000 characters a section for any change list', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.constantFrom(...SEVERITIES), fc.integer({ min: 0, max: 4000 })), {
          maxLength: 400,
        }),
        fc.integer({ min: 1, max: 400 }),
        (specs, maxChanges) => {
          const event = withChanges(specs.map(([severity, size], i) => change(i, severity, size)));
          const message = renderSlackMessage(event, { maxChanges, maxValueChars: 3000 });
          expectWithinSlackLimits(message);
          const listed =
            message.blocks
              .flatMap(texts)
              .join('\n')
              .match(/^\[[A-Z]+\] Cache/gm)?.length ?? 0;
          if (listed < specs.length)
            expect(message.blocks.flatMap(texts).join('\n')).toContain('more change');
        },
      ),
      { numRuns: 60 },
    );
  });
});

describe('renderSlackDigest', () => {
  it('counts events by severity and lists the worst ten first', () => {
    const events = manyEvents(14);
    const digest = renderSlackDigest(events);
    expect(digest.text).toBe('14 API Gateway stages drifted: 7 HIGH, 3 MEDIUM, 4 INFO');
    const list = texts(digest.blocks[2]!)[0]!.split('\n');
    expect(list).toHaveLength(10);
    expect(list.slice(0, 7).every((l) => l.startsWith('• *HIGH*'))).toBe(true);
    expect(texts(digest.blocks.at(-1)!)[0]).toContain('4 more not listed');
    expectWithinSlackLimits(digest);
  });

  it('stays within Slack limits for a thousand events', () => {
    const digest = renderSlackDigest(manyEvents(40), { listSize: 1000 });
    expectWithinSlackLimits(digest);
  });
});

describe('stage data in Slack messages', () => {
  /** Control, bidi and separator characters; `\n` is checked per block below. */
  const UNSAFE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;
  const riskyText = fc.string({
    unit: fc.oneof(
      fc.constantFrom('a', ' ', '\\', 'n', '*', '<', '>', '&', '`', '|', '!'),
      fc.constantFrom('\n', '\r', '\t', '\x1b', '\x7f', '\u0085', '\u009b', '\u202e', '\u2066', '\u2028'),
    ),
    minLength: 1,
    maxLength: 20,
  });
  const crafted = (stageName: string, name: string, label: string, value: string): DriftEventRecord => {
    const event = eventFor('REST', 'MODIFIED');
    return {
      ...event,
      stageName,
      api: { ...event.api, name },
      changes: [
        { ...event.changes[0]!, severity: 'HIGH', label, before: value, after: `${value}2` },
        ...event.changes.slice(1),
      ],
    };
  };

  it('lets no control, bidi or separator character through and starts no line of its own', () => {
    fc.assert(
      fc.property(riskyText, riskyText, riskyText, riskyText, (stageName, name, label, value) => {
        const event = crafted(stageName, name, label, value);
        const plainEvent = crafted('prod', 'orders-api', 'Tag owner', 'platform');
        const lineCounts = (m: SlackMessage) =>
          m.blocks.map((b) => texts(b).map((t) => t.split('\n').length));
        const message = renderSlackMessage(event);
        for (const text of [message.text, ...message.blocks.flatMap(texts)]) expect(text).not.toMatch(UNSAFE);
        expect(message.text).not.toContain('\n');
        expect(lineCounts(message)).toEqual(lineCounts(renderSlackMessage(plainEvent)));
        const digest = renderSlackDigest([event, plainEvent]);
        for (const text of [digest.text, ...digest.blocks.flatMap(texts)]) expect(text).not.toMatch(UNSAFE);
        expect(lineCounts(digest)).toEqual(lineCounts(renderSlackDigest([plainEvent, plainEvent])));
      }),
      { numRuns: 100 },
    );
  });

  it("writes a stage name with a line break in the show command as $'...' quoting, on one line", () => {
    const event = {
      ...withChanges(Array.from({ length: 30 }, (_, i) => change(i, 'LOW'))),
      stageName: "p'rod\n[HIGH]",
    };
    const sections = renderSlackMessage(event).blocks.flatMap(texts);
    const note = sections.find((t) => t.includes('more changes'));
    expect(note).toContain("stage-drift show a1b2c3d4e5 $'p\\'rod\\n[HIGH]' --region eu-west-1");
    expect(note).not.toContain('\n');
  });

  it('shows a newline and an ANSI sequence in a tag visibly, so a line cannot be forged', () => {
    const event = crafted('prod\n[INFO] fake', 'orders-api', 'Tag owner', 'x\n[LOW] all clear\x1b[2K');
    const message = renderSlackMessage(event);
    const all = message.blocks.flatMap(texts).join('\n');
    expect(all).toContain('[HIGH] Tag owner: x\\n[LOW] all clear\\x1b[2K -> x\\n[LOW] all clear\\x1b[2K2');
    expect(all).not.toMatch(/^\[LOW\] all clear/m);
    expect(message.blocks[0]).toMatchObject({
      text: { text: ':red_circle: HIGH: prod\\n[INFO] fake of orders-api drifted' },
    });
    expect(message.text).toContain('prod\\n[INFO] fake of orders-api');
  });
});
