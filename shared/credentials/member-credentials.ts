import type { STSClient } from '@aws-sdk/client-sts';
import { AssumeRoleCommand } from '@aws-sdk/client-sts';
import type { AwsCredentialIdentity } from '@aws-sdk/types';
import { ScopeAccessError } from './errors';

export interface MemberCredentialsOptions {
  /** Built once by the handler, with the function's own credentials. */
  readonly sts: Pick<STSClient, 'send'>;
  /** @default Date.now */
  readonly now?: () => number;
  /** `RoleSessionName`, shown in the member account's CloudTrail. @default 'stage-drift' */
  readonly sessionName?: string;
  /** @default 3600 (the role's default maximum) */
  readonly durationSeconds?: number;
  /** Credentials are renewed this long before they expire. @default 300000 (5 minutes) */
  readonly refreshMarginMs?: number;
}

interface Entry {
  readonly promise: Promise<AwsCredentialIdentity>;
  expiresAt?: number;
}

const statusOf = (error: unknown): number | undefined =>
  (error as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;

const THROTTLING = new Set(['Throttling', 'ThrottlingException', 'TooManyRequestsException']);

/**
 * A 4xx from STS other than throttling (AccessDenied: no such role, a trust policy or external
 * id that does not match, a region disabled for STS) will not go away by retrying: it fails the
 * scope's task alone. Anything else (throttling, 5xx, the network) is rethrown for a retry.
 */
const toAccessError = (error: unknown, roleArn: string): unknown => {
  const status = statusOf(error);
  const name = error instanceof Error ? error.name : 'Error';
  if (status === undefined || status < 400 || status >= 500 || THROTTLING.has(name)) return error;
  const reason = error instanceof Error ? error.message : String(error);
  return new ScopeAccessError(
    `AssumeRole ${roleArn} was refused (${name}: ${reason}). Deploy the StageDriftReaderRole in that ` +
      'account (docs/multi-account.md), trusting this monitor account with the same external id.',
    name,
    { cause: error },
  );
};

/**
 * Temporary credentials of the member accounts' reader roles, one AssumeRole per role until
 * shortly before they expire (so a warm container reuses them across tasks and chunks).
 */
export class MemberCredentials {
  private readonly cache = new Map<string, Entry>();
  private readonly now: () => number;
  private readonly refreshMarginMs: number;

  constructor(private readonly options: MemberCredentialsOptions) {
    this.now = options.now ?? Date.now;
    this.refreshMarginMs = options.refreshMarginMs ?? 300_000;
  }

  /** Throws `ScopeAccessError` when the role refuses us; other errors as they come. */
  credentialsFor(roleArn: string, externalId?: string): Promise<AwsCredentialIdentity> {
    const key = `${roleArn}\n${externalId ?? ''}`;
    const cached = this.cache.get(key);
    if (cached && (cached.expiresAt === undefined || cached.expiresAt - this.refreshMarginMs > this.now())) {
      return cached.promise;
    }
    const entry: Entry = { promise: this.assume(roleArn, externalId) };
    this.cache.set(key, entry);
    entry.promise.then(
      (credentials) => {
        entry.expiresAt = credentials.expiration?.getTime() ?? this.now();
      },
      () => {
        if (this.cache.get(key) === entry) this.cache.delete(key);
      },
    );
    return entry.promise;
  }

  private async assume(roleArn: string, externalId: string | undefined): Promise<AwsCredentialIdentity> {
    let out;
    try {
      out = await this.options.sts.send(
        new AssumeRoleCommand({
          RoleArn: roleArn,
          RoleSessionName: this.options.sessionName ?? 'stage-drift',
          DurationSeconds: this.options.durationSeconds ?? 3600,
          ...(externalId === undefined ? {} : { ExternalId: externalId }),
        }),
      );
    } catch (error) {
      throw toAccessError(error, roleArn);
    }
    const c = out.Credentials;
    if (!c?.AccessKeyId || !c.SecretAccessKey || !c.SessionToken) {
      throw new Error(`AssumeRole ${roleArn} returned no credentials.`);
    }
    return {
      accessKeyId: c.AccessKeyId,
      secretAccessKey: c.SecretAccessKey,
      sessionToken: c.SessionToken,
      ...(c.Expiration ? { expiration: c.Expiration } : {}),
    };
  }
}
