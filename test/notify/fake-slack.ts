import { createServer } from 'node:http';
import type { IncomingHttpHeaders, Server } from 'node:http';
import { ManualClock } from '../../shared/runtime';

export interface SlackReply {
  readonly status: number;
  readonly body?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

export interface ReceivedRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
  /** `clock.now()` when the request arrived (virtual time). */
  readonly at: number;
}

/** A local HTTP server standing in for a Slack incoming webhook (node:http on a random port). */
export interface FakeSlack {
  /** A webhook URL on this server; the path looks like a real one and is the secret part. */
  readonly webhookUrl: string;
  readonly requests: ReceivedRequest[];
  /** Answers for the next requests, in order; then `fallback` (default 200 "ok"). */
  reply(...replies: SlackReply[]): void;
  /** Decides the answer from the request instead of the queue. */
  answerWith(decide: (request: ReceivedRequest) => SlackReply | undefined): void;
  reset(): void;
  /** Closes the server: the next request fails to connect. */
  stop(): Promise<void>;
}

export const WEBHOOK_PATH = '/services/T0TEST000/B0TEST000/s3cretW3bh00kT0kenXYZ';

export const startFakeSlack = async (
  clock: { now(): number } = { now: () => Date.now() },
): Promise<FakeSlack> => {
  const requests: ReceivedRequest[] = [];
  let queue: SlackReply[] = [];
  let decide: ((request: ReceivedRequest) => SlackReply | undefined) | undefined;
  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const request: ReceivedRequest = {
        method: req.method ?? '',
        path: req.url ?? '',
        headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'),
        at: clock.now(),
      };
      requests.push(request);
      const reply = decide?.(request) ?? queue.shift() ?? { status: 200, body: 'ok' };
      res.writeHead(reply.status, { 'content-type': 'text/plain', ...reply.headers });
      res.end(reply.body ?? '');
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    webhookUrl: `http://127.0.0.1:${port}${WEBHOOK_PATH}`,
    requests,
    reply: (...replies) => queue.push(...replies),
    answerWith: (fn) => {
      decide = fn;
    },
    reset: () => {
      requests.length = 0;
      queue = [];
      decide = undefined;
    },
    stop: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};

/** Virtual time: `sleep` records the wait and moves the clock, at once. */
export const virtualClock = (start = Date.parse('2026-11-21T10:00:00.000Z')): ManualClock =>
  new ManualClock({ start, mode: 'on-sleep' });
