import { writeFile } from 'node:fs/promises';
import { redactChangeValue } from '../../shared/diff';
import type { JsonValue } from '../../shared/model';
import { configAsJson } from '../../shared/model';
import type { PostureControl } from '../../shared/posture';
import type { DriftEventRecord } from '../../shared/store';
import { loadOrCreateFingerprintKey } from '../../shared/store';
import { UsageError } from '../errors';
import type { HtmlReportData, ReportStage } from '../format/html-report';
import { renderHtmlReport } from '../format/html-report';
import { controlInfo, postureRowOf, postureSummaryLine } from '../format/posture-report';
import type { CliIo } from '../io';
import { EXIT } from '../io';
import type { OpenedStore, StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import type { PostureFilter } from './posture-support';
import { loadPostures, postureControlsOf } from './posture-support';
import { parseWhen, scopesOf, sortEventsNewestFirst } from './query-support';

export interface ReportOptions extends StoreOptions, PostureFilter {
  /** The HTML file to write. */
  readonly html: string;
  readonly since?: string;
  readonly postureRules?: string;
}

export const DEFAULT_REPORT_WINDOW = '30d';

const NO_REVEAL: ReadonlySet<string> = new Set();

const stageIdOf = (e: {
  account: string;
  region: string;
  apiType: string;
  apiId: string;
  stageName: string;
}) => [e.account, e.region, e.apiType, e.apiId, e.stageName].join('\u0000');

/** The filters as typed, for the report's header. */
const filtersOf = (options: ReportOptions): string[] => [
  ...(options.account ? ['--account', options.account] : []),
  ...(options.region ? ['--region', options.region] : []),
  ...(options.api ? ['--api', options.api] : []),
  ...(options.failing ? ['--failing'] : []),
];

/** Reads what the report shows: latest snapshots and their posture, the window's events, each stage's versions. */
export const loadReportData = async (
  opened: OpenedStore,
  options: ReportOptions,
  controls: readonly PostureControl[],
  window: { readonly since: string; readonly until: string; readonly now: Date },
  io: CliIo,
): Promise<HtmlReportData> => {
  const { store } = opened;
  const scopes = await scopesOf(store, options, opened.describe);
  const evaluated = await loadPostures(store, options, opened.describe, controls);
  const listing = await store.listEvents({ since: window.since, until: window.until });
  for (const problem of listing.problems)
    io.stderr(`stage-drift: skipped an unreadable event: ${problem.message}\n`);
  const inScope = (e: DriftEventRecord) =>
    scopes.some((s) => s.account === e.account && s.region === e.region) &&
    (!options.api || e.api.id === options.api);
  const events = sortEventsNewestFirst(listing.events.filter(inScope));
  const eventsOfStage = new Map<string, DriftEventRecord[]>();
  for (const e of events) {
    const id = stageIdOf({ ...e, apiType: e.api.type, apiId: e.api.id });
    eventsOfStage.set(id, [...(eventsOfStage.get(id) ?? []), e]);
  }
  // Stage variable values never reach the page: the current config is fingerprinted as `show` does.
  const fingerprintKey = await loadOrCreateFingerprintKey(opened.client, opened.tableName);
  const stages: ReportStage[] = [];
  for (const { entry, snapshot, posture } of evaluated) {
    stages.push({
      key: entry.key,
      apiName: entry.apiName,
      capturedAt: entry.capturedAt,
      hash: entry.hash,
      results: posture.results,
      versions: await store.listVersions(entry.key),
      events: eventsOfStage.get(stageIdOf(entry.key)) ?? [],
      // The root is no variable: what comes back is the config with its variable values replaced.
      redactedConfig: redactChangeValue([], configAsJson(snapshot), {
        fingerprintKey,
        reveal: NO_REVEAL,
      }) as JsonValue,
    });
  }
  // With --failing the timeline keeps to the stages shown; otherwise it has every stage of the scope.
  const shown = new Set(stages.map((s) => stageIdOf(s.key)));
  const timeline = options.failing
    ? events.filter((e) => shown.has(stageIdOf({ ...e, apiType: e.api.type, apiId: e.api.id })))
    : events;
  return {
    generatedAt: window.now.toISOString(),
    source: opened.describe,
    scopes: scopes
      .map((s) => ({ account: s.account, region: s.region }))
      .sort((a, b) => (`${a.account}/${a.region}` < `${b.account}/${b.region}` ? -1 : 1)),
    filters: filtersOf(options),
    since: window.since,
    until: window.until,
    controls: controlInfo([...controls]),
    stages,
    events: timeline,
  };
};

/** `stage-drift report --html FILE`: one self-contained HTML page of posture and drift. */
export const runReportCommand = async (options: ReportOptions, io: CliIo, now: Date): Promise<number> => {
  const since = parseWhen(options.since ?? DEFAULT_REPORT_WINDOW, '--since', now);
  const until = now.toISOString();
  if (since > until) throw new UsageError(`--since ${since} is in the future: use e.g. 7d or a past date`);
  const controls = postureControlsOf(options.postureRules);
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const data = await loadReportData(opened, options, controls, { since, until, now }, io);
    const html = renderHtmlReport(data);
    try {
      await writeFile(options.html, html, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot write the report to ${options.html}: ${(error as Error).message}`);
    }
    const rows = data.stages.map((s) => postureRowOf(s.key, s.apiName, s.capturedAt, s.results));
    const kb = Math.max(1, Math.round(Buffer.byteLength(html, 'utf8') / 1024));
    io.stdout(
      `Wrote ${options.html} (${kb} KB, ${data.events.length} drift events since ${since.slice(0, 10)}): ${postureSummaryLine(rows, data.controls)}\n`,
    );
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
