/** Plain text tables that fit the terminal: the widest flexible column is cut with an ellipsis. */
export interface Column {
  readonly header: string;
  /** This column gives up width first when the table is too wide. */
  readonly flexible?: boolean;
}

const visibleLength = (text: string): number => text.replace(/\x1b\[[0-9;]*m/g, '').length;

const cut = (text: string, width: number): string => {
  if (visibleLength(text) <= width) return text;
  const plain = text.replace(/\x1b\[[0-9;]*m/g, '');
  return width <= 1 ? plain.slice(0, width) : `${plain.slice(0, width - 1)}…`;
};

export const renderTable = (
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  maxWidth = 100,
): string => {
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const gap = 2;
  let total = widths.reduce((a, b) => a + b, 0) + gap * (columns.length - 1);
  while (total > maxWidth) {
    let widest = -1;
    columns.forEach((c, i) => {
      if (c.flexible && (widest < 0 || widths[i]! > widths[widest]!)) widest = i;
    });
    if (widest < 0 || widths[widest]! <= 8) break;
    const shrink = Math.min(total - maxWidth, widths[widest]! - 8);
    widths[widest] = widths[widest]! - shrink;
    total -= shrink;
  }
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => {
        const text = cut(cell, widths[i]!);
        return i === cells.length - 1 ? text : text + ' '.repeat(widths[i]! - visibleLength(text));
      })
      .join(' '.repeat(gap))
      .trimEnd();
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
};

export const renderMarkdownTable = (
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string => {
  const esc = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
  return (
    [
      `| ${columns.map((c) => c.header).join(' | ')} |`,
      `|${columns.map(() => '---').join('|')}|`,
      ...rows.map((r) => `| ${r.map(esc).join(' | ')} |`),
    ].join('\n') + '\n'
  );
};

const SEVERITY_COLOURS: Record<string, string> = {
  CRITICAL: '35;1',
  HIGH: '31;1',
  MEDIUM: '33',
  LOW: '36',
  INFO: '2',
};

export const colourSeverity = (severity: string, colour: boolean): string =>
  colour && SEVERITY_COLOURS[severity] ? `\x1b[${SEVERITY_COLOURS[severity]}m${severity}\x1b[0m` : severity;
