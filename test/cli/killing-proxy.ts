import type { ChildProcess } from 'node:child_process';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * Where to `kill -9` the CLI: when its `atRequest`-th AWS request arrives (that request is never
 * answered), or `afterMs` after it started.
 */
export interface KillPlan {
  readonly atRequest?: number;
  readonly afterMs?: number;
}

export interface KillingProxy {
  /** For `AWS_ENDPOINT_URL`: every AWS call of the CLI goes through the proxy to moto. */
  readonly endpoint: string;
  /** AWS requests that reached the proxy since the last `watch`. */
  readonly requests: () => number;
  /** Counts the requests of `child` from 0 and kills it as `plan` says. */
  watch(child: ChildProcess, plan?: KillPlan): void;
  close(): Promise<void>;
}

const isSnsPublish = (body: string): boolean => /(^|&)Action=Publish(&|$)/.test(body);

/**
 * An HTTP proxy in front of moto that kills the CLI with SIGKILL at a chosen point. A timed kill
 * never falls between an SNS Publish leaving and the CLI's next request: that window (the topic
 * took the alert, the delivery mark is not written yet) is the at-least-once window no standard
 * topic can close, so a kill there is deferred to the next request. With one publish in flight
 * (the CLI's setting), the next request comes only after the mark is written.
 */
export const startKillingProxy = async (target: string): Promise<KillingProxy> => {
  const upstream = new URL(target);
  let child: ChildProcess | undefined;
  let plan: KillPlan = {};
  let count = 0;
  let inPublishWindow = false;
  let killDeferred = false;
  let timer: NodeJS.Timeout | undefined;

  const kill = () => {
    if (timer) clearTimeout(timer);
    timer = undefined;
    killDeferred = false;
    child?.kill('SIGKILL');
    child = undefined;
  };

  const forward = (req: IncomingMessage, res: ServerResponse, body: Buffer) => {
    const out = request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: req.url,
        headers: req.headers,
      },
      (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    out.on('error', () => res.destroy());
    out.end(body);
  };

  const server: Server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      count += 1;
      inPublishWindow = false; // the CLI sent its next request: the last mark is written
      if (child && (killDeferred || plan.atRequest === count)) {
        kill();
        res.destroy();
        return;
      }
      if (isSnsPublish(body.toString('utf8'))) inPublishWindow = true;
      forward(req, res, body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    requests: () => count,
    watch: (watched, next = {}) => {
      if (timer) clearTimeout(timer);
      child = watched;
      plan = next;
      count = 0;
      inPublishWindow = false;
      killDeferred = false;
      watched.once('exit', () => {
        if (child === watched) child = undefined;
        if (timer) clearTimeout(timer);
      });
      if (next.afterMs !== undefined) {
        timer = setTimeout(() => {
          if (inPublishWindow) killDeferred = true;
          else kill();
        }, next.afterMs);
      }
    },
    close: () =>
      new Promise<void>((resolve) => {
        if (timer) clearTimeout(timer);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
};
