import type { PostureSummaryRecord } from '../../shared/store';
import { renderTable } from './table';
import { escapeControlChars } from './values';

const plural = (n: number, word: string): string => `${n} ${word}${n === 1 ? '' : 's'}`;

/** `3 stages, 2 fail at least one control` (or `none fails a control`). */
const headline = (record: PostureSummaryRecord): string =>
  `${plural(record.stagesScanned, 'stage')}, ` +
  (record.stagesFailing === 0 ? 'none fails a control' : `${record.stagesFailing} fail at least one control`);

/** `prod (orders-api, REST a1b2c3)`: stage data escaped, on one line. */
const stageText = (stage: PostureSummaryRecord['failing'][number]['stages'][number]): string =>
  escapeControlChars(
    `${stage.stageName} (${stage.apiName === '' ? stage.apiId : `${stage.apiName}, ${stage.apiType} ${stage.apiId}`})`,
  );

/**
 * The baseline's posture table, as the Slack message and the SNS summary say it: per scope a
 * headline, then one row per failing control with its stages (the first 20, then `+N more`).
 */
export const renderPostureSummaryText = (records: readonly PostureSummaryRecord[]): string =>
  records
    .map((record) => {
      const title = `Posture baseline of ${escapeControlChars(`${record.account} ${record.region}`)}: ${headline(record)}`;
      if (record.failing.length === 0) return `${title}\n`;
      const evaluated = new Map(record.counts.map((c) => [c.id, c.passed + c.failed]));
      const rows = record.failing.map((control) => {
        const more = control.stageCount - control.stages.length;
        return [
          escapeControlChars(control.id),
          control.severity,
          `${control.stageCount} of ${evaluated.get(control.id) ?? control.stageCount}`,
          [...control.stages.map(stageText), ...(more > 0 ? [`+${more} more`] : [])].join(', '),
        ];
      });
      const table = renderTable(
        [
          { header: 'CONTROL' },
          { header: 'SEVERITY' },
          { header: 'FAILING' },
          { header: 'STAGES', flexible: true },
        ],
        rows,
      );
      return `${title}\n${table}`;
    })
    .join('\n');
