import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { copyCounts, countOperation, emptyCounts, type SimulatorCounts } from './counts';
import { createFailureRules, type FailureRule } from './failure-rules';
import type { Fleet } from './fleet';
import { getRestApi, getRestApis, getRestApiStage, getRestApiStages } from './rest-api-operations';
import { readBody } from './request-body';
import { matchRoute, WRITE_OPERATIONS, type Route, type WriteOperation } from './routes';
import { errorResponse, SimulatedServiceError, tooManyRequests } from './service-error';
import { apiIdInArn } from './stage-arn';
import type { WriteContext } from './stage-store';
import { createTokenBucket, type TokenBucket } from './token-bucket';
import { getV2Api, getV2Apis, getV2ApiStage, getV2ApiStages } from './v2-api-operations';
import type { SimResponse } from './wire-response';
import { answerWriteOperation } from './write-operations';

export interface SimulatorOptions {
  /** The APIs and stages to serve. Held live: `simulator.fleet` can be mutated or replaced. */
  fleet: Fleet;
  /**
   * A token bucket over ALL requests, like the account's shared management budget
   * (10 requests/s, burst 40 in AWS). Requests beyond it get 429 TooManyRequestsException.
   * @default unlimited
   */
  rateLimit?: { ratePerSecond: number; burst: number };
  /** Simulated service latency added to every answer. @default 0 */
  latencyMs?: number;
  /**
   * Millisecond clock for the token bucket and for the `createdDate` / `lastUpdatedDate` that
   * writes stamp; inject one so tests do not depend on wall time. @default Date.now
   */
  now?: () => number;
}

export interface ControlPlaneSimulator {
  /** `http://127.0.0.1:<port>`: pass it as `endpoint` to the SDK clients. */
  readonly endpoint: string;
  /** Live: tests mutate it (or assign a new one) between scans. */
  fleet: Fleet;
  /** A snapshot of the counters at the time of reading. */
  readonly counts: SimulatorCounts;
  resetCounts(): void;
  /** Makes matching requests fail (after the rate limit, before the real answer). */
  failOn(rule: FailureRule): void;
  clearFailures(): void;
  /** Stops listening and drops open (keep-alive) connections. */
  close(): Promise<void>;
}

type OperationRoute = Extract<Route, { kind: 'operation' }>;

const isWrite = (operation: string): operation is WriteOperation =>
  (WRITE_OPERATIONS as readonly string[]).includes(operation);

const answerOperation = (context: WriteContext, route: OperationRoute, body: string): SimResponse => {
  const { fleet } = context;
  if (isWrite(route.operation)) return answerWriteOperation(context, route, route.operation, body);
  switch (route.operation) {
    case 'GetRestApis':
      return getRestApis(fleet, route.query);
    case 'GetStages':
      return getRestApiStages(fleet, route.apiId ?? '', route.query);
    case 'GetApis':
      return getV2Apis(fleet, route.query);
    case 'GetStagesV2':
      return getV2ApiStages(fleet, route.apiId ?? '', route.query);
    case 'GetStage':
      return getRestApiStage(fleet, route.apiId ?? '', route.stageName ?? '');
    case 'GetStageV2':
      return getV2ApiStage(fleet, route.apiId ?? '', route.stageName ?? '');
    case 'GetRestApi':
      return getRestApi(fleet, route.apiId ?? '');
    case 'GetApi':
      return getV2Api(fleet, route.apiId ?? '');
  }
};

const answerOtherRoute = (route: Exclude<Route, { kind: 'operation' }>): SimResponse => {
  switch (route.kind) {
    case 'method-not-allowed':
      return errorResponse(
        route.family,
        405,
        'MethodNotAllowedException',
        `The simulator answers only ${route.allowed.join(', ')} on ${route.path}; ${route.method} is not supported`,
      );
    case 'malformed':
      return errorResponse(route.family, 400, 'BadRequestException', `Malformed path ${route.path}`);
    case 'unknown':
      return errorResponse(
        route.family,
        404,
        'UnknownOperationException',
        `No operation at ${route.path}: the simulator serves /restapis[/{id}], /restapis/{id}/stages[/{name}], /v2/apis[/{id}], /v2/apis/{id}/stages[/{name}]`,
      );
  }
};

const headerOf = (req: IncomingMessage, name: string): string | undefined => {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
};

const routeOf = (req: IncomingMessage): Route => {
  try {
    return matchRoute(req.method ?? 'GET', req.url ?? '/', headerOf(req, 'x-amz-target'));
  } catch {
    return { kind: 'malformed', family: 'v1', path: req.url ?? '' };
  }
};

const checkLatency = (latencyMs: number): number => {
  if (!Number.isFinite(latencyMs) || latencyMs < 0) {
    throw new RangeError(`latencyMs must be a non-negative number of milliseconds; got ${latencyMs}`);
  }
  return latencyMs;
};

/** The API a request is about, for failure rules: its path's id, or the id in its resource ARN. */
const apiIdOf = (route: OperationRoute, body: string): string | undefined => {
  if (route.apiId !== undefined) return route.apiId;
  if (route.resourceArn !== undefined) return apiIdInArn(route.resourceArn);
  if (route.family !== 'waf') return undefined;
  try {
    const parsed: unknown = JSON.parse(body);
    const arn =
      typeof parsed === 'object' && parsed !== null
        ? (parsed as Record<string, unknown>).ResourceArn
        : undefined;
    return typeof arn === 'string' ? apiIdInArn(arn) : undefined;
  } catch {
    return undefined;
  }
};

/**
 * Starts the simulator on a random loopback port. Close it with `close()`. It answers the reads
 * a collector makes and the writes a revert makes (v1 UpdateStage's patch operations, v2
 * UpdateStage, Create/DeleteStage, v2 route and access-log settings deletion, tags of both
 * families, WAFv2 web ACL association), changing `simulator.fleet` so later reads see them.
 */
export const startSimulator = async (options: SimulatorOptions): Promise<ControlPlaneSimulator> => {
  const latencyMs = checkLatency(options.latencyMs ?? 0);
  const bucket: TokenBucket | undefined = options.rateLimit
    ? createTokenBucket({ ...options.rateLimit, now: options.now ?? Date.now })
    : undefined;
  const failures = createFailureRules();
  const pendingTimers = new Set<NodeJS.Timeout>();
  let counts = emptyCounts();
  let fleet = options.fleet;
  const now = options.now ?? Date.now;

  const respond = (route: Route, body: string): SimResponse => {
    if (bucket && !bucket.tryTake()) return tooManyRequests(route.family);
    if (route.kind !== 'operation') return answerOtherRoute(route);
    const rule = failures.take(route.operation, apiIdOf(route, body));
    if (rule)
      return errorResponse(
        route.family,
        rule.status,
        rule.errorType,
        rule.message ?? `Simulated ${rule.errorType}`,
      );
    try {
      return answerOperation({ fleet, now }, route, body);
    } catch (error) {
      if (error instanceof SimulatedServiceError) {
        return errorResponse(route.family, error.status, error.errorType, error.message);
      }
      const detail = error instanceof Error ? error.message : String(error);
      return errorResponse(route.family, 500, 'InternalServerErrorException', `Simulator failure: ${detail}`);
    }
  };

  const write = (res: ServerResponse, response: SimResponse): void => {
    if (res.destroyed) return;
    res.writeHead(response.status, {
      ...response.headers,
      'content-length': Buffer.byteLength(response.body),
      'x-amzn-requestid': randomUUID(),
    });
    res.end(response.body);
  };

  const answer = (req: IncomingMessage, res: ServerResponse, body: string): void => {
    counts.total += 1;
    const route = routeOf(req);
    if (route.kind === 'operation') countOperation(counts, route.operation);
    const response = respond(route, body);
    if (response.status === 429) counts.throttled += 1;
    else if (response.status < 200 || response.status > 299) counts.errors += 1;
    if (latencyMs === 0) {
      write(res, response);
      return;
    }
    const timer = setTimeout(() => {
      pendingTimers.delete(timer);
      write(res, response);
    }, latencyMs);
    pendingTimers.add(timer);
  };

  const handle = (req: IncomingMessage, res: ServerResponse): void => {
    readBody(req).then(
      (body) => answer(req, res, body),
      () => res.destroy(),
    );
  };

  const server = createServer(handle);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;

  return {
    endpoint: `http://127.0.0.1:${port}`,
    get fleet() {
      return fleet;
    },
    set fleet(next: Fleet) {
      fleet = next;
    },
    get counts() {
      return copyCounts(counts);
    },
    resetCounts: () => {
      counts = emptyCounts();
    },
    failOn: (rule) => failures.add(rule),
    clearFailures: () => failures.clear(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        for (const timer of pendingTimers) clearTimeout(timer);
        pendingTimers.clear();
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      }),
  };
};
