import {
  AttributionInputError,
  CloudTrailRecordError,
  LookupEventsInputError,
  UnsupportedEventPatternError,
} from '../../shared/attribution';
import { ConfigError } from '../../shared/config';
import { ScopeAccessError } from '../../shared/credentials';
import { DiffConfigError, DiffInputError } from '../../shared/diff';
import { DeliveryError, InputError, isRetryable, StageDriftError } from '../../shared/model';
import { StageNormalizeError, StagesDocumentError } from '../../shared/normalize';
import { ConcurrencyLimitError } from '../../shared/runtime';
import { StoreError } from '../../shared/store';
import { toStoreError } from '../../shared/store/errors';
import { UsageError } from '../../cli/errors';
import { TaskMessageError, TaskRefusedError } from '../../lambdas/snapshot/errors';

// One root (`StageDriftError`), a few families under it; callers test `instanceof` and read
// `retryable`, never `name` strings or duck-typed fields (STYLE.md section 5).

describe('StageDriftError', () => {
  it('is an Error named after the class that was constructed', () => {
    class ExampleError extends StageDriftError {}
    const error = new ExampleError('went wrong');
    expect(error).toBeInstanceOf(Error);
    expect(error).toBeInstanceOf(StageDriftError);
    expect(error.name).toBe('ExampleError');
    expect(error.message).toBe('went wrong');
    expect(String(error)).toBe('ExampleError: went wrong');
    expect(new StageDriftError('x').name).toBe('StageDriftError');
  });

  it('is not retryable unless it says so', () => {
    expect(new StageDriftError('x').retryable).toBe(false);
    expect(new StageDriftError('x', { retryable: true }).retryable).toBe(true);
  });

  it('keeps the cause, and has no cause property when given none', () => {
    const cause = new Error('underlying');
    expect(new StageDriftError('x', { cause }).cause).toBe(cause);
    expect('cause' in new StageDriftError('x')).toBe(false);
    expect('cause' in new StageDriftError('x', { cause: undefined })).toBe(false);
  });
});

describe('InputError', () => {
  it('is a StageDriftError that is never retryable', () => {
    const cause = new SyntaxError('bad');
    const error = new InputError('setting: expected a number', { cause });
    expect(error).toBeInstanceOf(StageDriftError);
    expect(error.name).toBe('InputError');
    expect(error.retryable).toBe(false);
    expect(error.cause).toBe(cause);
    expect(isRetryable(error)).toBe(false);
  });
});

describe('DeliveryError', () => {
  it('is a StageDriftError whose retryable is what the caller said', () => {
    const cause = new Error('503');
    const retryable = new DeliveryError('try later', { retryable: true, cause });
    const permanent = new DeliveryError('never', { retryable: false });
    expect(retryable).toBeInstanceOf(StageDriftError);
    expect(retryable).not.toBeInstanceOf(InputError);
    expect(retryable.name).toBe('DeliveryError');
    expect(retryable.cause).toBe(cause);
    expect([isRetryable(retryable), isRetryable(permanent)]).toEqual([true, false]);
  });
});

describe('isRetryable', () => {
  it('is true only for our errors that say so; never for foreign or duck-typed ones', () => {
    expect(isRetryable(new StageDriftError('x', { retryable: true }))).toBe(true);
    expect(isRetryable(Object.assign(new Error('x'), { retryable: true }))).toBe(false);
    expect(isRetryable({ retryable: true })).toBe(false);
    expect(isRetryable(undefined)).toBe(false);
    expect(isRetryable('retryable')).toBe(false);
  });
});

type Family = typeof InputError | typeof DeliveryError | typeof StageDriftError;

/** Every module error: its family, and that name, fields and message text are unchanged. */
const cases: ReadonlyArray<{
  readonly error: StageDriftError;
  readonly name: string;
  readonly family: Family;
  readonly message: string;
  readonly retryable?: boolean;
  readonly fields?: Readonly<Record<string, unknown>>;
}> = [
  {
    error: new ConfigError('regions', 'give at least one region'),
    name: 'ConfigError',
    family: InputError,
    message: 'regions: give at least one region',
    fields: { setting: 'regions' },
  },
  {
    error: new DiffConfigError('ignore.paths[0]', 'empty pattern'),
    name: 'DiffConfigError',
    family: InputError,
    message: 'ignore.paths[0]: empty pattern',
    fields: { field: 'ignore.paths[0]' },
  },
  { error: new DiffInputError('two keys'), name: 'DiffInputError', family: InputError, message: 'two keys' },
  {
    error: new StageNormalizeError('not a number', { field: 'variables.x' }),
    name: 'StageNormalizeError',
    family: InputError,
    message: 'not a number',
    fields: { field: 'variables.x' },
  },
  {
    error: new StagesDocumentError('no stages'),
    name: 'StagesDocumentError',
    family: InputError,
    message: 'no stages',
  },
  {
    error: new CloudTrailRecordError('no eventID'),
    name: 'CloudTrailRecordError',
    family: InputError,
    message: 'no eventID',
  },
  {
    error: new UnsupportedEventPatternError('no $not'),
    name: 'UnsupportedEventPatternError',
    family: InputError,
    message: 'no $not',
  },
  {
    error: new LookupEventsInputError('start after end'),
    name: 'LookupEventsInputError',
    family: InputError,
    message: 'start after end',
  },
  {
    error: new AttributionInputError('bad window'),
    name: 'AttributionInputError',
    family: InputError,
    message: 'bad window',
  },
  {
    error: new ConcurrencyLimitError('concurrency 0'),
    name: 'ConcurrencyLimitError',
    family: InputError,
    message: 'concurrency 0',
  },
  {
    error: new TaskMessageError('not JSON'),
    name: 'TaskMessageError',
    family: InputError,
    message: 'not JSON',
  },
  { error: new UsageError('bad flag'), name: 'UsageError', family: InputError, message: 'bad flag' },
  {
    error: new TaskRefusedError('task refused: region'),
    name: 'TaskRefusedError',
    family: StageDriftError,
    message: 'task refused: region',
  },
  {
    error: new StoreError('corrupt', { itemKey: { PK: 'p', SK: 's' } }),
    name: 'StoreError',
    family: StageDriftError,
    message: 'corrupt',
    fields: { itemKey: { PK: 'p', SK: 's' } },
  },
  {
    error: new StoreError('throttled', { retryable: true }),
    name: 'StoreError',
    family: StageDriftError,
    message: 'throttled',
    retryable: true,
  },
  {
    error: new ScopeAccessError('refused', 'AccessDenied'),
    name: 'ScopeAccessError',
    family: DeliveryError,
    message: 'refused',
    fields: { errorName: 'AccessDenied' },
  },
];

describe.each(cases)('$name', ({ error, name, family, message, retryable = false, fields = {} }) => {
  it(`is a ${family.name} under StageDriftError, with its name, message and fields`, () => {
    expect(error).toBeInstanceOf(family);
    expect(error).toBeInstanceOf(StageDriftError);
    expect(error).toBeInstanceOf(Error);
    expect(error.name).toBe(name);
    expect(error.message).toBe(message);
    expect(error.retryable).toBe(retryable);
    expect(error).toMatchObject(fields);
  });
});

it('the module errors pass their cause on', () => {
  const cause = new Error('underlying');
  for (const error of [
    new ConfigError('s', 'p', { cause }),
    new DiffConfigError('f', 'm', { cause }),
    new DiffInputError('m', { cause }),
    new StageNormalizeError('m', { cause }),
    new StagesDocumentError('m', { cause }),
    new CloudTrailRecordError('m', { cause }),
    new ConcurrencyLimitError('m', { cause }),
    new TaskMessageError('m', { cause }),
    new UsageError('m', { cause }),
    new StoreError('m', { cause }),
    new ScopeAccessError('m', 'AccessDenied', { cause }),
  ]) {
    expect(error.cause).toBe(cause);
  }
});

describe('toStoreError', () => {
  const sdkError = (name: string, extra: Record<string, unknown> = {}): Error =>
    Object.assign(new Error(`${name} happened`), { name, ...extra });
  const retryableOf = (error: unknown): boolean => toStoreError(error, 'Table', 'reading').retryable;

  it('marks throttling and faults on DynamoDB side retryable', () => {
    expect(retryableOf(sdkError('ProvisionedThroughputExceededException'))).toBe(true);
    expect(retryableOf(sdkError('ThrottlingException'))).toBe(true);
    expect(retryableOf(sdkError('RequestLimitExceeded'))).toBe(true);
    expect(retryableOf(sdkError('InternalServerError', { $fault: 'server' }))).toBe(true);
    expect(retryableOf(sdkError('ServiceUnavailable', { $metadata: { httpStatusCode: 503 } }))).toBe(true);
    expect(retryableOf(sdkError('SomethingThrottled', { $retryable: { throttling: true } }))).toBe(true);
  });

  it('leaves a missing table, a rejected request and a non-SDK value not retryable', () => {
    expect(retryableOf(sdkError('ResourceNotFoundException', { $metadata: { httpStatusCode: 400 } }))).toBe(
      false,
    );
    expect(retryableOf(sdkError('ValidationException', { $fault: 'client' }))).toBe(false);
    expect(retryableOf('boom')).toBe(false);
  });

  it('passes a StoreError through unchanged', () => {
    const original = new StoreError('already', { retryable: true });
    expect(toStoreError(original, 'Table', 'reading')).toBe(original);
  });
});
