import type { StageKey } from '../../shared/model';
import type { ControlResult, ControlStatus, PostureControl } from '../../shared/posture';
import type { Column, TableStyle } from './table';
import { renderMarkdownTable, renderTable } from './table';
import { escapeControlChars, renderJsonDocument } from './values';

export type PostureFormat = 'text' | 'json' | 'markdown';

/** One stage of the matrix. */
export interface PostureRow {
  readonly account: string;
  readonly region: string;
  readonly apiType: string;
  readonly apiId: string;
  readonly apiName: string;
  readonly stageName: string;
  /** When the latest snapshot's content was first captured. */
  readonly capturedAt: string;
  /** In control order. */
  readonly controls: readonly ControlResult[];
}

/** A stage's row from its key and results. */
export const postureRowOf = (
  key: StageKey,
  apiName: string,
  capturedAt: string,
  controls: readonly ControlResult[],
): PostureRow => ({
  account: key.account,
  region: key.region,
  apiType: key.apiType,
  apiId: key.apiId,
  apiName,
  stageName: key.stageName,
  capturedAt,
  controls,
});

/** What a control is, as the report lists it (no `evaluate`). */
export type ControlInfo = Pick<PostureControl, 'id' | 'title' | 'severity' | 'source'> & {
  readonly url?: string;
};

export const controlInfo = (controls: readonly PostureControl[]): ControlInfo[] =>
  controls.map(({ id, title, severity, source, url }) => ({
    id,
    title,
    severity,
    source,
    ...(url === undefined ? {} : { url }),
  }));

/** Per control, how many of the rows fail it (controls nobody fails are left out), in control order. */
export const failingCounts = (
  rows: readonly PostureRow[],
  controls: readonly ControlInfo[],
): { readonly id: string; readonly stages: number }[] =>
  controls.flatMap(({ id }) => {
    const stages = rows.filter((r) => r.controls.some((c) => c.id === id && c.status === 'FAILED')).length;
    return stages === 0 ? [] : [{ id, stages }];
  });

export const failingStageCount = (rows: readonly PostureRow[]): number =>
  rows.filter((r) => r.controls.some((c) => c.status === 'FAILED')).length;

/** `3 stages, 2 failing: APIGateway.1 ×1, APIGateway.3 ×1, APIGateway.9 ×1` (or `…, none failing`). */
export const postureSummaryLine = (rows: readonly PostureRow[], controls: readonly ControlInfo[]): string => {
  const stages = `${rows.length} stage${rows.length === 1 ? '' : 's'}`;
  const failing = failingStageCount(rows);
  if (failing === 0) return `${stages}, none failing`;
  const perControl = failingCounts(rows, controls)
    .map((c) => `${c.id} ×${c.stages}`)
    .join(', ');
  return `${stages}, ${failing} failing: ${perControl}`;
};

const CELL_TEXT: Record<ControlStatus, string> = { PASSED: '✓', FAILED: '✗ FAIL', NOT_APPLICABLE: '–' };
const MARKDOWN_CELL: Record<ControlStatus, string> = {
  PASSED: '✓ pass',
  FAILED: '✗ FAIL',
  NOT_APPLICABLE: '– n/a',
};
const CELL_COLOUR: Record<ControlStatus, string> = { PASSED: '32', FAILED: '31;1', NOT_APPLICABLE: '2' };

const cellOf = (
  row: PostureRow,
  id: string,
  text: Record<ControlStatus, string>,
  colour: boolean,
): string => {
  const status = row.controls.find((c) => c.id === id)?.status;
  if (status === undefined) return '';
  return colour ? `\x1b[${CELL_COLOUR[status]}m${text[status]}\x1b[0m` : text[status];
};

/**
 * Short column headers for a terminal: `APIGateway.1` → `AG.1`, `StageDrift.RestAccessLogging` →
 * `SD.RAL`, a user rule's id as it is (cut to 12); a legend under the table says which is which.
 */
export const shortControlLabels = (controls: readonly ControlInfo[]): string[] => {
  const seen = new Map<string, number>();
  return controls.map(({ id }) => {
    const aws = /^APIGateway\.(.+)$/.exec(id);
    const ours = /^StageDrift\.(.+)$/.exec(id);
    const base = aws
      ? `AG.${aws[1]}`
      : ours
        ? `SD.${ours[1]!.replace(/[^A-Z0-9]/g, '') || ours[1]!.slice(0, 3)}`
        : id.length > 12
          ? `${id.slice(0, 11)}…`
          : id;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}~${n}`;
  });
};

const STAGE_COLUMNS: readonly Column[] = [
  { header: 'ACCOUNT' },
  { header: 'REGION' },
  { header: 'API', flexible: true },
  { header: 'STAGE', flexible: true },
];

const MARKDOWN_STAGE_COLUMNS: readonly Column[] = ['Account', 'Region', 'API', 'Stage'].map((header) => ({
  header,
}));

const stageCells = (r: PostureRow): string[] => [
  escapeControlChars(r.account),
  escapeControlChars(r.region),
  escapeControlChars(`${r.apiName} (${r.apiId})`),
  escapeControlChars(r.stageName),
];

const renderText = (rows: readonly PostureRow[], controls: readonly ControlInfo[], style: TableStyle) => {
  const labels = shortControlLabels(controls);
  const table =
    rows.length === 0
      ? 'No stages match.\n'
      : renderTable(
          [...STAGE_COLUMNS, ...labels.map((header) => ({ header }))],
          rows.map((r) => [
            ...stageCells(r),
            ...controls.map((c) => cellOf(r, c.id, CELL_TEXT, style.colour)),
          ]),
          style.columns,
        );
  const width = Math.max(...labels.map((l) => l.length));
  const legend = controls.map((c, i) =>
    escapeControlChars(`  ${labels[i]!.padEnd(width)}  ${c.id}: ${c.title}`),
  );
  return `${table}\n✓ pass  ✗ FAIL  – not applicable\n${legend.join('\n')}\n\n${postureSummaryLine(rows, controls)}\n`;
};

const renderMarkdown = (rows: readonly PostureRow[], controls: readonly ControlInfo[]) => {
  const table =
    rows.length === 0
      ? 'No stages match.\n'
      : renderMarkdownTable(
          [...MARKDOWN_STAGE_COLUMNS, ...controls.map((c) => ({ header: c.id }))],
          rows.map((r) => [...stageCells(r), ...controls.map((c) => cellOf(r, c.id, MARKDOWN_CELL, false))]),
        );
  return `${table}\n${postureSummaryLine(rows, controls)}\n`;
};

/** `stage-drift posture`: the stage × control matrix as a table (text, markdown) or JSON. */
export const renderPosture = (
  rows: readonly PostureRow[],
  controls: readonly ControlInfo[],
  format: PostureFormat,
  style: TableStyle,
): string => {
  if (format === 'json') {
    return renderJsonDocument({
      controls,
      stages: rows,
      summary: {
        stages: rows.length,
        failing: failingStageCount(rows),
        failingControls: failingCounts(rows, controls),
        line: postureSummaryLine(rows, controls),
      },
    });
  }
  return format === 'markdown' ? renderMarkdown(rows, controls) : renderText(rows, controls, style);
};
