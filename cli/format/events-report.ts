import type { DriftEventRecord } from '../../shared/store';
import type { TableStyle } from './table';
import { colourSeverity, renderMarkdownTable, renderTable } from './table';

export type EventsFormat = 'text' | 'json' | 'markdown';

const COLUMNS = [
  { header: 'DETECTED' },
  { header: 'SEVERITY' },
  { header: 'CHANGE' },
  { header: 'REGION' },
  { header: 'API', flexible: true },
  { header: 'STAGE' },
  { header: 'WHAT', flexible: true },
];

const what = (e: DriftEventRecord): string => {
  const first = e.changes[0];
  if (!first) return e.change === 'DELETED' ? 'stage deleted' : e.change === 'CREATED' ? 'stage created' : '';
  return e.changes.length === 1 ? first.label : `${first.label} (+${e.changes.length - 1} more)`;
};

/** `stage-drift events`: a table (text, markdown) or `{ events }` JSON, stable for scripts and jq. */
export const renderEvents = (
  events: readonly DriftEventRecord[],
  format: EventsFormat,
  style: TableStyle,
): string => {
  if (format === 'json') return `${JSON.stringify({ events }, null, 2)}\n`;
  if (events.length === 0) return 'No drift events match.\n';
  const rows = events.map((e) => [
    e.detectedAt.replace('T', ' ').slice(0, 19),
    format === 'text' ? colourSeverity(e.severity, style.colour) : e.severity,
    e.change,
    e.region,
    `${e.api.name} (${e.api.id})`,
    e.stageName,
    what(e),
  ]);
  return format === 'markdown'
    ? renderMarkdownTable(COLUMNS, rows)
    : renderTable(COLUMNS, rows, style.columns);
};
