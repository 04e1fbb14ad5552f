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
