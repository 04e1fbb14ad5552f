import type { Clock } from '../runtime';
import { systemClock } from '../runtime';
import { StoreError } from './errors';

/** A `Clock` whose `sleep` (for retry backoff) may be left out: the system clock's is used then. */
export type StoreClock = Pick<Clock, 'now'> & Partial<Pick<Clock, 'sleep'>>;

export interface DynamoSnapshotStoreOptions {
  /** The table, created from `tableDefinition(tableName)` or by the CDK construct. */
  readonly tableName: string;
  /**
   * Days to keep superseded versions, tombstones, drift events and run records (the TTL
   * attribute `ttl`). Latest items and the version they point at never expire. Positive integer.
   * @default 365
   */
  readonly retentionDays?: number;
  /** @default the system clock */
  readonly clock?: StoreClock;
}

export interface ResolvedStoreOptions {
  readonly tableName: string;
  readonly retentionSeconds: number;
  readonly now: () => number;
  readonly sleep: (ms: number) => Promise<void>;
}

const DAY_SECONDS = 86_400;
const TABLE_NAME_PATTERN = /^[A-Za-z0-9_.-]{3,255}$/;

/** Validates the options, with a message that names the option and the fix. */
export const resolveStoreOptions = (options: DynamoSnapshotStoreOptions): ResolvedStoreOptions => {
  if (!TABLE_NAME_PATTERN.test(options.tableName)) {
    throw new StoreError(
      `tableName "${options.tableName}" is not a DynamoDB table name: use 3 to 255 letters, digits, "_", "-" or ".".`,
    );
  }
  const retentionDays = options.retentionDays ?? 365;
  if (!Number.isInteger(retentionDays) || retentionDays <= 0) {
    throw new StoreError(
      `retentionDays must be a positive whole number of days (got ${String(retentionDays)}): ` +
        `omit it for the default of 365.`,
    );
  }
  const clock = options.clock;
  return {
    tableName: options.tableName,
    retentionSeconds: retentionDays * DAY_SECONDS,
    now: clock ? () => clock.now() : () => Date.now(),
    sleep: clock?.sleep?.bind(clock) ?? ((ms) => systemClock.sleep(ms)),
  };
};
