import { escapeJsonControlChars } from '../../shared/notify/values';

// The value formatter and the escaping of stage data live in shared/notify so the CLI reports
// and the Slack alerts share them.
export { escapeControlChars, formatValue } from '../../shared/notify/values';

/** A `--format json` document: indented, with nothing in it that acts on a terminal. */
export const renderJsonDocument = (value: unknown): string =>
  `${escapeJsonControlChars(JSON.stringify(value, null, 2))}\n`;
