// Deep imports: `main.ts` loads this file on every start, so it must not pull in the AWS SDK.
import { ConfigError } from '../shared/config/errors';
import { StoreError } from '../shared/store/errors';
import { UsageError } from './errors';

const NETWORK_CODES = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'ETIMEDOUT',
  'ECONNRESET',
  'EAI_AGAIN',
  'EHOSTUNREACH',
]);
const REJECTED_CREDENTIALS = new Set([
  'InvalidClientTokenId',
  'ExpiredToken',
  'ExpiredTokenException',
  'UnrecognizedClientException',
  'SignatureDoesNotMatch',
  'AccessDenied',
  'AccessDeniedException',
]);

const networkCode = (error: unknown): string | undefined => {
  for (let e: unknown = error, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && NETWORK_CODES.has(code)) return code;
    const errors = (e as { errors?: unknown[] }).errors;
    if (Array.isArray(errors)) {
      const inner = errors.map(networkCode).find(Boolean);
      if (inner) return inner;
    }
  }
  return undefined;
};

/**
 * Turns what goes wrong before or around a scan (no credentials, no network, a wrong endpoint,
 * a missing table) into one line that says what to do; anything else is rethrown as a bug.
 */
export const toAwsUsageError = (
  error: unknown,
  context: { endpoint?: string; doing: string },
): UsageError | undefined => {
  if (error instanceof UsageError) return error;
  const name = error instanceof Error ? error.name : '';
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'CredentialsProviderError' || /Could not load credentials/i.test(message)) {
    return new UsageError(
      `no AWS credentials found while ${context.doing}: set AWS_PROFILE (or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or run \`aws sso login\``,
      { cause: error },
    );
  }
  if (REJECTED_CREDENTIALS.has(name)) {
    return new UsageError(
      `AWS refused the credentials while ${context.doing} (${name}): refresh them or check the account`,
      {
        cause: error,
      },
    );
  }
  const code = networkCode(error);
  if (code) {
    const where = context.endpoint ?? 'AWS';
    return new UsageError(
      `cannot reach ${where} while ${context.doing} (${code}): check the network${context.endpoint ? ' and AWS_ENDPOINT_URL' : ''}`,
      { cause: error },
    );
  }
  if (error instanceof StoreError || error instanceof ConfigError)
    return new UsageError(message, { cause: error });
  return undefined;
};
