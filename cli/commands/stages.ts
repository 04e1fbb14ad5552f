import type { LatestEntry } from '../../shared/store';
import type { StagesFormat } from '../format/stages-report';
import { renderStages, toStageRows } from '../format/stages-report';
import type { CliIo } from '../io';
import { EXIT, tableStyle } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { scopesOf } from './query-support';

export interface StagesOptions extends StoreOptions {
  readonly region?: string;
  readonly account?: string;
  readonly api?: string;
  readonly format: StagesFormat;
}

/** `stage-drift stages`: the latest snapshot of every stage, one line each. */
export const runStagesCommand = async (options: StagesOptions, io: CliIo): Promise<number> => {
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const scopes = await scopesOf(opened.store, options, opened.describe);
    const latest: LatestEntry[] = [];
    for (const scope of scopes) latest.push(...(await opened.store.listLatest(scope.account, scope.region)));
    const entries = latest.filter((e) => !options.api || e.key.apiId === options.api);
    const snapshots = entries.length > 0 ? await opened.store.getSnapshots(entries) : new Map();
    io.stdout(renderStages(toStageRows(entries, snapshots), options.format, tableStyle(io)));
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
