import type { StageDriftConfig } from '../../shared/config';
import {
  ConfigError,
  DEFAULT_READER_ROLE_NAME,
  resolveConfig,
  validateAccountIds,
  validateExternalId,
  validateRoleName,
} from '../../shared/config';
import { DEFAULT_STORE_DIR } from '../defaults';
import { UsageError } from '../errors';
import type { CliIo } from '../io';
import type { PublishOptions } from './publish-options';

export interface ScanCommandOptions extends PublishOptions {
  readonly region: readonly string[];
  readonly store?: string;
  readonly table?: string;
  readonly format: 'text' | 'json';
  readonly requestsPerSecond?: number;
  readonly concurrency?: number;
  /** Attribute drift from CloudTrail and suppress or downgrade infrastructure-as-code changes. */
  readonly outOfBand?: 'suppress' | 'downgrade';
  /** Accounts to scan (default: the caller's); others than the caller's through their reader role. */
  readonly account?: readonly string[];
  readonly roleName?: string;
  readonly externalId?: string;
  /** No progress line on the terminal. */
  readonly quiet?: boolean;
  /** Import the posture changes as Security Hub findings (BatchImportFindings). */
  readonly securityHub?: boolean;
}

export interface AccountTargets {
  readonly accounts: readonly string[];
  readonly roleName: string;
  readonly externalId?: string;
}

/** Where the snapshots go: the embedded store in a directory, or a deployed table. */
export type ScanDestination =
  { readonly kind: 'store'; readonly dir: string } | { readonly kind: 'table'; readonly tableName: string };

/** `stage-drift scan`'s options, validated: what to scan, where to, and how to report. */
export interface ScanRequest {
  readonly config: StageDriftConfig;
  readonly destination: ScanDestination;
  /** None: the caller's own account. */
  readonly targets?: AccountTargets;
  readonly format: 'text' | 'json';
  readonly quiet?: boolean;
  readonly publish: PublishOptions;
  /** AWS_ENDPOINT_URL, for error messages only: the SDK reads it (and its per-service forms) itself. */
  readonly endpoint?: string;
  /** `--security-hub`: import findings after the scan (cli/commands/scan-findings.ts). */
  readonly securityHub?: boolean;
}

/** A ConfigError of the shared validation becomes the CLI's UsageError (exit 2), same message. */
const asUsage = <T>(validate: () => T): T => {
  try {
    return validate();
  } catch (error) {
    if (error instanceof ConfigError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
};

/** `--account`, `--role-name`, `--external-id` (or STAGE_DRIFT_EXTERNAL_ID), validated; none = the caller's account. */
const accountTargets = (options: ScanCommandOptions, io: CliIo): AccountTargets | undefined => {
  const externalId = options.externalId ?? io.env.STAGE_DRIFT_EXTERNAL_ID;
  const accounts = options.account ?? [];
  if (accounts.length === 0) {
    if (options.roleName !== undefined || options.externalId !== undefined)
      throw new UsageError('--role-name and --external-id go with --account: name the accounts to scan');
    return undefined;
  }
  return asUsage(() => ({
    accounts: [...new Set(validateAccountIds(accounts, '--account'))],
    roleName: validateRoleName(options.roleName ?? DEFAULT_READER_ROLE_NAME, '--role-name'),
    ...(externalId === undefined ? {} : { externalId: validateExternalId(externalId, '--external-id') }),
  }));
};

/** `--region`, else AWS_REGION / AWS_DEFAULT_REGION, else `profileRegion` (the SDK's, from the profile). */
const scanRegions = async (
  options: ScanCommandOptions,
  io: CliIo,
  profileRegion: () => Promise<string | undefined>,
): Promise<readonly string[]> => {
  if (options.region.length > 0) return options.region;
  const fromEnv = io.env.AWS_REGION ?? io.env.AWS_DEFAULT_REGION;
  const fallback = fromEnv || (await profileRegion());
  if (!fallback) throw new UsageError('no region: pass --region eu-west-1 (repeatable) or set AWS_REGION');
  return [fallback];
};

/**
 * Parses the options of `stage-drift scan` into a request, or throws a UsageError that says what
 * to change. `profileRegion` is asked only when neither `--region` nor the environment names one.
 */
export const parseScanRequest = async (
  options: ScanCommandOptions,
  io: CliIo,
  profileRegion: () => Promise<string | undefined>,
): Promise<ScanRequest> => {
  if (options.store !== undefined && options.table !== undefined) {
    throw new UsageError(
      '--store and --table are exclusive: scan into a local store or into a deployed table',
    );
  }
  const targets = accountTargets(options, io);
  const regions = await scanRegions(options, io, profileRegion);
  const config = asUsage(() =>
    resolveConfig(
      {
        regions,
        ...(options.requestsPerSecond === undefined ? {} : { requestsPerSecond: options.requestsPerSecond }),
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.outOfBand === undefined ? {} : { outOfBand: options.outOfBand }),
      },
      {
        regions: '--region',
        requestsPerSecond: '--requests-per-second',
        concurrency: '--concurrency',
        outOfBand: '--out-of-band',
      },
    ),
  );
  const endpoint = io.env.AWS_ENDPOINT_URL;
  return {
    config,
    destination:
      options.table === undefined
        ? { kind: 'store', dir: options.store ?? DEFAULT_STORE_DIR }
        : { kind: 'table', tableName: options.table },
    ...(targets ? { targets } : {}),
    format: options.format,
    ...(options.quiet === undefined ? {} : { quiet: options.quiet }),
    publish: options,
    ...(endpoint ? { endpoint } : {}),
    ...(options.securityHub ? { securityHub: true } : {}),
  };
};
