// What a message of the monitor's failure queue is, read from its body and attributes: the five
// kinds docs/deploy.md lists ("The failure queue"). Pure: the CLI's `failures` command reads the
// queue and prints these.

import { isJsonObject } from '../model';

/** The kinds of message the failure queue holds, by what sent them. */
export type FailureMessageKind =
  'scan-failure' | 'delivery-failure' | 'run-failure' | 'stream-batch' | 'event-dead-letter' | 'unknown';

/** One message as read: its body and its string message attributes. */
export interface FailureQueueMessage {
  readonly body: string;
  readonly attributes?: Readonly<Record<string, string | undefined>>;
}

/** A message as an operator reads it: what kind, one line of what failed, where to look next. */
export interface FailureMessage {
  readonly kind: FailureMessageKind;
  /** One line: what failed. */
  readonly summary: string;
}

type Json = Record<string, unknown>;

const isObject = (value: unknown): value is Json => isJsonObject(value);
const text = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;
const objectAt = (value: unknown, key: string): Json | undefined => {
  const found = isObject(value) ? value[key] : undefined;
  return isObject(found) ? found : undefined;
};

/** The function's name from its ARN (`…:function:<name>[:<qualifier>]`). */
const functionName = (arn: unknown): string => text(arn)?.match(/:function:([^:]+)/)?.[1] ?? 'a function';

const scanFailure = (body: Json): string => {
  const scopes = Array.isArray(body.scopes) ? body.scopes.filter(isObject) : [];
  const source = text(body.source) ?? 'scan';
  const error = objectAt(body, 'error');
  const parts = scopes.map((scope) => {
    const failures = Array.isArray(scope.failures) ? scope.failures.filter(isObject) : [];
    const omitted = typeof scope.failuresOmitted === 'number' ? scope.failuresOmitted : 0;
    const first = failures[0];
    const what = first
      ? `${text(first.apiId) ?? text(first.kind) ?? 'read'}: ${text(first.errorName) ?? text(first.name) ?? 'error'}`
      : undefined;
    const count = failures.length + omitted;
    return `${text(scope.account) ?? '?'}/${text(scope.region) ?? '?'}${
      count > 0 ? ` ${count} not read${what ? ` (${what}${count > 1 ? ', …' : ''})` : ''}` : ''
    }`;
  });
  const failed = error ? `: ${text(error.name) ?? 'Error'}: ${text(error.message) ?? ''}`.trimEnd() : '';
  return `${source} ${parts.length > 0 ? parts.join('; ') : 'run'}${failed}`;
};

const deliveryFailure = (body: Json): string => {
  const stage = objectAt(body, 'stage');
  const scope = objectAt(body, 'scope');
  const where = stage
    ? `${text(stage.apiId) ?? '?'} ${text(stage.stageName) ?? '?'} (${text(stage.account) ?? '?'}/${text(stage.region) ?? '?'})`
    : scope
      ? `posture summary of ${text(scope.account) ?? '?'}/${text(scope.region) ?? '?'}`
      : 'an event';
  const severity = text(body.severity);
  const id = text(body.eventId)?.slice(0, 8) ?? '?';
  return `${text(body.channel) ?? 'a channel'} refused event ${id}, ${where}${severity ? `, ${severity}` : ''}: ${
    text(body.error) ?? 'no reason given'
  }`;
};

const runFailure = (body: Json): string => {
  const context = objectAt(body, 'requestContext') ?? {};
  const response = objectAt(body, 'responsePayload');
  const error = response
    ? `${text(response.errorType) ? `${text(response.errorType)}: ` : ''}${text(response.errorMessage) ?? ''}`
    : undefined;
  return `${functionName(context.functionArn)}: ${text(context.condition) ?? 'failed'}${error ? `: ${error}` : ''}`;
};

const streamBatch = (body: Json): string => {
  const batch = objectAt(body, 'DDBStreamBatchInfo') ?? {};
  const context = objectAt(body, 'requestContext') ?? {};
  const size = typeof batch.batchSize === 'number' ? batch.batchSize : undefined;
  return (
    `${functionName(context.functionArn)} did not process ${size ?? 'a batch of'} stream record${size === 1 ? '' : 's'}` +
    ` (${text(context.condition) ?? 'failed'}; sequence ${text(batch.startSequenceNumber) ?? '?'}–${text(batch.endSequenceNumber) ?? '?'})` +
    ': their drift events are in the table, not alerted'
  );
};

const eventDeadLetter = (body: Json, attributes: FailureQueueMessage['attributes']): string => {
  const detail = objectAt(body, 'detail') ?? {};
  const params = objectAt(detail, 'requestParameters') ?? {};
  const api = text(params.restApiId) ?? text(params.apiId) ?? text(params.resourceArn) ?? '?';
  const account = text(body.account) ?? text(detail.recipientAccountId) ?? '?';
  const region = text(body.region) ?? text(detail.awsRegion) ?? '?';
  const ruleError = attributes?.ERROR_CODE
    ? `: the rule could not deliver it (${attributes.ERROR_CODE}${attributes.ERROR_MESSAGE ? `: ${attributes.ERROR_MESSAGE}` : ''})`
    : ': its rescans failed (the scheduled scan still sees the change)';
  return `${text(detail.eventName) ?? 'a CloudTrail event'} on ${api} (${account}/${region})${ruleError}`;
};

/** What `message` is; a body that is not JSON, or of no known shape, is `unknown` with its size. */
export const describeFailureMessage = (message: FailureQueueMessage): FailureMessage => {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    body = undefined;
  }
  const unknown: FailureMessage = {
    kind: 'unknown',
    summary: `a message of ${Buffer.byteLength(message.body)} bytes that is not one of the monitor's`,
  };
  if (!isObject(body)) return unknown;
  if (body.kind === 'stage-drift.scan-failure') return { kind: 'scan-failure', summary: scanFailure(body) };
  if (body.kind === 'stage-drift.delivery-failure')
    return { kind: 'delivery-failure', summary: deliveryFailure(body) };
  if (isObject(body.DDBStreamBatchInfo)) return { kind: 'stream-batch', summary: streamBatch(body) };
  if (isObject(body.requestContext) && 'responseContext' in body)
    return { kind: 'run-failure', summary: runFailure(body) };
  if (body['detail-type'] === 'AWS API Call via CloudTrail')
    return { kind: 'event-dead-letter', summary: eventDeadLetter(body, message.attributes) };
  return unknown;
};

export const REDACTED_VALUE = '[redacted]';

/** `value` with the values of every `variables` or `stageVariables` map replaced, keys kept. */
const redactVariables = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(redactVariables);
  if (!isObject(value)) return value;
  // A patch operation on a stage variable (UpdateStage): its value is the variable's.
  if (typeof value.path === 'string' && value.path.startsWith('/variables/') && 'value' in value)
    return { ...value, value: REDACTED_VALUE };
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) =>
      (key === 'variables' || key === 'stageVariables') && isObject(inner)
        ? [key, Object.fromEntries(Object.keys(inner).map((k) => [k, REDACTED_VALUE]))]
        : [key, redactVariables(inner)],
    ),
  );
};

/**
 * The body of `message` as JSON for printing: stage variable values (a CloudTrail event's
 * `variables` and its `/variables/…` patch operations) replaced by REDACTED_VALUE, as the drift
 * events fingerprint them; a body that is not JSON as its text.
 */
export const printableBody = (message: FailureQueueMessage): unknown => {
  let body: unknown;
  try {
    body = JSON.parse(message.body);
  } catch {
    return message.body;
  }
  return redactVariables(body);
};
