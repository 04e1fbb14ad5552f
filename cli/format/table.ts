/**
 * Plain text tables that fit the terminal. When a table is too wide, the flexible columns give
 * up width first (widest first, down to 8), then the others (down to 3), each cut cell ending in
 * an ellipsis; a terminal narrower than even that gets every line cut at its width.
 */
export interface Column {
  readonly header: string;
  /** This column gives up width first when the table is too wide. */
  readonly flexible?: boolean;
}

/** How a command draws its tables on this output. */
export interface TableStyle {
  /** ANSI colour for severities (a terminal without NO_COLOR). */
  readonly colour: boolean;
  /** Terminal width; piped output has none (infinity) and is never cut. */
  readonly columns: number;
}

const ANSI = /\x1b\[[0-9;]*m/g;
const GAP = 2;

const visibleLength = (text: string): number => text.replace(ANSI, '').length;

/** At most `width` visible characters; a cut text loses its colour and ends in an ellipsis. */
const cut = (text: string, width: number): string => {
  if (visibleLength(text) <= width) return text;
  const plain = text.replace(ANSI, '');
  return width <= 1 ? plain.slice(0, width) : `${plain.slice(0, width - 1)}…`;
};

/** Narrows the widest of `candidates` one character at a time until the table fits or all are at `floor`. */
const shrink = (widths: number[], candidates: readonly number[], floor: number, excess: number): number => {
  let left = excess;
  while (left > 0) {
    let widest = -1;
    for (const i of candidates) if (widest < 0 || widths[i]! > widths[widest]!) widest = i;
    if (widest < 0 || widths[widest]! <= floor) break;
    widths[widest] = widths[widest]! - 1;
    left -= 1;
  }
  return left;
};

export const renderTable = (
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
  maxWidth = Number.POSITIVE_INFINITY,
): string => {
  const widths = columns.map((c, i) =>
    Math.max(c.header.length, ...rows.map((r) => visibleLength(r[i] ?? ''))),
  );
  const total = widths.reduce((a, b) => a + b, 0) + GAP * (columns.length - 1);
  if (total > maxWidth) {
    const all = columns.map((_, i) => i);
    const flexible = all.filter((i) => columns[i]!.flexible);
    shrink(widths, all, 3, shrink(widths, flexible, 8, total - maxWidth));
  }
  const line = (cells: readonly string[]) =>
    cut(
      cells
        .map((cell, i) => {
          const text = cut(cell, widths[i]!);
          return i === cells.length - 1 ? text : text + ' '.repeat(widths[i]! - visibleLength(text));
        })
        .join(' '.repeat(GAP))
        .trimEnd(),
      maxWidth,
    );
  return [line(columns.map((c) => c.header)), ...rows.map(line)].join('\n') + '\n';
};

/**
 * One markdown table cell of text already passed through `escapeControlChars`: `|` cannot end the
 * cell, `<` cannot open HTML (a comment would hide the rows after it), `&` cannot spell an entity
 * (`&#x202E;`), and `\` is doubled so the rendered cell reads like the text output.
 */
export const escapeMarkdownCell = (text: string): string =>
  text.replace(/[\\|<&]/g, '\\$&').replace(/[\r\n]+/g, ' ');

const markdownRow = (cells: readonly string[]): string =>
  `|${cells.map((cell) => (cell === '' ? ' ' : ` ${cell} `)).join('|')}|`;

/** A markdown table; each cell escaped by {@link escapeMarkdownCell}. */
export const renderMarkdownTable = (
  columns: readonly Column[],
  rows: readonly (readonly string[])[],
): string =>
  [
    markdownRow(columns.map((c) => c.header)),
    `|${columns.map(() => '---').join('|')}|`,
    ...rows.map((r) => markdownRow(r.map(escapeMarkdownCell))),
  ].join('\n') + '\n';

const SEVERITY_COLOURS: Record<string, string> = {
  CRITICAL: '35;1',
  HIGH: '31;1',
  MEDIUM: '33',
  LOW: '36',
  INFO: '2',
};

export const colourSeverity = (severity: string, colour: boolean): string =>
  colour && SEVERITY_COLOURS[severity] ? `\x1b[${SEVERITY_COLOURS[severity]}m${severity}\x1b[0m` : severity;
