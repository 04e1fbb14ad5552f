import { canonicalJson } from '../../../shared/model';
import type { ControlResult } from '../../../shared/posture';
import type { ControlTransitionRecord, DriftEventRecord, VersionEntry } from '../../../shared/store';
import { escapeJsonControlChars } from '../../../shared/notify/values';
import type { ControlInfo } from '../posture-report';
import { formatValue } from '../values';
import { escapeHtml, formatTime, htmlText, stageAnchor } from './escape';
import { statusBadge } from './matrix';
import type { ReportStage } from './model';

/** Rows per stage; the rest are counted (the CLI's `history` has them all). */
const MAX_ROWS = 50;

interface HistoryRow {
  readonly at: string;
  readonly version?: VersionEntry;
  readonly event?: DriftEventRecord;
  readonly baseline: boolean;
}

/** Versions captured in the window with the event that made each (same capture time), and events without one. */
const historyRows = (stage: ReportStage, since: string): HistoryRow[] => {
  const eventAt = new Map(stage.events.map((e) => [e.detectedAt, e]));
  const oldest = stage.versions.at(-1);
  const rows: HistoryRow[] = stage.versions
    .filter((v) => v.capturedAt >= since)
    .map((version) => {
      const event = eventAt.get(version.capturedAt);
      eventAt.delete(version.capturedAt);
      return {
        at: version.capturedAt,
        version,
        ...(event ? { event } : {}),
        baseline: !event && version === oldest,
      };
    });
  for (const event of eventAt.values()) rows.push({ at: event.detectedAt, event, baseline: false });
  return rows.sort((a, b) => (a.at < b.at ? 1 : a.at > b.at ? -1 : 0));
};

const transitionText = (t: ControlTransitionRecord): string => {
  const id = `<code>${htmlText(t.id)}</code>`;
  if (t.to === 'PASSED') return `<span class="badge passed">${id} now passes</span>`;
  if (t.to === 'FAILED') return `<span class="badge failed">${id} now fails</span>`;
  return `<span class="badge not-applicable">${id} ${htmlText(t.from)} → ${htmlText(t.to)}</span>`;
};

const changesOf = (event: DriftEventRecord): string => {
  const items = event.changes.map((c) => {
    const control = c.control ? ` <span class="sub">(${htmlText(c.control)})</span>` : '';
    return `<li><span class="sev sev-${c.severity}">${c.severity}</span> ${htmlText(c.label)}: <code class="before">${escapeHtml(formatValue(c.before))}</code> → <code>${escapeHtml(formatValue(c.after))}</code>${control}</li>`;
  });
  if (event.changesOmitted) {
    items.push(`<li>and ${event.changesOmitted} more (the stored versions hold them all)</li>`);
  }
  return items.length === 0 ? '' : `<ul class="changes">${items.join('')}</ul>`;
};

const attributionOf = (event: DriftEventRecord): string => {
  const a = event.attribution;
  if (!a) return '';
  if (a.status === 'unattributed') return `<span class="sub">Not attributed: ${htmlText(a.reason)}</span>`;
  return `<span class="sub">By <span class="mono">${htmlText(a.principalArn)}</span> via ${htmlText(a.source)} (${htmlText(a.eventName)})</span>`;
};

const rowHtml = (row: HistoryRow): string => {
  const { event, version } = row;
  const what = event
    ? `<span class="sev sev-${event.severity}">${event.severity}</span> ${htmlText(event.change)}`
    : version?.deleted
      ? 'Stage deleted'
      : row.baseline
        ? 'Baseline (first seen)'
        : 'New version';
  const hash = version?.hash ? `<span class="sub mono">${htmlText(version.hash.slice(0, 12))}</span>` : '';
  const controls = (event?.controls ?? []).map(transitionText).join(' ');
  const details = event ? `${changesOf(event)}${attributionOf(event)}` : '';
  return `<tr class="history-row"${event ? ` data-severity="${event.severity}"` : ''}><td>${formatTime(row.at)}${hash}</td><td>${what}</td><td>${controls || '<span class="sub">—</span>'}</td><td>${details || '<span class="sub">—</span>'}</td></tr>`;
};

const controlsList = (results: readonly ControlResult[], controls: readonly ControlInfo[]): string => {
  const titleOf = (id: string) => controls.find((c) => c.id === id)?.title ?? '';
  const order = (r: ControlResult) => (r.status === 'FAILED' ? 0 : 1);
  const applicable = results.filter((r) => r.status !== 'NOT_APPLICABLE').sort((a, b) => order(a) - order(b));
  const notApplicable = results.filter((r) => r.status === 'NOT_APPLICABLE');
  const items = applicable.map((r) => {
    const fields = r.fields.length
      ? `<span class="sub">Decided by <code>${htmlText(r.fields.map((f) => f.join('.')).join(', '))}</code></span>`
      : '';
    return `<li data-control="${escapeHtml(r.id)}" data-status="${r.status}">${statusBadge(r.status)} <code>${htmlText(r.id)}</code> <span title="${htmlText(titleOf(r.id))}">${htmlText(r.reason)}</span>${fields}</li>`;
  });
  if (notApplicable.length > 0) {
    items.push(
      `<li>${statusBadge('NOT_APPLICABLE')} ${notApplicable.map((r) => `<code>${htmlText(r.id)}</code>`).join(', ')}</li>`,
    );
  }
  return `<ul class="controls">${items.join('')}</ul>`;
};

const stageHtml = (stage: ReportStage, index: number, controls: readonly ControlInfo[], since: string) => {
  const id = stageAnchor(index);
  const name = `${htmlText(stage.apiName)} · ${htmlText(stage.key.stageName)}`;
  const rows = historyRows(stage, since);
  const shown = rows.slice(0, MAX_ROWS);
  const more =
    rows.length > shown.length
      ? `<p class="meta">and ${rows.length - shown.length} older (see <code>stage-drift history</code>)</p>`
      : '';
  const history =
    shown.length === 0
      ? `<p class="meta">No changes in the window; this version was first captured ${formatTime(stage.capturedAt)}.</p>`
      : `<div class="scroll"><table class="history">
<caption>Versions and drift events of ${name} in the window, newest first</caption>
<thead><tr><th scope="col">When</th><th scope="col">Change</th><th scope="col">Controls</th><th scope="col">What changed (before → after)</th></tr></thead>
<tbody>${shown.map(rowHtml).join('\n')}</tbody></table></div>${more}`;
  const config =
    stage.redactedConfig === undefined
      ? ''
      : `<details><summary>Current configuration (stage variable values as fingerprints)</summary><pre>${escapeHtml(
          escapeJsonControlChars(JSON.stringify(JSON.parse(canonicalJson(stage.redactedConfig)), null, 2)),
        )}</pre></details>`;
  return `<article class="stage" id="${id}" aria-labelledby="${id}-h" data-failing="${stage.results.some((r) => r.status === 'FAILED')}">
<header><h3 id="${id}-h">${name}</h3><span class="meta">${htmlText(stage.key.apiType)} API <span class="mono">${htmlText(stage.key.apiId)}</span> in <span class="mono">${htmlText(stage.key.account)}/${htmlText(stage.key.region)}</span> · current since ${formatTime(stage.capturedAt)} · <span class="mono">${htmlText(stage.hash.slice(0, 12))}</span></span></header>
${controlsList(stage.results, controls)}
${history}
${config}
</article>`;
};

/** Per stage: its controls with reasons, its versions and drift events with before/after. */
export const renderStageHistories = (
  stages: readonly ReportStage[],
  controls: readonly ControlInfo[],
  since: string,
): string =>
  `<section aria-labelledby="stages-h">
<h2 id="stages-h">Stages</h2>
${stages.length === 0 ? '<p>No stages match.</p>' : stages.map((s, i) => stageHtml(s, i, controls, since)).join('\n')}
</section>`;
