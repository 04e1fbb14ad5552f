import type { Severity } from '../../../shared/model';
import type { DriftEventRecord } from '../../../shared/store';
import { formatTime } from './escape';

/** Stacked bottom to top: the worst at the base, where the eye lands. */
const STACK: readonly Severity[] = ['CRITICAL', 'HIGH', 'MEDIUM', 'LOW', 'INFO'];
const DAY_MS = 86_400_000;
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

const WIDTH = 960;
const HEIGHT = 240;
const LEFT = 36;
const RIGHT = 8;
const TOP = 10;
const BOTTOM = 28;

export interface DayCounts {
  /** `2026-11-02` (UTC). */
  readonly day: string;
  readonly counts: Readonly<Record<Severity, number>>;
  readonly total: number;
}

const dayOf = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
const startOfDay = (iso: string): number => Date.parse(`${iso.slice(0, 10)}T00:00:00.000Z`);
const emptyCounts = (): Record<Severity, number> => ({ CRITICAL: 0, HIGH: 0, MEDIUM: 0, LOW: 0, INFO: 0 });

/** One entry per UTC day of the window (oldest first), with the events detected that day by severity. */
export const countEventsPerDay = (
  events: readonly DriftEventRecord[],
  since: string,
  until: string,
): DayCounts[] => {
  const first = startOfDay(since);
  const last = Math.max(first, startOfDay(until));
  const days = new Map<string, Record<Severity, number>>();
  for (let t = first; t <= last; t += DAY_MS) days.set(dayOf(t), emptyCounts());
  for (const e of events) {
    const counts = days.get(e.detectedAt.slice(0, 10));
    if (counts) counts[e.severity] += 1;
  }
  return [...days].map(([day, counts]) => ({
    day,
    counts,
    total: STACK.reduce((sum, s) => sum + counts[s], 0),
  }));
};

/** A round top for the y axis and its ticks: every integer up to 5, else four even steps. */
const yAxis = (max: number): { top: number; ticks: number[] } => {
  if (max <= 5)
    return { top: Math.max(1, max), ticks: Array.from({ length: Math.max(1, max) + 1 }, (_, i) => i) };
  const step = Math.ceil(max / 4);
  return { top: step * 4, ticks: [0, step, step * 2, step * 3, step * 4] };
};

const shortDay = (day: string): string =>
  `${MONTHS[Number(day.slice(5, 7)) - 1]} ${Number(day.slice(8, 10))}`;
const plural = (n: number, word: string) => `${n} ${word}${n === 1 ? '' : 's'}`;

const svgOf = (days: readonly DayCounts[], description: string): string => {
  const { top, ticks } = yAxis(Math.max(0, ...days.map((d) => d.total)));
  const plotW = WIDTH - LEFT - RIGHT;
  const plotH = HEIGHT - TOP - BOTTOM;
  const slot = plotW / days.length;
  const barW = Math.max(1, Math.min(28, slot * 0.72));
  const y = (n: number) => TOP + plotH - (n / top) * plotH;
  const grid = ticks.map(
    (t) =>
      `<line class="gridline" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(t).toFixed(1)}" y2="${y(t).toFixed(1)}"/><text x="${LEFT - 6}" y="${(y(t) + 4).toFixed(1)}" text-anchor="end">${t}</text>`,
  );
  const every = Math.max(1, Math.ceil(days.length / 8));
  const labelled = days.map((_, i) => i).filter((i) => i % every === 0);
  const last = days.length - 1;
  if (labelled.at(-1) !== last) {
    // The window's end is always labelled; a regular label too close to it gives way.
    if (last - labelled.at(-1)! < every / 2) labelled.pop();
    labelled.push(last);
  }
  const labels = labelled.map(
    (i) =>
      `<text x="${(LEFT + slot * (i + 0.5)).toFixed(1)}" y="${HEIGHT - 8}" text-anchor="middle">${shortDay(days[i]!.day)}</text>`,
  );
  const bars = days.flatMap((d, i) => {
    let base = 0;
    return STACK.flatMap((severity) => {
      const n = d.counts[severity];
      if (n === 0) return [];
      const y0 = y(base);
      base += n;
      const y1 = y(base);
      const x = LEFT + slot * (i + 0.5) - barW / 2;
      return [
        `<rect class="bar bar-${severity}" data-day="${d.day}" data-severity="${severity}" data-count="${n}" x="${x.toFixed(1)}" y="${y1.toFixed(1)}" width="${barW.toFixed(1)}" height="${(y0 - y1).toFixed(1)}"><title>${shortDay(d.day)}: ${plural(n, `${severity} event`)}</title></rect>`,
      ];
    });
  });
  return `<svg class="timeline" viewBox="0 0 ${WIDTH} ${HEIGHT}" role="img" aria-labelledby="timeline-title timeline-desc" xmlns="http://www.w3.org/2000/svg">
<title id="timeline-title">Drift events per day by severity</title>
<desc id="timeline-desc">${description}</desc>
${grid.join('')}
<line class="axis" x1="${LEFT}" x2="${WIDTH - RIGHT}" y1="${y(0)}" y2="${y(0)}"/>
${bars.join('\n')}
${labels.join('')}
</svg>`;
};

/** The timeline section: a legend, a stacked bar per day (inline SVG) and the same numbers as a table. */
export const renderTimeline = (events: readonly DriftEventRecord[], since: string, until: string): string => {
  const days = countEventsPerDay(events, since, until);
  const totals = emptyCounts();
  for (const d of days) for (const s of STACK) totals[s] += d.counts[s];
  const total = STACK.reduce((sum, s) => sum + totals[s], 0);
  const bySeverity = STACK.filter((s) => totals[s] > 0)
    .map((s) => `${totals[s]} ${s}`)
    .join(', ');
  const description = `${plural(total, 'drift event')} from ${formatTime(since)} to ${formatTime(until)}${total > 0 ? `: ${bySeverity}` : ''}.`;
  const legend = STACK.map(
    (s) =>
      `<li data-severity="${s}"><span class="swatch swatch-${s}" aria-hidden="true"></span>${s} <strong>${totals[s]}</strong></li>`,
  );
  const active = days.filter((d) => d.total > 0);
  const rows = active.map(
    (d) =>
      `<tr><th scope="row">${d.day}</th>${STACK.map((s) => `<td class="num">${d.counts[s] || ''}</td>`).join('')}<td class="num">${d.total}</td></tr>`,
  );
  const table =
    active.length === 0
      ? '<p>No drift events in the window.</p>'
      : `<details><summary>The numbers as a table (${plural(active.length, 'day')} with events)</summary>
<div class="scroll" role="region" aria-labelledby="timeline-caption" tabindex="0"><table class="timeline-data">
<caption id="timeline-caption">Drift events per day and severity (UTC days; days without events left out)</caption>
<thead><tr><th scope="col">Day</th>${STACK.map((s) => `<th scope="col" class="num">${s}</th>`).join('')}<th scope="col" class="num">Total</th></tr></thead>
<tbody>${rows.join('\n')}</tbody></table></div></details>`;
  return `<section aria-labelledby="timeline-h">
<h2 id="timeline-h">Drift timeline</h2>
<p class="meta">${description}</p>
<ul class="legend" aria-label="Severities">${legend.join('')}</ul>
<figure class="chart">${svgOf(days, description)}</figure>
${table}
</section>`;
};
