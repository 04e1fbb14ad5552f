import { DynamoEventStatus, isPostureSummary } from '../../shared/store';
import { readCallerIdentity } from '../caller-identity';
import { escapeControlChars } from '../format/values';
import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { EXIT, nowOf } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';

export interface AckOptions extends StoreOptions {
  readonly note?: string;
  readonly by?: string;
  /** The region of --table, and of STS. */
  readonly region?: string;
}

/** `stage-drift ack <eventId> [--note TEXT] [--by WHO]`: acknowledges one drift event. */
export const runAckCommand = async (eventId: string, options: AckOptions, io: CliIo): Promise<number> => {
  // 'read': acknowledging never creates a store, though it writes to the one it finds.
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const clock = { now: () => nowOf(io).getTime() };
    const status = new DynamoEventStatus(opened.client, { tableName: opened.tableName, clock });
    const event = await status.findEvent(eventId);
    if (!event) {
      throw new UsageError(
        `no drift event ${eventId} in ${opened.describe} within the retention period: see \`stage-drift events\``,
      );
    }
    if (isPostureSummary(event)) {
      throw new UsageError(
        `${event.id} is the posture summary of the baseline of ${event.account}/${event.region}, not a drift event: it cannot be acknowledged`,
      );
    }
    // --by wins without asking STS; else the caller's ARN (a failure says to pass --by).
    const by = options.by ?? (await readCallerIdentity(options.region, io)).arn;
    const acked = await status.acknowledgeEvent(event, {
      by,
      at: nowOf(io).toISOString(),
      ...(options.note === undefined ? {} : { note: options.note }),
    });
    io.stdout(
      escapeControlChars(
        `acknowledged ${acked.id} (${acked.api.id} ${acked.stageName}, ${acked.change} ${acked.severity}) by ${by.trim()}`,
      ) + '\n',
    );
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
