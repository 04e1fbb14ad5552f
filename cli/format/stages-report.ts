import type { StageSnapshot } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import type { LatestEntry } from '../../shared/store';
import type { TableStyle } from './table';
import { colourSeverity, renderMarkdownTable, renderTable } from './table';
import { escapeControlChars, renderJsonDocument } from './values';

export type StagesFormat = 'text' | 'json' | 'markdown';

const COLUMNS = [
  { header: 'REGION' },
  { header: 'API', flexible: true },
  { header: 'TYPE' },
  { header: 'STAGE', flexible: true },
  { header: 'DEPLOYMENT' },
  { header: 'LAST CHANGE' },
  { header: 'LAST DRIFT' },
];

/** Code-point order: the same in every locale. */
const compareText = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);
const sortKey = (e: LatestEntry): string =>
  [e.key.account, e.key.region, e.apiName, e.key.apiId, e.key.stageName].join('\u0000');

/** One row per stage, by account, region, API name and stage (the store lists them by type and id). */
export const toStageRows = (entries: readonly LatestEntry[], snapshots: ReadonlyMap<string, StageSnapshot>) =>
  [...entries]
    .sort((a, b) => compareText(sortKey(a), sortKey(b)))
    .map((e) => ({
      account: e.key.account,
      region: e.key.region,
      apiId: e.key.apiId,
      apiName: e.apiName,
      apiType: e.key.apiType,
      stageName: e.key.stageName,
      deploymentId: snapshots.get(formatStageKey(e.key))?.config.deploymentId ?? null,
      capturedAt: e.capturedAt,
      lastChange: e.lastChange ?? null,
      lastSeverity: e.lastSeverity ?? null,
      lastDriftAt: e.lastDriftAt ?? null,
    }));

export type StageRow = ReturnType<typeof toStageRows>[number];

/** `stage-drift stages`: a table (text, markdown) or `{ stages }` JSON, stable for scripts and jq. */
export const renderStages = (rows: readonly StageRow[], format: StagesFormat, style: TableStyle): string => {
  if (format === 'json') return renderJsonDocument({ stages: rows });
  if (rows.length === 0) return 'No stages match.\n';
  const colour = style.colour && format === 'text';
  const cells = rows.map((r) => [
    escapeControlChars(r.region),
    escapeControlChars(`${r.apiName} (${r.apiId})`),
    r.apiType,
    escapeControlChars(r.stageName),
    r.deploymentId === null ? '-' : escapeControlChars(r.deploymentId),
    r.capturedAt.replace('T', ' ').slice(0, 16),
    r.lastSeverity ? `${colourSeverity(r.lastSeverity, colour)} ${r.lastChange ?? ''}`.trim() : '-',
  ]);
  return format === 'markdown'
    ? renderMarkdownTable(COLUMNS, cells)
    : renderTable(COLUMNS, cells, style.columns);
};
