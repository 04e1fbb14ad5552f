import type { Severity } from '../../shared/model';
import { severityRank } from '../../shared/model';
import type { EventStatus } from '../../shared/store';
import { EVENT_STATUSES, eventStatusOf } from '../../shared/store';
import type { EventsFormat } from '../format/events-report';
import { renderEvents } from '../format/events-report';
import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { EXIT, tableStyle } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { parseWhen, scopesOf, sortEventsNewestFirst } from './query-support';

export interface EventsOptions extends StoreOptions {
  readonly since?: string;
  readonly until?: string;
  readonly severity?: Severity;
  readonly api?: string;
  readonly stage?: string;
  readonly region?: string;
  readonly account?: string;
  readonly limit: number;
  readonly format: EventsFormat;
  /** `--status`, repeatable or comma-separated: only events with one of these statuses. */
  readonly status?: readonly string[];
}

/** `--status open,acknowledged --status reverted` → the statuses; anything else is a UsageError. */
const parseStatuses = (values: readonly string[]): Set<EventStatus> | undefined => {
  const statuses = values.flatMap((value) => value.split(',')).map((value) => value.trim().toLowerCase());
  if (statuses.length === 0) return undefined;
  const valid = EVENT_STATUSES as readonly string[];
  const bad = statuses.find((status) => !valid.includes(status));
  if (bad !== undefined) {
    throw new UsageError(
      `--status "${bad}": expected ${EVENT_STATUSES.join(', ')} (repeatable, or comma-separated)`,
    );
  }
  return new Set(statuses as EventStatus[]);
};

/** `stage-drift events`: drift events, newest first. */
export const runEventsCommand = async (options: EventsOptions, io: CliIo, now: Date): Promise<number> => {
  const since = options.since === undefined ? undefined : parseWhen(options.since, '--since', now);
  const until = options.until === undefined ? undefined : parseWhen(options.until, '--until', now);
  if (since !== undefined && until !== undefined && since > until) {
    throw new UsageError(`--since ${since} is after --until ${until}: swap them`);
  }
  const statuses = parseStatuses(options.status ?? []);
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    await scopesOf(opened.store, options, opened.describe); // an empty store or an unscanned region: say so
    const listing = await opened.store.listEvents({
      ...(since ? { since } : {}),
      ...(until ? { until } : {}),
    });
    const events = sortEventsNewestFirst(listing.events)
      .filter((e) => !options.severity || severityRank(e.severity) >= severityRank(options.severity))
      .filter((e) => !options.api || e.api.id === options.api)
      .filter((e) => !options.stage || e.stageName === options.stage)
      .filter((e) => !options.region || e.region === options.region)
      .filter((e) => !options.account || e.account === options.account)
      .filter((e) => !statuses || statuses.has(eventStatusOf(e)))
      .slice(0, options.limit);
    for (const problem of listing.problems)
      io.stderr(`stage-drift: skipped an unreadable event: ${problem.message}\n`);
    io.stdout(renderEvents(events, options.format, tableStyle(io)));
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
