import { GetCallerIdentityCommand } from '@aws-sdk/client-sts';
import { createStsClient, sdkDefaultRegion } from '../shared/clients';
import { UsageError } from './errors';
import type { CliIo } from './io';

/** GetCallerIdentity answers the same in every region: this one when none is configured. */
const FALLBACK_STS_REGION = 'us-east-1';

export interface CallerIdentity {
  /** `arn:aws:sts::<account>:assumed-role/<role>/<session>`, `arn:aws:iam::<account>:user/<name>`, ... */
  readonly arn: string;
  readonly account: string;
}

/**
 * Who is calling (sts:GetCallerIdentity), for the records of `ack` and `revert`. Region,
 * credentials and endpoint are the SDK's from the environment (AWS_ENDPOINT_URL and its
 * per-service forms), as for `scan`.
 * @throws UsageError (exit 2) naming `--by` when the caller cannot be told
 */
export const readCallerIdentity = async (region: string | undefined, io: CliIo): Promise<CallerIdentity> => {
  const resolved =
    region ??
    io.env.AWS_REGION ??
    io.env.AWS_DEFAULT_REGION ??
    (await sdkDefaultRegion()) ??
    FALLBACK_STS_REGION;
  const sts = createStsClient({ region: resolved });
  try {
    const { Arn, Account } = await sts.send(new GetCallerIdentityCommand({}));
    if (!Arn || !Account) throw new Error('GetCallerIdentity returned no Arn or Account');
    return { arn: Arn, account: Account };
  } catch (error) {
    const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    throw new UsageError(`could not tell who you are (${detail.split('\n')[0]!.trim()}); pass --by NAME`, {
      cause: error,
    });
  } finally {
    sts.destroy();
  }
};
