/** Markdown tables and number formats of the bench report. */

export type Row = readonly string[];

/** A Markdown table, columns padded so it also reads well in a terminal. */
export const renderTable = (header: Row, rows: readonly Row[]): string => {
  const widths = header.map((cell, column) =>
    Math.max(3, cell.length, ...rows.map((row) => (row[column] ?? '').length)),
  );
  const line = (row: Row) => `| ${widths.map((width, i) => (row[i] ?? '').padEnd(width)).join(' | ')} |`;
  return [
    line(header),
    `|${widths.map((width) => '-'.repeat(width + 2)).join('|')}|`,
    ...rows.map(line),
  ].join('\n');
};

export const int = (value: number): string => Math.round(value).toLocaleString('en-US');

export const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;

export const ratio = (value: number, digits = 2): string =>
  Number.isFinite(value) ? value.toFixed(digits) : '∞';

export const megabytes = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(0)} MB`;

export const kilobytes = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;

/** `made / minimum = ratio`. */
export const fraction = (made: number, minimum: number, digits = 2): string =>
  `${int(made)} / ${int(minimum)} = ${ratio(minimum === 0 ? Number.NaN : made / minimum, digits)}`;

export interface TargetCheck {
  readonly target: string;
  readonly where: string;
  readonly measured: string;
  readonly pass: boolean;
  /** Why it was missed, when it was. */
  readonly reason?: string;
}

export const renderTargets = (checks: readonly TargetCheck[]): string =>
  renderTable(
    ['target', 'scenario', 'measured', 'result'],
    checks.map((check) => [
      check.target,
      check.where,
      check.measured,
      check.pass ? 'PASS' : `MISS${check.reason ? `: ${check.reason}` : ''}`,
    ]),
  );
