import type { LatestEntry } from '../../shared/store';
import { colourSeverity, renderMarkdownTable, renderTable } from '../format/table';
import type { CliIo } from '../io';
import { EXIT, useColour } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { scopesOf } from './query-support';

export interface StagesOptions extends StoreOptions {
  readonly region?: string;
  readonly account?: string;
  readonly api?: string;
  readonly format: 'text' | 'json' | 'markdown';
}

const COLUMNS = [
  { header: 'REGION' },
  { header: 'API', flexible: true },
  { header: 'TYPE' },
  { header: 'STAGE', flexible: true },
  { header: 'DEPLOYMENT' },
  { header: 'LAST CHANGE' },
  { header: 'LAST DRIFT' },
];

/** `stage-drift stages`: the latest snapshot of every stage, one line each. */
export const runStagesCommand = async (options: StagesOptions, io: CliIo): Promise<number> => {
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const scopes = await scopesOf(opened.store, options, opened.describe);
    const latest: LatestEntry[] = [];
    for (const scope of scopes) latest.push(...(await opened.store.listLatest(scope.account, scope.region)));
    const entries = latest.filter((e) => !options.api || e.key.apiId === options.api);
    const snapshots = entries.length > 0 ? await opened.store.getSnapshots(entries) : new Map();
    const rows = entries.map((e) => {
      const id = `${e.key.account}/${e.key.region}/${e.key.apiType}/${e.key.apiId}/${e.key.stageName}`;
      const snapshot = snapshots.get(id) as { config: { deploymentId?: string } } | undefined;
      return {
        account: e.key.account,
        region: e.key.region,
        apiId: e.key.apiId,
        apiName: e.apiName,
        apiType: e.key.apiType,
        stageName: e.key.stageName,
        deploymentId: snapshot?.config.deploymentId ?? null,
        capturedAt: e.capturedAt,
        lastChange: e.lastChange ?? null,
        lastSeverity: e.lastSeverity ?? null,
        lastDriftAt: e.lastDriftAt ?? null,
      };
    });
    if (options.format === 'json') {
      io.stdout(`${JSON.stringify({ stages: rows }, null, 2)}\n`);
      return EXIT.ok;
    }
    if (rows.length === 0) {
      io.stdout('No stages match.\n');
      return EXIT.ok;
    }
    const colour = useColour(io) && options.format === 'text';
    const cells = rows.map((r) => [
      r.region,
      `${r.apiName} (${r.apiId})`,
      r.apiType,
      r.stageName,
      r.deploymentId ?? '-',
      r.capturedAt.replace('T', ' ').slice(0, 16),
      r.lastSeverity ? `${colourSeverity(r.lastSeverity, colour)} ${r.lastChange ?? ''}`.trim() : '-',
    ]);
    io.stdout(
      options.format === 'markdown'
        ? renderMarkdownTable(COLUMNS, cells)
        : renderTable(COLUMNS, cells, io.columns ?? Number.POSITIVE_INFINITY),
    );
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
