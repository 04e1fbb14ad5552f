import { CollectOptionsError } from './errors';

/**
 * Build the collector's SDK clients with this: the collector owns retries (through its
 * budget, with a deadline), so the SDK's default 3 silent attempts must not burn the
 * account's shared management budget behind its back.
 */
export const COLLECTOR_CLIENT_CONFIG = { maxAttempts: 1 } as const;

/** What the collector needs of an SDK client before it sends anything: its retry setting. */
export interface CollectorClient {
  readonly config: { readonly maxAttempts?: unknown };
}

/** Refuses a client that would retry on its own (maxAttempts > 1). */
export const assertCollectorClient = async (client: CollectorClient, label: string): Promise<void> => {
  const provider = client.config.maxAttempts;
  const maxAttempts: unknown =
    typeof provider === 'function' ? await (provider as () => unknown)() : provider;
  if (typeof maxAttempts === 'number' && maxAttempts > 1) {
    throw new CollectOptionsError(
      `${label} was built with maxAttempts ${maxAttempts}: build it with ` +
        '{ ...COLLECTOR_CLIENT_CONFIG } (maxAttempts 1) so only the collector retries, within its budget.',
    );
  }
};
