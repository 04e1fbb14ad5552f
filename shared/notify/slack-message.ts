import type { Change, Severity, StageChangeKind } from '../model';
import { SEVERITIES, severityRank } from '../model';
import type { ControlTransitionRecord, DriftEventRecord } from '../store';
import { alertCommandsFor, historyCommandFor, showCommandFor, sortChangesBySeverity } from './drift-alert';
import type { AlertOptions } from './drift-alert';
import { stageConsoleUrl } from './console-url';
import { escapeControlChars, formatValue } from './values';

/** Slack's Block Kit limits (https://api.slack.com/reference/block-kit). */
export const SLACK_LIMITS = {
  blocks: 50,
  sectionText: 3_000,
  headerText: 150,
  fieldText: 2_000,
  fields: 10,
} as const;

export interface SlackText {
  readonly type: 'plain_text' | 'mrkdwn';
  readonly text: string;
  readonly emoji?: boolean;
}

export type SlackBlock =
  | { readonly type: 'header'; readonly text: SlackText }
  | { readonly type: 'section'; readonly text?: SlackText; readonly fields?: readonly SlackText[] }
  | { readonly type: 'context'; readonly elements: readonly SlackText[] }
  | { readonly type: 'divider' };

/** An incoming-webhook payload: `text` is the notification fallback, `blocks` the message. */
export interface SlackMessage {
  readonly text: string;
  readonly blocks: readonly SlackBlock[];
}

export interface SlackRenderOptions extends AlertOptions {
  /** Changes listed in one message before `...and N more`. @default 25 */
  readonly maxChanges?: number;
  /** A longer before/after value is cut with `…`. @default 200 */
  readonly maxValueChars?: number;
}

export interface SlackDigestOptions extends AlertOptions {
  /** Events listed by name, worst first. @default 10 */
  readonly listSize?: number;
}

export const SEVERITY_EMOJI: Readonly<Record<Severity, string>> = {
  CRITICAL: ':rotating_light:',
  HIGH: ':red_circle:',
  MEDIUM: ':large_orange_circle:',
  LOW: ':large_yellow_circle:',
  INFO: ':white_circle:',
};

const VERBS: Readonly<Record<StageChangeKind, string>> = {
  CREATED: 'was created',
  DELETED: 'was deleted',
  MODIFIED: 'drifted',
  RECREATED: 'was recreated',
  REVERTED: 'was reverted',
};

const STAGE_LEVEL_TEXT: Readonly<Record<StageChangeKind, string>> = {
  CREATED: 'The stage was created.',
  DELETED: 'The stage was deleted.',
  MODIFIED: 'The stage configuration changed.',
  RECREATED: 'The stage was deleted and created again between two scans (new creation date).',
  REVERTED: 'The stage was put back to an earlier version with `stage-drift revert`.',
};

/** Cuts `text` to `max` characters, ending in `…` when cut. */
export const truncateText = (text: string, max: number): string =>
  text.length <= max ? text : `${text.slice(0, Math.max(0, max - 1))}…`;

/** Escapes the three characters Slack's mrkdwn treats as control characters. */
export const escapeMrkdwn = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

const oneLine = (text: string): string => text.replace(/\s+/g, ' ');

/** Stage data on one line: control characters shown as escapes (`\n`, `\x1b`), then spaces folded. */
export const dataText = (text: string): string => oneLine(escapeControlChars(text));

/** Stage data in mrkdwn: {@link dataText}, with `&`, `<` and `>` escaped. */
export const mrkdwnData = (text: string): string => escapeMrkdwn(dataText(text));

/** Inline code in mrkdwn: no backticks or line breaks inside. */
export const code = (text: string): string => `\`${mrkdwnData(text.replace(/`/g, "'"))}\``;

export const plain = (text: string): SlackText => ({ type: 'plain_text', text, emoji: true });
export const mrkdwn = (text: string): SlackText => ({ type: 'mrkdwn', text });

/** `<!date^…>`: Slack shows the time in each reader's time zone; the fallback is the ISO text. */
export const slackDate = (iso: string, format: string): string => {
  const epoch = Math.floor(Date.parse(iso) / 1000);
  return Number.isFinite(epoch) ? `<!date^${epoch}^${format}|${escapeMrkdwn(iso)}>` : escapeMrkdwn(iso);
};

const apiTitle = (event: DriftEventRecord): string =>
  event.api.name.trim() === '' ? `API ${event.api.id}` : event.api.name;

/** `[HIGH] Execution logging level (*\/*): INFO -> OFF`, values cut to `maxValueChars`. */
export const formatChangeLine = (change: Change, maxValueChars = 200): string => {
  const value = (v: Change['before']) => truncateText(oneLine(formatValue(v)), maxValueChars);
  const control = change.control ? `  [${change.control}]` : '';
  return `[${change.severity}] ${dataText(change.label)}: ${value(change.before)} -> ${value(change.after)}${control}`;
};

/** A fix: a failing control that now passes or no longer applies (as `shared/posture`'s `isFix`). */
export const isFixTransition = (t: ControlTransitionRecord): boolean =>
  t.from === 'FAILED' && t.to !== 'FAILED';

/**
 * `APIGateway.1 now passes on prod`, `APIGateway.3 now fails on prod`, `APIGateway.5 no longer
 * applies on prod`, `APIGateway.9 now applies on prod`: plain text (the stage name as data).
 */
export const formatTransitionLine = (t: ControlTransitionRecord, stageName: string): string => {
  const verb =
    t.to === 'PASSED'
      ? 'now passes'
      : t.to === 'FAILED'
        ? 'now fails'
        : t.from === 'FAILED'
          ? 'no longer applies (was failing)'
          : 'no longer applies';
  return `${dataText(t.id)} ${verb} on ${dataText(stageName)}`;
};

/** Packs lines into as few section texts as fit 3,000 characters each (a too-long line is cut). */
export const packLines = (lines: readonly string[], max: number = SLACK_LIMITS.sectionText): string[] => {
  const texts: string[] = [];
  let current = '';
  for (const raw of lines) {
    const line = truncateText(raw, max);
    if (current === '') current = line;
    else if (current.length + 1 + line.length <= max) current += `\n${line}`;
    else {
      texts.push(current);
      current = line;
    }
  }
  if (current !== '') texts.push(current);
  return texts;
};

const consoleLink = (event: DriftEventRecord, options: AlertOptions): string =>
  stageConsoleUrl(
    { apiType: event.api.type, apiId: event.api.id, region: event.region },
    options.consoleBaseUrl,
  );

/** One readable line for notifications and logs: `[HIGH] prod of orders-api (a1b2c3) drifted in eu-west-1`. */
export const describeEvent = (event: DriftEventRecord): string =>
  `[${event.severity}] ${dataText(event.stageName)} of ${dataText(event.api.name.trim() === '' ? `API ${event.api.id}` : `${event.api.name} (${event.api.id})`)} ` +
  `${VERBS[event.change]} in ${dataText(event.region)}`;

/**
 * The attribution line: `Changed by arn:... via console from 203.0.113.7 at 10:41 (UpdateStage)`,
 * with the stack for a CloudFormation change; or `Not attributed: <reason>`. Undefined when the
 * event carries no attribution.
 */
/** Who put a REVERTED stage back, and to which version. */
export const formatRevertLine = (event: DriftEventRecord): string | undefined => {
  const r = event.revert;
  if (r === undefined) return undefined;
  const undid = r.revertedEventIds.length;
  return (
    `Reverted by ${code(r.by)} with \`stage-drift revert\`, to the version of ${slackDate(r.toVersion, '{date_short_pretty} {time}')}` +
    (undid > 0 ? ` (undid ${undid} drift event${undid === 1 ? '' : 's'})` : '')
  );
};

export const formatAttributionLine = (event: DriftEventRecord): string | undefined => {
  const a = event.attribution;
  if (a === undefined) return undefined;
  if (a.status === 'unattributed') return `Not attributed: ${mrkdwnData(a.reason)}`;
  const via = a.stackName ? `${a.source} (stack ${code(a.stackName)})` : a.source;
  const from = a.sourceIp ? ` from ${code(a.sourceIp)}` : '';
  return (
    `Changed by ${code(a.principalArn)} via ${via}${from} at ${slackDate(a.eventTime, '{time}')} ` +
    `(${mrkdwnData(a.eventName)})`
  );
};

/**
 * The Slack message of one drift event (Block Kit): a header with the severity and the stage;
 * the API name, id, type, region and account; each change as `label: before -> after` (stage
 * variable values only as fingerprints); a link to the API Gateway console; and a context line
 * with the detection time, preceded by who made the change (or why that is unknown). Within 50 blocks and 3,000 characters a section: longer change lists
 * end with how many were left out and the `stage-drift show` command that prints them.
 */
export const renderSlackMessage = (
  event: DriftEventRecord,
  options: SlackRenderOptions = {},
): SlackMessage => {
  const maxChanges = options.maxChanges ?? 25;
  const changes = sortChangesBySeverity(event.changes);
  const header: SlackBlock = {
    type: 'header',
    text: plain(
      truncateText(
        `${SEVERITY_EMOJI[event.severity]} ${event.severity}: ${dataText(event.stageName)} of ${dataText(apiTitle(event))} ${VERBS[event.change]}`,
        SLACK_LIMITS.headerText,
      ),
    ),
  };
  const field = (name: string, value: string) =>
    mrkdwn(truncateText(`*${name}*\n${value}`, SLACK_LIMITS.fieldText));
  const total = changes.length + (event.changesOmitted ?? 0);
  const facts: SlackBlock = {
    type: 'section',
    fields: [
      field('API', mrkdwnData(apiTitle(event))),
      field('API id', code(event.api.id)),
      field('Type', event.api.type),
      field('Region', code(event.region)),
      field('Account', code(event.account)),
      field(
        'Change',
        total > 0 ? `${event.change}, ${total} field change${total === 1 ? '' : 's'}` : event.change,
      ),
    ],
  };
  const link: SlackBlock = {
    type: 'section',
    text: mrkdwn(`<${escapeMrkdwn(consoleLink(event, options))}|Open in the API Gateway console>`),
  };
  const context: SlackBlock = {
    type: 'context',
    elements: [
      mrkdwn(
        `${slackDate(event.detectedAt, 'Detected {date_short_pretty} at {time}')} · event ${code(event.id)} · rule ${code(event.rule)}`,
      ),
    ],
  };
  const attributionLine = formatRevertLine(event) ?? formatAttributionLine(event);
  const attributionBlocks: SlackBlock[] = attributionLine
    ? [{ type: 'context', elements: [mrkdwn(truncateText(attributionLine, SLACK_LIMITS.sectionText))] }]
    : [];
  const commands = alertCommandsFor(event, options.tableName);
  const commandBlock: SlackBlock = {
    type: 'context',
    elements: [
      mrkdwn(
        truncateText(
          `Acknowledge: ${code(commands.ack)}${commands.revert === undefined ? '' : ` · Put it back: ${code(commands.revert)}`}`,
          SLACK_LIMITS.sectionText,
        ),
      ),
    ],
  };
  const fixedBlocks = 5 + attributionBlocks.length; // header, facts, link, context, commands (+ attribution)
  const transitions = (event.controls ?? []).map((t) => formatTransitionLine(t, event.stageName));
  const lines = [...transitions, ...(changes.length === 0 ? [STAGE_LEVEL_TEXT[event.change]] : [])];
  let shown = Math.min(changes.length, maxChanges);
  let sections: string[] = [];
  for (;;) {
    const changeLines = changes.slice(0, shown).map((c) => formatChangeLine(c, options.maxValueChars));
    const omitted = total - shown;
    const note =
      omitted > 0
        ? [
            `…and ${omitted} more change${omitted === 1 ? '' : 's'}. See the stage with: ${showCommandFor(event)} ` +
              `(and every change with: ${historyCommandFor(event)})`,
          ]
        : [];
    sections = [...packLines([...lines, ...changeLines]), ...note];
    if (sections.length + fixedBlocks <= SLACK_LIMITS.blocks || shown === 0) break;
    shown = Math.max(0, shown - Math.ceil(shown / 4));
  }
  return {
    text: escapeMrkdwn(
      transitions.length > 0 ? `${describeEvent(event)}: ${transitions.join('; ')}` : describeEvent(event),
    ),
    blocks: [
      header,
      facts,
      ...sections.map((text): SlackBlock => ({ type: 'section', text: plain(text) })),
      link,
      ...attributionBlocks,
      commandBlock,
      context,
    ],
  };
};

const worstFirst = (a: DriftEventRecord, b: DriftEventRecord): number =>
  severityRank(b.severity) - severityRank(a.severity) ||
  a.detectedAt.localeCompare(b.detectedAt) ||
  a.id.localeCompare(b.id);

/**
 * One Slack message for many events: counts by severity, and the worst events listed with a
 * console link each (most severe first), within Slack's block and section limits.
 */
export const renderSlackDigest = (
  events: readonly DriftEventRecord[],
  options: SlackDigestOptions = {},
): SlackMessage => {
  const listSize = options.listSize ?? 10;
  const sorted = [...events].sort(worstFirst);
  const counts = SEVERITIES.map((s) => [s, events.filter((e) => e.severity === s).length] as const).filter(
    ([, n]) => n > 0,
  );
  const countText = counts.map(([s, n]) => `${n} ${s}`).join(', ');
  const worst = sorted[0]?.severity ?? 'INFO';
  const plural = events.length === 1 ? 'stage' : 'stages';
  const header: SlackBlock = {
    type: 'header',
    text: plain(truncateText(`${SEVERITY_EMOJI[worst]} ${events.length} API Gateway ${plural} drifted`, 150)),
  };
  const countsBlock: SlackBlock = {
    type: 'section',
    fields: counts.slice(0, SLACK_LIMITS.fields).map(([s, n]) => mrkdwn(`${SEVERITY_EMOJI[s]} *${s}*\n${n}`)),
  };
  const listed = sorted.slice(0, listSize);
  const lines = listed.map((e) => {
    const n = e.changes.length + (e.changesOmitted ?? 0);
    const detail = e.change === 'MODIFIED' || n > 0 ? ` (${n} change${n === 1 ? '' : 's'})` : '';
    return (
      `• *${e.severity}* ${code(e.stageName)} of ${mrkdwnData(apiTitle(e))} (${code(e.api.id)}, ${e.api.type}) ` +
      `${VERBS[e.change]}${detail} in ${code(e.region)}, account ${code(e.account)} · ` +
      `<${escapeMrkdwn(consoleLink(e, options))}|console>`
    );
  });
  const rest = sorted.length - listed.length;
  const sections = packLines(lines).slice(0, SLACK_LIMITS.blocks - 4);
  const times = sorted.map((e) => e.detectedAt).sort();
  const first = times[0] ?? '';
  const last = times[times.length - 1] ?? '';
  const when =
    first === last
      ? slackDate(first, 'Detected {date_short_pretty} at {time}')
      : `Detected between ${slackDate(first, '{date_short_pretty} {time}')} and ${slackDate(last, '{date_short_pretty} {time}')}`;
  const more =
    rest > 0
      ? ` · ${rest} more not listed: every event is on the SNS topic and in \`stage-drift events\``
      : '';
  return {
    text: `${events.length} API Gateway ${plural} drifted: ${countText}`,
    blocks: [
      header,
      countsBlock,
      ...sections.map((text): SlackBlock => ({ type: 'section', text: mrkdwn(text) })),
      { type: 'context', elements: [mrkdwn(truncateText(`${when}${more}`, SLACK_LIMITS.sectionText))] },
    ],
  };
};
