import type { DriftEventRecord } from '../../shared/store';
import { formatValue } from '../format/values';
import type { CliIo } from '../io';
import { EXIT } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { findStage } from './query-support';

export interface HistoryOptions extends StoreOptions {
  readonly region?: string;
  readonly account?: string;
  readonly format: 'text' | 'json';
}

/** `stage-drift history <apiId> <stageName>`: every version, newest first, with what changed in each. */
export const runHistoryCommand = async (
  apiId: string,
  stageName: string,
  options: HistoryOptions,
  io: CliIo,
) => {
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const { key, versions } = await findStage(opened.store, apiId, stageName, options, opened.describe);
    const { events } = await opened.store.listStageEvents(key);
    const eventAt = new Map<string, DriftEventRecord>(events.map((e) => [e.detectedAt, e]));
    const entries = versions.map((v) => ({ version: v, event: eventAt.get(v.capturedAt) }));
    if (options.format === 'json') {
      io.stdout(
        `${JSON.stringify(
          {
            key,
            versions: entries.map(({ version, event }) => ({
              capturedAt: version.capturedAt,
              hash: version.hash ?? null,
              deleted: version.deleted,
              change: event?.change ?? (version === versions[versions.length - 1] ? 'BASELINE' : null),
              severity: event?.severity ?? null,
              eventId: event?.id ?? null,
              changes: event?.changes ?? [],
            })),
          },
          null,
          2,
        )}\n`,
      );
      return EXIT.ok;
    }
    const lines = [
      `${key.apiType} API ${apiId} stage ${stageName} in ${key.account}/${key.region}: ${versions.length} versions`,
    ];
    for (const [i, { version, event }] of entries.entries()) {
      const oldest = i === entries.length - 1;
      const head = version.deleted
        ? 'stage deleted'
        : `hash ${version.hash?.slice(0, 12) ?? '?'}${oldest && !event ? ' (first seen)' : ''}`;
      lines.push(
        '',
        `${version.capturedAt}  ${event ? `${event.severity} ${event.change}` : ''}  ${head}`.replace(
          / {3,}/,
          '  ',
        ),
      );
      for (const c of event?.changes ?? []) {
        lines.push(
          `    ${c.severity.padEnd(8)} ${c.label}: ${formatValue(c.before)} -> ${formatValue(c.after)}`,
        );
      }
    }
    io.stdout(`${lines.join('\n')}\n`);
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
