import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { EXIT, nowOf } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import type { PublishOptions } from './publish-options';
import { createCliPublishDeps, deliverAndReport, hasChannel } from './publish-options';

export interface PublishCommandOptions extends PublishOptions {
  readonly store?: string;
  readonly table?: string;
  /** Region of `--table`. */
  readonly region?: string;
}

/** `stage-drift publish`: sends the alerts still pending in the outbox, oldest first, and nothing else. */
export const runPublishCommand = async (options: PublishCommandOptions, io: CliIo): Promise<number> => {
  if (!hasChannel(options, io))
    throw new UsageError(
      `publish needs a channel: --sns-topic-arn or --slack-webhook-url (or STAGE_DRIFT_SLACK_WEBHOOK_URL)`,
    );
  const opened = await openStore(
    {
      ...options,
      ...(options.region === undefined ? {} : { tableRegion: options.region }),
    } satisfies StoreOptions,
    io,
    'read',
  );
  try {
    const publisher = createCliPublishDeps(options, io, {
      ...opened,
      deployed: options.table !== undefined,
    })!;
    try {
      const delivered = await deliverAndReport(publisher, opened.store, io, {
        now: nowOf(io),
        summaryTo: 'stdout',
        ifNothingPending: 'No alerts pending.',
      });
      return delivered ? EXIT.ok : EXIT.notDelivered;
    } finally {
      publisher.destroy();
    }
  } finally {
    await opened.close();
  }
};
