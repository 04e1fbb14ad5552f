export type { ConsoleTarget } from './console-url';
export { consoleOriginFor, stageConsoleUrl } from './console-url';
export type { DeliveryChannel, DeliveryLog, DeliveryMark, DynamoDeliveryLogOptions } from './delivery-log';
export {
  DELIVERY_CHANNELS,
  DELIVERY_MARK_TTL_DAYS,
  DeliveryLogError,
  deliveryPk,
  DynamoDeliveryLog,
} from './delivery-log';
export type { AlertOptions, DriftAlert } from './drift-alert';
export {
  ALERT_SCHEMA_ID,
  ALERT_SCHEMA_VERSION,
  historyCommandFor,
  showCommandFor,
  toDriftAlert,
} from './drift-alert';
export type { DeliveryFailure, FailureQueue } from './failure-queue';
export { SqsFailureQueue } from './failure-queue';
export type { ChannelShortfall, DriftEventFeed, OutboxDeps, OutboxRequest, OutboxResult } from './outbox';
export { deliverPending, OUTBOX_WINDOW_DAYS } from './outbox';
export type { PublishConfig } from './publish-config';
export {
  loadPublishConfigFromEnv,
  PUBLISH_ENV,
  validateQueueUrl,
  validateSecretArn,
  validateTopicArn,
} from './publish-config';
export type {
  ChannelOutcome,
  EventOutcome,
  PublishDeadline,
  PublishDeps,
  PublishResult,
  PublishStatus,
} from './publish-events';
export { OutOfTimeError, PUBLISH_STATUSES, publishEvents } from './publish-events';
export { describeError, REDACTED_URL, redactSecrets } from './redact';
export type {
  SlackBlock,
  SlackDigestOptions,
  SlackMessage,
  SlackRenderOptions,
  SlackText,
} from './slack-message';
export {
  describeEvent,
  escapeMrkdwn,
  formatChangeLine,
  renderSlackDigest,
  renderSlackMessage,
  SLACK_LIMITS,
} from './slack-message';
export { SlackSecretError, SlackWebhookSecret } from './slack-webhook-secret';
export type { SlackSender, SlackWebhookSenderOptions, WebhookUrlSource } from './slack-webhook-sender';
export { SlackDeliveryError, SlackWebhookSender, webhookUrlProblem } from './slack-webhook-sender';
export type { SnsMessage, SnsMessageAttribute, SnsRenderOptions } from './sns-message';
export {
  renderSnsAttributes,
  renderSnsMessage,
  renderSnsSubject,
  SNS_MAX_MESSAGE_BYTES,
  snsMessageBytes,
  toAsciiText,
} from './sns-message';
export type { SnsSink } from './sns-publisher';
export { SnsDeliveryError, SnsPublisher } from './sns-publisher';
export { DRIFT_STREAM_FILTER } from './stream-filter';
export type {
  MalformedRecord,
  ParsedStreamBatch,
  StreamPublishResult,
  StreamRecordLike,
} from './stream-records';
export { driftEventProblem, parseDriftStreamRecords, publishStreamRecords } from './stream-records';
export { escapeControlChars, escapeJsonControlChars, formatValue, isRedactedValue } from './values';
