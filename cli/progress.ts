import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { CliIo } from './io';

// The progress line of a long scan: one line on stderr, redrawn in place with `\r` and erase-line
// (ESC [K). Hand-written rather than a library (cli-progress, ora, log-update): it is one line of
// counters, the libraries bring bars, spinners and their own timers and streams, and the ESM-only
// ones do not load in this CommonJS CLI on Node 20.

const ERASE_LINE = '\r\u001b[K';

/** Progress only on a terminal: never in piped or `--format json` output, off with NO_COLOR or `--quiet`. */
export const showProgress = (
  io: Pick<CliIo, 'stderrIsTty' | 'env'>,
  options: { readonly format?: string; readonly quiet?: boolean },
): boolean =>
  io.stderrIsTty === true && !io.env.NO_COLOR && options.quiet !== true && options.format !== 'json';

export interface ScanProgressOptions {
  readonly write: (text: string) => void;
  /** Terminal width: the line is cut to fit. @default 80 */
  readonly columns?: number;
  /** Milliseconds, monotonic. */
  readonly now: () => number;
  /** The scan's request budget, for the ETA. */
  readonly requestsPerSecond: number;
  /** Nothing is shown for a scan shorter than this. @default 1000 */
  readonly showAfterMs?: number;
  /** @default 100 */
  readonly redrawEveryMs?: number;
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

/** Counts what the scan's control-plane calls did and draws them, at most every `redrawEveryMs`. */
export class ScanProgress {
  private readonly started: number;
  private apisListed = 0;
  private apisRead = 0;
  private stages = 0;
  private throttles = 0;
  private lastDrawn: number | undefined;
  private lastLine = '';

  constructor(private readonly options: ScanProgressOptions) {
    this.started = options.now();
  }

  /** A listing page named this many APIs (each needs one stage read). */
  listed(apis: number): void {
    this.apisListed += apis;
    this.tick();
  }

  /** The stages of one API were read (or its read failed for good). */
  stagesRead(stages: number): void {
    this.apisRead += 1;
    this.stages += stages;
    this.tick();
  }

  /** A call was throttled (429) and will be retried. */
  throttled(): void {
    this.throttles += 1;
    this.tick();
  }

  /** Redraws if the scan has run for long enough and the last draw is old enough. */
  tick(): void {
    const now = this.options.now();
    if (now - this.started < (this.options.showAfterMs ?? 1000)) return;
    if (this.lastDrawn !== undefined && now - this.lastDrawn < (this.options.redrawEveryMs ?? 100)) return;
    const width = Math.max(20, (this.options.columns ?? 80) - 1);
    const line = this.line().slice(0, width);
    if (line === this.lastLine) return;
    this.lastDrawn = now;
    this.lastLine = line;
    this.options.write(`${ERASE_LINE}${line}`);
  }

  /** Erases the line (if one was drawn), so what follows starts on a clean line. */
  done(): void {
    if (this.lastDrawn !== undefined) this.options.write(ERASE_LINE);
    this.lastDrawn = undefined;
    this.lastLine = '';
  }

  private line(): string {
    const left = Math.max(0, this.apisListed - this.apisRead);
    const eta = Math.ceil(left / this.options.requestsPerSecond);
    return [
      `scanning: ${this.apisListed} APIs listed`,
      `stages of ${this.apisRead}/${this.apisListed} APIs read (${plural(this.stages, 'stage')})`,
      ...(this.throttles > 0 ? [plural(this.throttles, 'throttled retry', 'throttled retries')] : []),
      `ETA ${eta}s at ${this.options.requestsPerSecond} req/s`,
    ].join(', ');
  }
}

/**
 * The progress line of one scan when `showProgress` allows it, redrawn every 250 ms while calls
 * wait (a throttled retry, a slow answer) without keeping the process up; `stop` erases it.
 */
export const startScanProgress = (
  io: CliIo,
  options: { readonly format?: string; readonly quiet?: boolean },
  requestsPerSecond: number,
): { readonly progress: ScanProgress; stop(): void } | undefined => {
  if (!showProgress(io, options)) return undefined;
  const progress = new ScanProgress({
    write: io.stderr,
    now: () => performance.now(),
    requestsPerSecond,
    ...(io.stderrColumns === undefined ? {} : { columns: io.stderrColumns }),
  });
  const ticker = setInterval(() => progress.tick(), 250).unref();
  return {
    progress,
    stop: () => {
      clearInterval(ticker);
      progress.done();
    },
  };
};

const isThrottle = (error: unknown): boolean => {
  const e = error as { name?: string; $metadata?: { httpStatusCode?: number } } | undefined;
  return e?.$metadata?.httpStatusCode === 429 || e?.name === 'TooManyRequestsException';
};

/** A client error the collector does not retry (4xx other than 429): that API's read is over. */
const isFinal = (error: unknown): boolean => {
  const status = (error as { $metadata?: { httpStatusCode?: number } } | undefined)?.$metadata
    ?.httpStatusCode;
  return status !== undefined && status >= 400 && status < 500 && status !== 429;
};

type RestMiddleware = Parameters<APIGatewayClient['middlewareStack']['add']>[0];
type V2Middleware = Parameters<ApiGatewayV2Client['middlewareStack']['add']>[0];

const counted = (
  progress: ScanProgress,
  onOutput: (command: string, output: Record<string, unknown>) => void,
): RestMiddleware & V2Middleware =>
  ((
      next: (args: unknown) => Promise<{ output: Record<string, unknown> }>,
      context: { commandName?: string },
    ) =>
    async (args: unknown) => {
      const command = context.commandName ?? '';
      try {
        const result = await next(args);
        onOutput(command, result.output);
        return result;
      } catch (error) {
        if (isThrottle(error)) progress.throttled();
        else if (command === 'GetStagesCommand' && isFinal(error)) progress.stagesRead(0);
        throw error;
      }
    }) as unknown as RestMiddleware & V2Middleware;

const length = (value: unknown): number => (Array.isArray(value) ? value.length : 0);

/** Around the deserializer (so it sees parsed answers and errors), once per send (the collector's clients do not retry). */
const MIDDLEWARE = { step: 'deserialize', priority: 'high', name: 'stageDriftProgress' } as const;

/** Counts the listings and stage reads of one scope's clients into `progress`. */
export const watchScanCalls = (
  clients: { readonly restClient: APIGatewayClient; readonly v2Client: ApiGatewayV2Client },
  progress: ScanProgress,
): void => {
  clients.restClient.middlewareStack.add(
    counted(progress, (command, output) => {
      if (command === 'GetRestApisCommand') progress.listed(length(output.items));
      if (command === 'GetStagesCommand') progress.stagesRead(length(output.item));
    }),
    MIDDLEWARE,
  );
  clients.v2Client.middlewareStack.add(
    counted(progress, (command, output) => {
      if (command === 'GetApisCommand') progress.listed(length(output.Items));
      // A v2 stage listing may page: the API is read with its last page.
      if (command === 'GetStagesCommand' && !output.NextToken) progress.stagesRead(length(output.Items));
    }),
    MIDDLEWARE,
  );
};
