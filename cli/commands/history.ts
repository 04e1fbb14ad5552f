import type { HistoryFormat } from '../format/history-report';
import { renderHistory } from '../format/history-report';
import type { CliIo } from '../io';
import { EXIT } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { findStage } from './query-support';

export interface HistoryOptions extends StoreOptions {
  readonly region?: string;
  readonly account?: string;
  readonly format: HistoryFormat;
}

/** `stage-drift history <apiId> <stageName>`: every version, newest first, with what changed in each. */
export const runHistoryCommand = async (
  apiId: string,
  stageName: string,
  options: HistoryOptions,
  io: CliIo,
): Promise<number> => {
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const { key, versions } = await findStage(opened.store, apiId, stageName, options, opened.describe);
    const { events } = await opened.store.listStageEvents(key);
    io.stdout(renderHistory(key, versions, events, options.format));
    return EXIT.ok;
  } finally {
    await opened.close();
  }
};
