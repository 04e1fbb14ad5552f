import type { DriftEventRecord } from '../../shared/store';
import { eventStatusOf } from '../../shared/store';
import type { TableStyle } from './table';
import { colourSeverity, renderMarkdownTable, renderTable } from './table';
import { escapeControlChars, renderJsonDocument } from './values';

export type EventsFormat = 'text' | 'json' | 'markdown';

/** The id as the table shows it: `stage-drift ack` takes this prefix (or more). */
const SHORT_ID_LENGTH = 8;

const COLUMNS = [
  { header: 'ID' },
  { header: 'DETECTED' },
  { header: 'SEVERITY' },
  { header: 'CHANGE' },
  { header: 'STATUS' },
  { header: 'REGION' },
  { header: 'API', flexible: true },
  { header: 'STAGE' },
  { header: 'WHAT', flexible: true },
];

const what = (e: DriftEventRecord): string => {
  const first = e.changes[0];
  if (!first) return e.change === 'DELETED' ? 'stage deleted' : e.change === 'CREATED' ? 'stage created' : '';
  const label = escapeControlChars(first.label);
  return e.changes.length === 1 ? label : `${label} (+${e.changes.length - 1} more)`;
};

/**
 * `stage-drift events`: a table (text, markdown) or `{ events }` JSON, stable for scripts and jq.
 * Each event's `status` (open, acknowledged, reverted) is derived from its `acks` and `reverted`.
 */
export const renderEvents = (
  events: readonly DriftEventRecord[],
  format: EventsFormat,
  style: TableStyle,
): string => {
  if (format === 'json') {
    return renderJsonDocument({ events: events.map((e) => ({ ...e, status: eventStatusOf(e) })) });
  }
  if (events.length === 0) return 'No drift events match.\n';
  const rows = events.map((e) => [
    escapeControlChars(e.id.slice(0, SHORT_ID_LENGTH)),
    e.detectedAt.replace('T', ' ').slice(0, 19),
    format === 'text' ? colourSeverity(e.severity, style.colour) : e.severity,
    e.change,
    eventStatusOf(e),
    escapeControlChars(e.region),
    escapeControlChars(`${e.api.name} (${e.api.id})`),
    escapeControlChars(e.stageName),
    what(e),
  ]);
  return format === 'markdown'
    ? renderMarkdownTable(COLUMNS, rows)
    : renderTable(COLUMNS, rows, style.columns);
};
