import type { AlertEventRecord, PostureSummaryRecord } from '../store';
import { driftEventsOf, isPostureSummary } from '../store';
import { describePostureCounts } from './posture-summary-alert';
import type { SlackBlock, SlackDigestOptions, SlackMessage } from './slack-message';
import {
  SEVERITY_EMOJI,
  SLACK_LIMITS,
  code,
  dataText,
  escapeMrkdwn,
  mrkdwn,
  mrkdwnData,
  packLines,
  plain,
  renderSlackDigest,
  slackDate,
  truncateText,
} from './slack-message';

const scopeText = (record: PostureSummaryRecord): string => `${record.account}/${record.region}`;

/**
 * The Slack message of a baseline's posture summary: a header with the count of failing controls,
 * the scope, and one section per failing control listing its stages (the first 20, `+N more`),
 * within Slack's block and section limits. One message per scope: no alert per stage.
 */
export const renderSlackPostureSummary = (record: PostureSummaryRecord): SlackMessage => {
  const summary = describePostureCounts(record);
  const header: SlackBlock = {
    type: 'header',
    text: plain(
      truncateText(
        `${SEVERITY_EMOJI[record.severity]} Posture baseline of ${dataText(scopeText(record))}: ${summary}`,
        SLACK_LIMITS.headerText,
      ),
    ),
  };
  const facts: SlackBlock = {
    type: 'section',
    fields: [
      mrkdwn(`*Account*\n${code(record.account)}`),
      mrkdwn(`*Region*\n${code(record.region)}`),
      mrkdwn(`*Stages scanned*\n${record.stagesScanned}`),
      mrkdwn(`*Stages failing a control*\n${record.stagesFailing}`),
    ],
  };
  const controlLines = record.failing.map((control) => {
    const stages = control.stages.map((s) => `${code(s.stageName)} of ${mrkdwnData(s.apiName || s.apiId)}`);
    const more = control.stageCount - control.stages.length;
    return (
      `• *${mrkdwnData(control.id)}* (${control.severity}) ${mrkdwnData(control.title)}: ` +
      `${control.stageCount} stage${control.stageCount === 1 ? '' : 's'}: ${stages.join(', ')}` +
      `${more > 0 ? `, +${more} more` : ''}`
    );
  });
  const lines =
    controlLines.length > 0 ? controlLines : ['Every control passes (or does not apply) on every stage.'];
  const sections = packLines(lines).slice(0, SLACK_LIMITS.blocks - 3);
  const context: SlackBlock = {
    type: 'context',
    elements: [
      mrkdwn(
        `${slackDate(record.detectedAt, 'Baseline {date_short_pretty} at {time}')} · event ${code(record.id)} · ` +
          `from now on a control that changes status is reported with the drift`,
      ),
    ],
  };
  return {
    text: escapeMrkdwn(`Posture baseline of ${dataText(scopeText(record))}: ${summary}`),
    blocks: [
      header,
      facts,
      ...sections.map((text): SlackBlock => ({ type: 'section', text: mrkdwn(text) })),
      context,
    ],
  };
};

/** One digest line for a posture summary. */
export const postureDigestLine = (record: PostureSummaryRecord): string => {
  const ids = record.failing.map((c) => `${mrkdwnData(c.id)} ×${c.stageCount}`).join(', ');
  return (
    `• *POSTURE* baseline of ${code(record.account)} ${code(record.region)}: ${escapeMrkdwn(describePostureCounts(record))}` +
    `${ids === '' ? '' : ` (${ids})`}`
  );
};

/**
 * The Slack digest of drift events and posture summaries: the drift digest, with a line per
 * summary after the drift lines; summaries alone get a digest of their own.
 */
export const renderSlackAlertDigest = (
  events: readonly AlertEventRecord[],
  options: SlackDigestOptions = {},
): SlackMessage => {
  const summaries = events.filter(isPostureSummary);
  const drift = driftEventsOf(events);
  if (summaries.length === 0) return renderSlackDigest(drift, options);
  const lines = packLines(summaries.map(postureDigestLine));
  const postureBlocks = lines.map((text): SlackBlock => ({ type: 'section', text: mrkdwn(text) }));
  const n = summaries.length;
  if (drift.length === 0) {
    return {
      text: `${n} posture baseline${n === 1 ? '' : 's'}`,
      blocks: [
        { type: 'header', text: plain(`:clipboard: ${n} posture baseline${n === 1 ? '' : 's'}`) },
        ...postureBlocks.slice(0, SLACK_LIMITS.blocks - 1),
      ],
    };
  }
  const digest = renderSlackDigest(drift, options);
  const room = Math.max(0, SLACK_LIMITS.blocks - digest.blocks.length);
  const blocks = [...digest.blocks];
  blocks.splice(blocks.length - 1, 0, ...postureBlocks.slice(0, room));
  return { text: `${digest.text}; ${n} posture baseline${n === 1 ? '' : 's'}`, blocks };
};
