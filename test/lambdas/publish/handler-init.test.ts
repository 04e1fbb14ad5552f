import type { ConfigError } from '../../../shared/config';

// The handler validates its environment at init and names the variable that is wrong.

const savedEnv = { ...process.env };
const GOOD = {
  STAGE_DRIFT_TOPIC_ARN: 'arn:aws:sns:eu-west-1:123456789012:stage-drift-alerts',
  STAGE_DRIFT_TABLE: 'stage-drift',
  AWS_REGION: 'eu-west-1',
};

afterEach(() => {
  process.env = { ...savedEnv };
});

const loadHandler = async (env: Record<string, string | undefined>): Promise<unknown> => {
  process.env = { ...savedEnv, ...env };
  let failure: unknown;
  jest.isolateModules(() => {
    try {
      jest.requireActual('../../../lambdas/publish/handler');
    } catch (error) {
      failure = error;
    }
  });
  return Promise.resolve(failure);
};

it('loads with a valid environment', async () => {
  expect(await loadHandler(GOOD)).toBeUndefined();
});

it.each([
  ['STAGE_DRIFT_TOPIC_ARN', { STAGE_DRIFT_TOPIC_ARN: 'stage-drift-alerts' }],
  ['STAGE_DRIFT_TOPIC_ARN', { STAGE_DRIFT_TOPIC_ARN: undefined }],
  ['STAGE_DRIFT_TABLE', { STAGE_DRIFT_TABLE: '' }],
  [
    'STAGE_DRIFT_SLACK_SECRET_ARN',
    { STAGE_DRIFT_SLACK_SECRET_ARN: 'https://hooks.slack.com/services/T/B/tok3n' },
  ],
  ['STAGE_DRIFT_SLACK_MIN_SEVERITY', { STAGE_DRIFT_SLACK_MIN_SEVERITY: 'URGENT' }],
  ['STAGE_DRIFT_FAILURE_QUEUE_URL', { STAGE_DRIFT_FAILURE_QUEUE_URL: 'stage-drift-failures' }],
  ['STAGE_DRIFT_DIGEST_THRESHOLD', { STAGE_DRIFT_DIGEST_THRESHOLD: '0' }],
  ['STAGE_DRIFT_DIGEST_THRESHOLD', { STAGE_DRIFT_DIGEST_THRESHOLD: 'five' }],
  [
    'STAGE_DRIFT_SLACK_WEBHOOK_URL',
    { STAGE_DRIFT_SLACK_WEBHOOK_URL: 'https://hooks.slack.com/services/T/B/tok3n' },
  ],
])('fails at init naming %s', async (name, env) => {
  const error = await loadHandler({ ...GOOD, ...env });
  expect(error).toBeInstanceOf(Error);
  expect((error as Error).name).toBe('ConfigError');
  expect((error as ConfigError).setting).toBe(name);
  expect((error as Error).message.startsWith(`${name}: `)).toBe(true);
  expect((error as Error).message).not.toContain('tok3n');
});
