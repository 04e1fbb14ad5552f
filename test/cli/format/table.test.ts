import * as fc from 'fast-check';
import type { Column } from '../../../cli/format/table';
import { colourSeverity, renderMarkdownTable, renderTable } from '../../../cli/format/table';

const ANSI = /\x1b\[[0-9;]*m/g;
const visible = (line: string) => line.replace(ANSI, '').length;

// Cells as the commands make them: printable text, sometimes a coloured severity.
const cellText = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: fc.constantFrom(...'abc XYZ-_./()*:019'), maxLength: 40 }) },
  { weight: 1, arbitrary: fc.constantFrom('HIGH', 'LOW', 'INFO').map((s) => colourSeverity(s, true)) },
);
const table = fc
  .array(fc.record({ header: fc.constantFrom('API', 'STAGE', 'WHAT', 'DETECTED'), flexible: fc.boolean() }), {
    minLength: 1,
    maxLength: 7,
  })
  .chain((columns: Column[]) =>
    fc.record({
      columns: fc.constant(columns),
      rows: fc.array(fc.array(cellText, { minLength: columns.length, maxLength: columns.length }), {
        maxLength: 6,
      }),
    }),
  );

describe('renderTable', () => {
  it('never prints a line wider than the terminal', () => {
    fc.assert(
      fc.property(table, fc.integer({ min: 1, max: 160 }), ({ columns, rows }, width) => {
        const out = renderTable(columns, rows, width);
        expect(out.endsWith('\n')).toBe(true);
        const lines = out.slice(0, -1).split('\n');
        expect(lines).toHaveLength(rows.length + 1);
        for (const line of lines) expect(visible(line)).toBeLessThanOrEqual(width);
      }),
    );
  });

  it('never cuts a cell when there is no width (piped output)', () => {
    fc.assert(
      fc.property(table, ({ columns, rows }) => {
        const out = renderTable(columns, rows, Number.POSITIVE_INFINITY);
        expect(out).not.toContain('…');
        for (const row of rows) for (const cell of row) expect(out).toContain(cell.trimEnd());
      }),
    );
  });

  it('cuts the flexible columns first, with an ellipsis', () => {
    const columns = [{ header: 'REGION' }, { header: 'API', flexible: true }, { header: 'STAGE' }];
    const out = renderTable(columns, [['eu-west-1', 'a-very-long-api-name (a1b2c3d4e5)', 'production']], 40);
    expect(out).toBe(
      ['REGION     API                STAGE', 'eu-west-1  a-very-long-api-…  production', ''].join('\n'),
    );
  });

  it('keeps colour codes out of the width and the padding', () => {
    const out = renderTable([{ header: 'SEVERITY' }, { header: 'X' }], [[colourSeverity('HIGH', true), 'x']]);
    expect(out.split('\n')[1]).toBe('\x1b[31;1mHIGH\x1b[0m      x');
  });
});

describe('renderMarkdownTable', () => {
  it('escapes pipes and newlines in cells', () => {
    expect(renderMarkdownTable([{ header: 'A' }, { header: 'B' }], [['x|y', 'line\nbreak']])).toBe(
      '| A | B |\n|---|---|\n| x\\|y | line break |\n',
    );
  });
});
