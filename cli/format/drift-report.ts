import type { StageDrift } from '../../shared/model';
import { maxSeverity, SEVERITIES } from '../../shared/model';
import { renderMarkdownTable } from './table';
import { escapeControlChars, formatValue, renderJsonDocument } from './values';

export type ReportFormat = 'text' | 'json' | 'markdown';
export const REPORT_FORMATS: readonly ReportFormat[] = ['text', 'json', 'markdown'];

/** The `--format json` document: stable, for scripts and jq. */
export const toJsonReport = (drifts: readonly StageDrift[]) => ({
  drifts: drifts.map((d) => ({
    stageName: d.key.stageName,
    apiType: d.key.apiType,
    change: d.change,
    severity: d.severity,
    changes: d.changes,
  })),
});

/** `prod of REST API orders-api (a1b2c3)`, its stage data escaped. */
const stageTitle = (d: StageDrift): string => {
  const api =
    d.key.apiId === '-'
      ? `${d.key.apiType} API`
      : `${d.key.apiType} API ${d.apiName || d.key.apiId} (${d.key.apiId})`;
  return escapeControlChars(`${d.key.stageName} of ${api}`);
};

const summaryLine = (drifts: readonly StageDrift[]): string => {
  if (drifts.length === 0) return 'No drift.';
  const counts = SEVERITIES.map((s) => [s, drifts.filter((d) => d.severity === s).length] as const)
    .filter(([, n]) => n > 0)
    .map(([s, n]) => `${n} ${s}`);
  const worst = maxSeverity(drifts.map((d) => d.severity));
  return `${drifts.length} stage${drifts.length === 1 ? '' : 's'} drifted (worst ${worst}): ${counts.join(', ')}.`;
};

const renderText = (drifts: readonly StageDrift[]): string => {
  const blocks = drifts.map((d) => {
    const head = `${d.severity.padEnd(8)} ${d.change.padEnd(9)} ${stageTitle(d)}`;
    const lines = d.changes.map((c) => {
      const control = c.control ? `, ${c.control}` : '';
      return `  ${c.severity.padEnd(8)} ${escapeControlChars(c.label)}: ${formatValue(c.before)} -> ${formatValue(c.after)}  [${c.rule}${control}]`;
    });
    return [head, ...lines].join('\n');
  });
  return [...blocks, summaryLine(drifts)].join('\n\n') + '\n';
};

const MARKDOWN_HEADERS = ['Severity', 'Stage', 'Change', 'Field', 'Before', 'After', 'Rule'];

const renderMarkdown = (drifts: readonly StageDrift[]): string => {
  const rows = drifts.flatMap((d) => {
    if (d.changes.length === 0) return [[d.severity, stageTitle(d), d.change, '', '', '', d.rule]];
    return d.changes.map((c) => [
      c.severity,
      stageTitle(d),
      d.change,
      escapeControlChars(c.label),
      formatValue(c.before),
      formatValue(c.after),
      c.control ? `${c.rule} (${c.control})` : c.rule,
    ]);
  });
  return `${renderMarkdownTable(
    MARKDOWN_HEADERS.map((header) => ({ header })),
    rows,
  )}\n${summaryLine(drifts)}\n`;
};

export const renderDriftReport = (drifts: readonly StageDrift[], format: ReportFormat): string => {
  switch (format) {
    case 'json':
      return renderJsonDocument(toJsonReport(drifts));
    case 'markdown':
      return renderMarkdown(drifts);
    case 'text':
      return renderText(drifts);
  }
};
