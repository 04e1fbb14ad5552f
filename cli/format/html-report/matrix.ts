import type { ControlStatus } from '../../../shared/posture';
import type { ControlInfo } from '../posture-report';
import { escapeHtml, htmlText, stageAnchor } from './escape';
import type { HtmlReportData, ReportStage } from './model';

const CLASS: Record<ControlStatus, string> = {
  PASSED: 'passed',
  FAILED: 'failed',
  NOT_APPLICABLE: 'not-applicable',
};
/** The text of a cell: a symbol (hidden from screen readers) and a word, so colour is never alone. */
const LABEL: Record<ControlStatus, string> = {
  PASSED: '<span aria-hidden="true">✓ </span>Pass',
  FAILED: '<span aria-hidden="true">✗ </span>FAIL',
  NOT_APPLICABLE: '<span aria-hidden="true">– </span>n/a',
};

export const statusBadge = (status: ControlStatus): string =>
  `<span class="badge ${CLASS[status]}">${LABEL[status]}</span>`;

const countOf = (stages: readonly ReportStage[], id: string, status: ControlStatus): number =>
  stages.filter((s) => s.results.some((r) => r.id === id && r.status === status)).length;

/** `APIGateway.1` as a small `APIGateway` over `.1`, so a column is as narrow as its cells; long words may break. */
const controlLabel = (id: string): string => {
  const dot = id.indexOf('.');
  const breakable = (text: string) => htmlText(text).replace(/([a-z])(?=[A-Z])/g, '$1<wbr>');
  if (dot <= 0) return breakable(id);
  return `<span class="prefix">${htmlText(id.slice(0, dot))}</span>${breakable(id.slice(dot))}`;
};

const controlHeader = (c: ControlInfo): string =>
  `<th scope="col" class="control" data-control="${escapeHtml(c.id)}"><abbr title="${htmlText(`${c.id}: ${c.title}`)}">${controlLabel(c.id)}</abbr></th>`;

const stageRow = (stage: ReportStage, index: number, controls: readonly ControlInfo[]): string => {
  const failing = stage.results.some((r) => r.status === 'FAILED');
  const cells = controls.map((c) => {
    const result = stage.results.find((r) => r.id === c.id);
    if (!result) return '<td class="status"></td>';
    return `<td class="status ${CLASS[result.status]}" data-status="${result.status}" data-control="${escapeHtml(c.id)}" title="${htmlText(`${c.id}: ${result.reason}`)}"><a href="#${stageAnchor(index)}">${LABEL[result.status]}</a></td>`;
  });
  return `<tr class="stage-row" data-failing="${failing}">
<th scope="row"><a href="#${stageAnchor(index)}">${htmlText(stage.apiName)} · ${htmlText(stage.key.stageName)}</a><span class="sub mono">${htmlText(stage.key.apiType)} ${htmlText(stage.key.apiId)}<span class="phone-only">${htmlText(stage.key.region)} ${htmlText(stage.key.account)}</span></span></th>
<td class="mono nowrap wide-only">${htmlText(stage.key.account)}</td><td class="mono nowrap wide-only">${htmlText(stage.key.region)}</td>
${cells.join('')}</tr>`;
};

const footer = (stages: readonly ReportStage[], controls: readonly ControlInfo[]): string => {
  const row = (label: string, status: ControlStatus) =>
    `<tr><th scope="row">${label}</th><td class="wide-only"></td><td class="wide-only"></td>${controls
      .map(
        (c) =>
          `<td class="num" data-control="${escapeHtml(c.id)}" data-count="${status}">${countOf(stages, c.id, status)}</td>`,
      )
      .join('')}</tr>`;
  return `<tfoot>${row('Failing stages', 'FAILED')}${row('Passing stages', 'PASSED')}${row('Not applicable', 'NOT_APPLICABLE')}</tfoot>`;
};

/** The stage × control matrix (its own horizontal scroll), then the controls with their counts. */
export const renderMatrix = (data: HtmlReportData): string => {
  const { stages, controls } = data;
  if (stages.length === 0) {
    return '<section aria-labelledby="posture-h"><h2 id="posture-h">Posture</h2><p>No stages match.</p></section>';
  }
  const failing = stages.filter((s) => s.results.some((r) => r.status === 'FAILED')).length;
  const controlRows = controls.map((c) => {
    const failed = countOf(stages, c.id, 'FAILED');
    const docs = c.url ? ` <a href="${escapeHtml(c.url)}" rel="noreferrer noopener">AWS definition</a>` : '';
    return `<tr data-control="${escapeHtml(c.id)}"><th scope="row" class="mono">${htmlText(c.id)}</th><td>${htmlText(c.title)}${docs}</td><td class="wide-only">${htmlText(c.severity)}</td><td class="wide-only">${htmlText(c.source)}</td>
<td class="num">${failed === 0 ? '0' : `<strong>${failed}</strong>`}</td><td class="num">${countOf(stages, c.id, 'PASSED')}</td><td class="num">${countOf(stages, c.id, 'NOT_APPLICABLE')}</td></tr>`;
  });
  return `<section aria-labelledby="posture-h">
<h2 id="posture-h">Posture</h2>
<div class="toolbar"><label><input type="checkbox" id="only-failing"> Only stages that fail a control (${failing} of ${stages.length})</label></div>
<div class="scroll" role="region" aria-labelledby="matrix-caption" tabindex="0">
<table class="matrix" id="matrix">
<caption id="matrix-caption">Posture of ${stages.length} stage${stages.length === 1 ? '' : 's'} × ${controls.length} controls (latest snapshots; a cell links to the stage)</caption>
<thead><tr><th scope="col">API · stage</th><th scope="col" class="wide-only">Account</th><th scope="col" class="wide-only">Region</th>${controls.map(controlHeader).join('')}</tr></thead>
<tbody>
${stages.map((s, i) => stageRow(s, i, controls)).join('\n')}
</tbody>
${footer(stages, controls)}
</table>
</div>
<h3 class="spaced">Controls</h3>
<div class="scroll" role="region" aria-labelledby="controls-caption" tabindex="0">
<table class="controls-table">
<caption id="controls-caption">What each control checks, and how many stages fail, pass or are not applicable</caption>
<thead><tr><th scope="col">Control</th><th scope="col">Checks</th><th scope="col" class="wide-only">Severity</th><th scope="col" class="wide-only">Source</th><th scope="col" class="num">Failing</th><th scope="col" class="num">Passing</th><th scope="col" class="num">n/a</th></tr></thead>
<tbody>
${controlRows.join('\n')}
</tbody>
</table>
</div>
</section>`;
};
