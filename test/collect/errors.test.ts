import {
  ApiCallFailedError,
  CollectOptionsError,
  PaginationLoopError,
  readAllPages,
  RequestBudgetError,
  TokenBucket,
  createCollectSession,
} from '../../shared/collect';
import { DeliveryError, InputError, isRetryable, StageDriftError } from '../../shared/model';

// The collector's errors sit under the root families (STYLE.md section 5): bad options are
// InputErrors, failed calls DeliveryErrors that say whether trying again may help.

const serviceError = (name: string, httpStatusCode: number): Error =>
  Object.assign(new Error(`Simulated ${name}`), { name, $metadata: { httpStatusCode } });

describe('the collect errors', () => {
  it.each([
    [
      'CollectOptionsError',
      () => new CollectOptionsError('concurrency must be an integer >= 1, got 0: pass e.g. 4.'),
    ],
    [
      'RequestBudgetError',
      () => new RequestBudgetError('burst must be a number >= 1, got 0: pass e.g. 10 (requests).'),
    ],
  ])('makes %s an InputError that keeps its name and message', (name, make) => {
    // Prepare
    const error = make();

    // Assess
    expect(error).toBeInstanceOf(InputError);
    expect(error).toBeInstanceOf(StageDriftError);
    expect(error.name).toBe(name);
    expect(error.retryable).toBe(false);
    expect(String(error)).toMatch(new RegExp(`^${name}: .+: pass e\\.g\\. \\d+`));
  });

  it('throws them for bad options and a bad budget', () => {
    expect(() => createCollectSession({ concurrency: 0 })).toThrow(CollectOptionsError);
    expect(() => new TokenBucket({ ratePerSecond: 1, burst: 0 })).toThrow(RequestBudgetError);
  });

  it('makes PaginationLoopError a DeliveryError that is not retryable, with its message', async () => {
    // Act
    const error: unknown = await readAllPages('GetApis', () =>
      Promise.resolve({ items: [], next: 'a' }),
    ).catch((e: unknown) => e);

    // Assess
    expect(error).toBeInstanceOf(PaginationLoopError);
    expect(error).toBeInstanceOf(DeliveryError);
    expect(error).toMatchObject({
      name: 'PaginationLoopError',
      message: 'GetApis returned the pagination token "a" twice; stopped paging instead of looping.',
      retryable: false,
    });
  });

  it.each([
    ['throttled', 'TooManyRequestsException', 429, true],
    ['transient', 'InternalServerErrorException', 500, true],
    ['rejected', 'NotFoundException', 404, false],
  ] as const)(
    'makes a %s ApiCallFailedError a DeliveryError with retryable %s and its fields',
    (kind, errorName, status, retryable) => {
      // Prepare
      const cause = serviceError(errorName, status);

      // Act
      const error = new ApiCallFailedError(cause.message, { kind, attempts: 2, cause });

      // Assess
      expect(error).toBeInstanceOf(DeliveryError);
      expect(error).toMatchObject({
        name: 'ApiCallFailedError',
        message: `Simulated ${errorName}`,
        errorName,
        httpStatus: status,
        kind,
        attempts: 2,
        retryable,
      });
      expect(error.cause).toBe(cause);
      expect(isRetryable(error)).toBe(retryable);
    },
  );
});
