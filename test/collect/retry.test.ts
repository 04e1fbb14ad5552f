import {
  NotFoundException as RestNotFoundException,
  ServiceUnavailableException,
  TooManyRequestsException as RestTooManyRequestsException,
  UnauthorizedException,
} from '@aws-sdk/client-api-gateway';
import {
  AccessDeniedException,
  BadRequestException,
  TooManyRequestsException as V2TooManyRequestsException,
} from '@aws-sdk/client-apigatewayv2';
import type { RequestBudget, RetryPolicy } from '../../shared/collect';
import {
  ApiCallFailedError,
  DEFAULT_RETRY_POLICY,
  TokenBucket,
  classifyError,
  retryAfterMs,
  sendWithRetry,
} from '../../shared/collect';
import { backoffDelayMs, ManualClock } from '../../shared/runtime';

const meta = (httpStatusCode: number) => ({ $metadata: { httpStatusCode } });

const throttledV1 = (retryAfterSeconds?: string) =>
  new RestTooManyRequestsException({
    message: 'Too Many Requests',
    ...meta(429),
    ...(retryAfterSeconds === undefined ? {} : { retryAfterSeconds }),
  });
const throttledV2 = () => new V2TooManyRequestsException({ message: 'Too Many Requests', ...meta(429) });
const notFound = () =>
  new RestNotFoundException({ message: 'Invalid API identifier specified', ...meta(404) });
const serverError = () => new ServiceUnavailableException({ message: 'Service Unavailable', ...meta(503) });
const networkError = () => Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });

const named = (name: string, status?: number) =>
  Object.assign(new Error(name), { name, ...(status === undefined ? {} : meta(status)) });

const unlimited: RequestBudget = { acquire: () => Promise.resolve() };

/** A send that throws the given errors in turn, then answers `ok`. */
const scripted = (errors: readonly Error[]) => {
  let calls = 0;
  const send = (): Promise<string> => {
    const error = errors[calls];
    calls += 1;
    return error ? Promise.reject(error) : Promise.resolve('ok');
  };
  return { send, calls: () => calls };
};

const setup = (policy: Partial<RetryPolicy> = {}, random = () => 0.5) => {
  const clock = new ManualClock();
  const counts = { sent: 0, retries: 0, throttled: 0 };
  const context = {
    budget: unlimited,
    clock,
    policy: { ...DEFAULT_RETRY_POLICY, ...policy },
    random,
    observer: {
      sent: (retry: boolean) => {
        counts.sent += 1;
        if (retry) counts.retries += 1;
      },
      throttled: () => {
        counts.throttled += 1;
      },
    },
  };
  return { clock, counts, context };
};

describe('classifyError', () => {
  it.each([
    ['a v1 429 TooManyRequestsException', 'throttled', throttledV1()],
    ['a v2 429 TooManyRequestsException', 'throttled', throttledV2()],
    ['a LimitExceededException', 'throttled', named('LimitExceededException')],
    ['a ThrottlingException with status 400', 'throttled', named('ThrottlingException', 400)],
    ['a 503', 'transient', serverError()],
    ['a 500 of unknown type', 'transient', named('UnknownError', 500)],
    ['a connection reset', 'transient', networkError()],
    ['a socket timeout', 'transient', named('TimeoutError')],
    ['a 404', 'rejected', notFound()],
    ['a 403', 'rejected', new AccessDeniedException({ message: 'denied', ...meta(403) })],
    ['a 401', 'rejected', new UnauthorizedException({ message: 'no', ...meta(401) })],
    ['a 400', 'rejected', new BadRequestException({ message: 'bad', ...meta(400) })],
    ['a TypeError of our own', undefined, new TypeError("Cannot read properties of undefined (reading 'x')")],
    ['a thrown string', undefined, 'boom'],
  ])('classifies %s as %p', (_label, kind, error) => {
    expect(classifyError(error)).toBe(kind);
  });
});

describe('retryAfterMs', () => {
  const clock = new ManualClock({ start: Date.parse('2025-01-01T00:00:00Z') });

  it('reads the modelled retryAfterSeconds of a v1 error', () => {
    expect(retryAfterMs(throttledV1('3'), clock)).toBe(3000);
  });

  it('reads a raw Retry-After header (seconds or HTTP date) from the hidden $response', () => {
    const withHeader = (value: string) =>
      Object.defineProperty(throttledV2(), '$response', { value: { headers: { 'retry-after': value } } });
    expect(retryAfterMs(withHeader('2'), clock)).toBe(2000);
    expect(retryAfterMs(withHeader('Wed, 01 Jan 2025 00:00:05 GMT'), clock)).toBe(5000);
    expect(retryAfterMs(withHeader('soon'), clock)).toBeUndefined();
  });

  it('is undefined when the service said nothing', () => {
    expect(retryAfterMs(throttledV2(), clock)).toBeUndefined();
  });
});

describe('backoffDelayMs', () => {
  it('draws full jitter below a ceiling that doubles from the base up to the cap', () => {
    const almostOne = () => 0.999999;
    const ceilings = [0, 1, 2, 3, 4, 5, 6, 7, 8].map((retry) =>
      backoffDelayMs(retry, DEFAULT_RETRY_POLICY, almostOne),
    );
    expect(ceilings).toEqual([199, 399, 799, 1599, 3199, 6399, 9999, 9999, 9999]);
    expect(backoffDelayMs(5, DEFAULT_RETRY_POLICY, () => 0)).toBe(0);
    expect(backoffDelayMs(1_000, DEFAULT_RETRY_POLICY, almostOne)).toBe(9999);
  });
});

describe('sendWithRetry', () => {
  it('tells the budget of every answer, error and abandoned send, so a bucket waiting on the first answer never hangs', async () => {
    // Prepare: a bucket of one that refills only from the first answer.
    const { clock, context } = setup();
    const bucket = new TokenBucket({ ratePerSecond: 10, burst: 1, refillFromFirstAnswer: true, clock });
    const answered = jest.spyOn(bucket, 'answered');
    const aborted = new AbortController();

    // Act: the first send is abandoned after its token; the next two still get theirs.
    const first = sendWithRetry(() => Promise.resolve('never sent'), {
      ...context,
      budget: bucket,
      signal: aborted.signal,
    });
    aborted.abort(new Error('collect stopped')); // after it took the only token, before it sends
    const second = sendWithRetry(() => Promise.resolve('ok'), { ...context, budget: bucket });
    const third = sendWithRetry(() => Promise.reject(notFound()), { ...context, budget: bucket });

    // Assess
    await expect(first).rejects.toThrow('collect stopped');
    await expect(second).resolves.toBe('ok');
    await expect(third).rejects.toThrow(ApiCallFailedError);
    expect(answered).toHaveBeenCalledTimes(3);
  });

  it('sends once when the first answer is good', async () => {
    // Prepare
    const { counts, context } = setup();
    const call = scripted([]);

    // Act
    const result = await sendWithRetry(call.send, context);

    // Assess
    expect(result).toBe('ok');
    expect(counts).toEqual({ sent: 1, retries: 0, throttled: 0 });
  });

  it('absorbs throttling with jittered exponential backoff', async () => {
    // Prepare
    const { clock, counts, context } = setup({}, () => 0.5);
    const call = scripted([throttledV1(), throttledV2(), throttledV1(), throttledV1()]);

    // Act
    const result = await sendWithRetry(call.send, context);

    // Assess
    expect(result).toBe('ok');
    expect(counts).toEqual({ sent: 5, retries: 4, throttled: 4 });
    expect(clock.sleeps).toEqual([100, 200, 400, 800]);
    expect(clock.now()).toBe(1500);
  });

  it('waits at least as long as Retry-After asks', async () => {
    // Prepare
    const { clock, context } = setup({}, () => 0);
    const call = scripted([throttledV1('4')]);

    // Act
    await sendWithRetry(call.send, context);

    // Assess
    expect(clock.sleeps).toEqual([4000]);
  });

  it('gives up on throttling at the deadline, never sleeping past it', async () => {
    // Prepare
    const { clock, counts, context } = setup({ throttleDeadlineMs: 30_000 }, () => 0.999);
    const call = scripted(Array.from({ length: 1_000 }, () => throttledV1()));

    // Act
    const failure = await sendWithRetry(call.send, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ApiCallFailedError);
    const error = failure as ApiCallFailedError;
    expect(error).toMatchObject({
      kind: 'throttled',
      errorName: 'TooManyRequestsException',
      httpStatus: 429,
    });
    expect(error.message).toMatch(
      /still throttled after \d+ attempts over 30000 ms \(throttleDeadlineMs 30000\)/,
    );
    expect(error.cause).toBeInstanceOf(RestTooManyRequestsException);
    expect(clock.now()).toBe(30_000);
    expect(counts.sent).toBe(error.attempts);
    expect(counts.throttled).toBe(error.attempts);
    // Waits 199, 399, 799, 1598, 3196, 6393, 9990 (22,574 ms), then the 8th is cut to the
    // 7,426 ms left; the 9th send, at the deadline, is throttled too.
    expect(clock.sleeps).toEqual([199, 399, 799, 1598, 3196, 6393, 9990, 7426]);
    expect(error.attempts).toBe(9);
  });

  it('fails at once when Retry-After reaches past the deadline', async () => {
    // Prepare
    const { clock, context } = setup({ throttleDeadlineMs: 10_000 });
    const call = scripted([throttledV1('60')]);

    // Act
    const failure = await sendWithRetry(call.send, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ApiCallFailedError);
    expect(call.calls()).toBe(1);
    expect(clock.now()).toBe(0);
  });

  it('counts the time spent waiting for the budget towards the deadline', async () => {
    // Prepare
    const { clock, context } = setup({ throttleDeadlineMs: 1_000 }, () => 0);
    const budget = new TokenBucket({ ratePerSecond: 2, burst: 1, clock });
    const call = scripted(Array.from({ length: 100 }, () => throttledV1()));

    // Act
    const failure = await sendWithRetry(call.send, { ...context, budget }).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ApiCallFailedError);
    expect(call.calls()).toBe(3);
    expect(clock.now()).toBe(1_000);
  });

  it('retries a 5xx or network error a bounded number of times', async () => {
    // Prepare
    const { counts, context } = setup({ maxTransientRetries: 3 });
    const call = scripted([serverError(), networkError(), serverError(), serverError(), serverError()]);

    // Act
    const failure = await sendWithRetry(call.send, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ApiCallFailedError);
    expect(failure).toMatchObject({
      kind: 'transient',
      attempts: 4,
      errorName: 'ServiceUnavailableException',
    });
    expect(counts).toEqual({ sent: 4, retries: 3, throttled: 0 });
  });

  it('recovers from a transient error within the bound', async () => {
    const { context } = setup();
    await expect(sendWithRetry(scripted([networkError(), serverError()]).send, context)).resolves.toBe('ok');
  });

  it.each([
    ['404 NotFoundException', notFound(), 404],
    ['403 AccessDeniedException', new AccessDeniedException({ message: 'denied', ...meta(403) }), 403],
    ['400 BadRequestException', new BadRequestException({ message: 'bad', ...meta(400) }), 400],
  ])('does not retry a %s', async (_label, rejection, status) => {
    // Prepare
    const { clock, counts, context } = setup();
    const call = scripted([rejection]);

    // Act
    const failure = await sendWithRetry(call.send, context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBeInstanceOf(ApiCallFailedError);
    expect(failure).toMatchObject({
      kind: 'rejected',
      attempts: 1,
      httpStatus: status,
      errorName: rejection.name,
    });
    expect((failure as Error).cause).toBe(rejection);
    expect(counts.sent).toBe(1);
    expect(clock.sleeps).toEqual([]);
  });

  it('rethrows an error that is not a service or network error unchanged, without retrying', async () => {
    // Prepare
    const { counts, context } = setup();
    const bug = new TypeError("Cannot read properties of undefined (reading 'items')");

    // Act
    const failure = await sendWithRetry(() => Promise.reject(bug), context).catch((error: unknown) => error);

    // Assess
    expect(failure).toBe(bug);
    expect(counts.sent).toBe(1);
  });

  it('starts no attempt once the signal is aborted', async () => {
    // Prepare
    const { context } = setup();
    const controller = new AbortController();
    const reason = new TypeError('bug elsewhere');
    controller.abort(reason);
    const call = scripted([]);

    // Act
    const failure = await sendWithRetry(call.send, { ...context, signal: controller.signal }).catch(
      (error: unknown) => error,
    );

    // Assess
    expect(failure).toBe(reason);
    expect(call.calls()).toBe(0);
  });
});
