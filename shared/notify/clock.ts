/** A time source in milliseconds; senders wait through it so tests run in virtual time. */
export interface NotifyClock {
  now(): number;
  /** Resolves after `ms` milliseconds (at once for `ms <= 0`). */
  sleep(ms: number): Promise<void>;
}

/** `Date.now()` and `setTimeout`. */
export const systemNotifyClock: NotifyClock = {
  now: () => Date.now(),
  sleep: (ms) => (ms > 0 ? new Promise((resolve) => setTimeout(resolve, ms)) : Promise.resolve()),
};
