import type { StageKey } from '../../shared/model';
import type { DriftEventRecord, VersionEntry } from '../../shared/store';
import { eventStatusOf } from '../../shared/store';
import { escapeControlChars, formatValue, renderJsonDocument } from './values';

export type HistoryFormat = 'text' | 'json';

/** Each version (newest first) with the drift event that produced it, matched by capture time. */
const pairVersions = (versions: readonly VersionEntry[], events: readonly DriftEventRecord[]) => {
  const eventAt = new Map<string, DriftEventRecord>(events.map((e) => [e.detectedAt, e]));
  return versions.map((version) => ({ version, event: eventAt.get(version.capturedAt) }));
};

const renderJson = (key: StageKey, versions: readonly VersionEntry[], events: readonly DriftEventRecord[]) =>
  renderJsonDocument({
    key,
    versions: pairVersions(versions, events).map(({ version, event }, i) => ({
      capturedAt: version.capturedAt,
      hash: version.hash ?? null,
      deleted: version.deleted,
      change: event?.change ?? (i === versions.length - 1 ? 'BASELINE' : null),
      severity: event?.severity ?? null,
      eventId: event?.id ?? null,
      status: event ? eventStatusOf(event) : null,
      changes: event?.changes ?? [],
      ...(event?.acks ? { acks: event.acks } : {}),
      ...(event?.reverted ? { reverted: event.reverted } : {}),
      ...(event?.revert ? { revert: event.revert } : {}),
    })),
  });

/** What was done about an event (acknowledgements, a revert that undid it) and what a revert did. */
const statusLines = (event: DriftEventRecord): string[] => {
  const lines = (event.acks ?? []).map(
    (ack) => `acknowledged by ${ack.by} at ${ack.at}${ack.note === undefined ? '' : `: ${ack.note}`}`,
  );
  const { reverted, revert } = event;
  if (reverted) {
    lines.push(
      `reverted by ${reverted.by} at ${reverted.at} (revert event ${reverted.revertEventId.slice(0, 8)})`,
    );
  }
  if (revert) {
    const count = revert.revertedEventIds.length;
    const ids = revert.revertedEventIds.map((id) => id.slice(0, 8)).join(', ');
    lines.push(
      `revert by ${revert.by}: from ${revert.fromVersion} to ${revert.toVersion}, ` +
        `undoing ${count} event${count === 1 ? '' : 's'}${count === 0 ? '' : ` (${ids})`}`,
    );
  }
  return lines.map((line) => `    ${escapeControlChars(line)}`);
};

const renderText = (
  key: StageKey,
  versions: readonly VersionEntry[],
  events: readonly DriftEventRecord[],
) => {
  const count = `${versions.length} version${versions.length === 1 ? '' : 's'}`;
  const lines = [
    escapeControlChars(
      `${key.apiType} API ${key.apiId} stage ${key.stageName} in ${key.account}/${key.region}`,
    ) + `: ${count}`,
  ];
  const entries = pairVersions(versions, events);
  for (const [i, { version, event }] of entries.entries()) {
    const oldest = i === entries.length - 1;
    const head = version.deleted
      ? 'stage deleted'
      : `hash ${version.hash?.slice(0, 12) ?? '?'}${oldest && !event ? ' (first seen)' : ''}`;
    const drift = event ? `${event.severity} ${event.change}  ` : '';
    lines.push('', `${version.capturedAt}  ${drift}${head}`);
    for (const c of event?.changes ?? []) {
      lines.push(
        `    ${c.severity.padEnd(8)} ${escapeControlChars(c.label)}: ${formatValue(c.before)} -> ${formatValue(c.after)}`,
      );
    }
    if (event) lines.push(...statusLines(event));
  }
  return `${lines.join('\n')}\n`;
};

/** `stage-drift history`: every version of one stage, newest first, with what changed in each. */
export const renderHistory = (
  key: StageKey,
  versions: readonly VersionEntry[],
  events: readonly DriftEventRecord[],
  format: HistoryFormat,
): string => (format === 'json' ? renderJson(key, versions, events) : renderText(key, versions, events));
