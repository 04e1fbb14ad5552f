/**
 * Constants of the help text, in a module that loads nothing: `stage-drift --help` and `diff` must
 * not load the AWS SDK or the embedded store (issue 14), so cli/main.ts takes them from here.
 */

/** The embedded store's directory when neither --store nor --table is given. */
export const DEFAULT_STORE_DIR = '.stage-drift';

/**
 * Days a pending alert is kept before it is given up: a copy of `OUTBOX_WINDOW_DAYS` of
 * shared/notify, whose defining module (outbox.ts, through delivery-log.ts) loads the DynamoDB
 * client. test/cli/lazy-loading.test.ts holds the two equal; import it directly once it lives in
 * a module of shared/notify that loads no SDK.
 */
export const OUTBOX_WINDOW_DAYS = 7;

/** The exit codes, as every command's --help ends. */
export const EXIT_CODES_HELP = `
Exit codes:
  0  no drift (or the command succeeded)
  1  drift found
  2  bad input or arguments, no credentials, unreachable endpoint (the message says what to fix)
  3  scan finished, but some API, region or --account could not be read (its stages were kept, not deleted)
  4  some alerts could not be delivered: they stay pending, and the next scan or \`stage-drift publish\` sends them
  70 unexpected internal error (please report it)`;

/** How alerts wait for their channels, in the help of `scan` and `publish`. */
export const OUTBOX_HELP = `
Alerts: every drift event stays pending on each channel until that channel took it (a delivery mark
in the store, shared with the deployed publish function). Each scan, and \`stage-drift publish\`, sends
what is pending, oldest first, once per channel; events older than ${OUTBOX_WINDOW_DAYS} days are given up.`;
