import { ConfigError } from './errors';
import { SETTINGS } from './settings';

/**
 * The member accounts a monitor watches and how it reads them: what the snapshot function scans
 * (with the task queue, `FanOutConfig`) and whose forwarded CloudTrail events the rescan function
 * may rescan.
 */
export interface MemberAccountsConfig {
  /** Accounts to scan (12-digit ids). @default none */
  readonly targetAccounts: readonly string[];
  /** An AWS Organizations OU whose ACTIVE accounts are scanned, resolved at every run. @default none */
  readonly targetOrganizationalUnit?: string;
  /** The role assumed in each member account. @default 'StageDriftReader' */
  readonly readerRoleName: string;
  /** `sts:ExternalId` passed with AssumeRole. @default none */
  readonly externalId?: string;
}

/**
 * Many accounts and regions: the scheduled run plans one task per account + region into an SQS
 * FIFO queue and the snapshot function scans each in the member account's reader role.
 */
export interface FanOutConfig extends MemberAccountsConfig {
  /** URL of the FIFO task queue. */
  readonly taskQueueUrl: string;
}

export const DEFAULT_READER_ROLE_NAME = SETTINGS.readerRoleName.default;

const ACCOUNT_ID = /^\d{12}$/;
/** Organizations' pattern for an OU id. */
const OU_ID = /^ou-[0-9a-z]{4,32}-[a-z0-9]{8,32}$/;
/** IAM's pattern for a role name. */
const ROLE_NAME = /^[\w+=,.@-]{1,64}$/;
/** STS's pattern for an external id. */
const EXTERNAL_ID = /^[\w+=,.@:/-]{2,1224}$/;

export const validateAccountIds = (accounts: unknown, setting: string): readonly string[] => {
  if (!Array.isArray(accounts)) {
    throw new ConfigError(setting, 'expected a list of 12-digit account ids, e.g. ["111122223333"]');
  }
  accounts.forEach((account: unknown, i) => {
    if (typeof account !== 'string' || !ACCOUNT_ID.test(account)) {
      throw new ConfigError(
        `${setting}[${i}]`,
        `${JSON.stringify(account)} is not an AWS account id: use its 12 digits, e.g. "111122223333"`,
      );
    }
  });
  return [...new Set(accounts as string[])];
};

/** The monitor's account id (`monitorAccountId` of the member-account constructs). */
export const validateMonitorAccountId = (value: unknown, setting: string): string => {
  if (typeof value !== 'string' || !ACCOUNT_ID.test(value)) {
    throw new ConfigError(
      setting,
      `${JSON.stringify(value)} is not an AWS account id: use the 12 digits of the monitor's account`,
    );
  }
  return value;
};

export const validateOrganizationalUnitId = (value: unknown, setting: string): string => {
  if (typeof value !== 'string' || !OU_ID.test(value)) {
    throw new ConfigError(
      setting,
      `${JSON.stringify(value)} is not an organizational unit id: use the form ou-ab12-cd34ef56 ` +
        '(AWS Organizations console, or `aws organizations list-organizational-units-for-parent`)',
    );
  }
  return value;
};

export const validateRoleName = (value: unknown, setting: string): string => {
  if (typeof value !== 'string' || !ROLE_NAME.test(value)) {
    throw new ConfigError(
      setting,
      `${JSON.stringify(value)} is not an IAM role name: use up to 64 letters, digits and +=,.@_-, ` +
        `e.g. ${DEFAULT_READER_ROLE_NAME} (the default)`,
    );
  }
  return value;
};

export const validateExternalId = (value: unknown, setting: string): string => {
  if (typeof value !== 'string' || !EXTERNAL_ID.test(value)) {
    throw new ConfigError(
      setting,
      'expected 2 to 1224 letters, digits and +=,.@:/_- (the external id the reader roles require)',
    );
  }
  return value;
};

/** A FIFO queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>.fifo`, or an emulator's). */
export const validateTaskQueueUrl = (value: unknown, setting: string): string =>
  validateQueueUrlOf(value, setting, true);

/** A standard queue URL (`https://sqs.<region>.amazonaws.com/<account>/<name>`, or an emulator's). */
export const validateStandardQueueUrl = (value: unknown, setting: string): string =>
  validateQueueUrlOf(value, setting, false);

const validateQueueUrlOf = (value: unknown, setting: string, fifo: boolean): string => {
  let url: URL | undefined;
  try {
    url = typeof value === 'string' ? new URL(value) : undefined;
  } catch {
    url = undefined;
  }
  if (!url || !/^https?:$/.test(url.protocol) || url.pathname.endsWith('.fifo') !== fifo) {
    throw new ConfigError(
      setting,
      `${JSON.stringify(value)} is not the URL of an SQS ${fifo ? 'FIFO' : 'standard'} queue: use ` +
        `https://sqs.<region>.amazonaws.com/<account>/<name>${fifo ? '.fifo' : ''}`,
    );
  }
  return value as string;
};

/** The role to assume in `account`. */
export const readerRoleArn = (partition: string, account: string, roleName: string): string =>
  `arn:${partition}:iam::${account}:role/${roleName}`;
