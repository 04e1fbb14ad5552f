import { DeliveryError, InputError, isRetryable, StageDriftError } from '../../shared/model';
import {
  AlertChannelError,
  DeliveryLogError,
  OutOfTimeError,
  SlackDeliveryError,
  SlackSecretError,
  SnsDeliveryError,
  WebhookDeliveryError,
  WebhookSecretError,
} from '../../shared/notify/errors';

// Every error of shared/notify sits under one root family, keeps its name, and says in
// `retryable` whether to try again.

const FAMILIES = { StageDriftError, InputError, DeliveryError } as const;

it.each([
  [
    'SlackDeliveryError',
    'DeliveryError',
    false,
    new SlackDeliveryError('m', { retryable: false, attempts: 1, status: 400 }),
  ],
  [
    'SlackDeliveryError',
    'DeliveryError',
    true,
    new SlackDeliveryError('m', { retryable: true, attempts: 4 }),
  ],
  [
    'WebhookDeliveryError',
    'DeliveryError',
    true,
    new WebhookDeliveryError('m', { retryable: true, attempts: 4 }),
  ],
  ['SnsDeliveryError', 'DeliveryError', false, new SnsDeliveryError('m', { retryable: false })],
  ['DeliveryLogError', 'DeliveryError', true, new DeliveryLogError('m', { cause: new Error('x') })],
  ['SlackSecretError', 'DeliveryError', true, new SlackSecretError('m', { retryable: true })],
  ['SlackSecretError', 'DeliveryError', false, new SlackSecretError('m', { retryable: false })],
  ['WebhookSecretError', 'DeliveryError', false, new WebhookSecretError('m', { retryable: false })],
  ['OutOfTimeError', 'StageDriftError', true, new OutOfTimeError('m')],
  ['AlertChannelError', 'InputError', false, new AlertChannelError('m')],
] as const)('%s extends %s, retryable %p', (name, family, retryable, error) => {
  expect(error).toBeInstanceOf(FAMILIES[family]);
  expect(error.name).toBe(name);
  expect(error.message).toBe('m');
  expect(error.retryable).toBe(retryable);
  expect(isRetryable(error)).toBe(retryable);
});

it('keeps the fields of a Slack refusal and the cause of a delivery log error', () => {
  const slack = new SlackDeliveryError('m', {
    retryable: true,
    attempts: 1,
    status: 429,
    slackError: 'rate_limited',
    retryAfterMs: 120_000,
  });
  expect(slack).toMatchObject({
    attempts: 1,
    status: 429,
    slackError: 'rate_limited',
    retryAfterMs: 120_000,
  });
  const cause = new Error('throttled');
  expect(new DeliveryLogError('m', { cause }).cause).toBe(cause);
});
