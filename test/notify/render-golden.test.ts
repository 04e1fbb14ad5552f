import type { ApiType, StageChangeKind } from '../../shared/model';
import { renderSlackDigest, renderSlackMessage, renderSnsMessage } from '../../shared/notify';
import { CHANGE_KINDS, eventFor, manyEvents } from './fixtures';
import { expectGolden } from './golden';
import { previewSlackMessage } from './slack-preview';

// Every change kind for both API versions (REST = v1, HTTP = v2) plus a WebSocket stage, as
// golden files. After an intended change: UPDATE_GOLDEN=1 npx jest test/notify, then review the diff.

const CASES: readonly [ApiType, StageChangeKind][] = [
  ...CHANGE_KINDS.map((k): [ApiType, StageChangeKind] => ['REST', k]),
  ...CHANGE_KINDS.map((k): [ApiType, StageChangeKind] => ['HTTP', k]),
  ['WEBSOCKET', 'MODIFIED'],
];

const fileName = (apiType: ApiType, change: StageChangeKind) => `${apiType}-${change}`.toLowerCase();

describe.each(CASES)('the alert of a %s stage %s', (apiType, change) => {
  const event = eventFor(apiType, change);

  it('renders the SNS subject, attributes and JSON message of its golden file', () => {
    const message = renderSnsMessage(event);
    const parsed: unknown = JSON.parse(message.Message);
    expect(message.Message).toBe(JSON.stringify(parsed, null, 2));
    expectGolden(
      `${fileName(apiType, change)}.sns.json`,
      `${JSON.stringify({ Subject: message.Subject, MessageAttributes: message.MessageAttributes, Message: parsed }, null, 2)}\n`,
    );
  });

  it('renders the Slack Block Kit message of its golden files (JSON and a text preview)', () => {
    const message = renderSlackMessage(event);
    expectGolden(`${fileName(apiType, change)}.slack.json`, `${JSON.stringify(message, null, 2)}\n`);
    expectGolden(`${fileName(apiType, change)}.slack.txt`, previewSlackMessage(message));
  });
});

it('renders a digest of twelve events as its golden files', () => {
  const digest = renderSlackDigest(manyEvents(12));
  expectGolden('digest.slack.json', `${JSON.stringify(digest, null, 2)}\n`);
  expectGolden('digest.slack.txt', previewSlackMessage(digest));
});
