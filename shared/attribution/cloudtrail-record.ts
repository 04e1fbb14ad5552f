import type { JsonObject } from '../model';
import { isJsonObject } from '../model';
import { CloudTrailRecordError } from './errors';

/**
 * Who made a call, as CloudTrail records it (`userIdentity`). `type` is `IAMUser`,
 * `AssumedRole`, `Root`, `FederatedUser`, `AWSService`, `AWSAccount`, `IdentityCenterUser`, ...
 */
export interface CloudTrailUserIdentity {
  readonly type?: string;
  readonly principalId?: string;
  readonly arn?: string;
  readonly accountId?: string;
  readonly userName?: string;
  /** The AWS service that made the call on the principal's behalf, e.g. `cloudformation.amazonaws.com`. */
  readonly invokedBy?: string;
  /** The role behind temporary credentials: `sessionContext.sessionIssuer`. */
  readonly sessionIssuer?: {
    readonly type?: string;
    readonly arn?: string;
    readonly userName?: string;
  };
}

/**
 * The fields of one CloudTrail record (an EventBridge event's `detail`, or a LookupEvents
 * `CloudTrailEvent` JSON string) that targeting and attribution read. Shapes as the AWS docs
 * and real records show them:
 * - API Gateway v1 (REST): path parameters at the top of `requestParameters` (`restApiId`,
 *   `stageName`), the body under `<operation>Input` (`createDeploymentInput.stageName`,
 *   `updateStageInput`, `createStageInput`).
 * - API Gateway v2 (HTTP/WebSocket): flat camelCase (`apiId`, `stageName`, `autoDeploy`); a
 *   quick-created API's id only in `responseElements.apiId`.
 * - WAF: `requestParameters.resourceArn` (`arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>`).
 */
export interface CloudTrailRecord {
  readonly eventVersion?: string;
  readonly eventID: string;
  /** ISO-8601 to the second, e.g. `2024-07-17T05:56:53Z`. */
  readonly eventTime: string;
  /** `apigateway.amazonaws.com`, `wafv2.amazonaws.com`, `waf-regional.amazonaws.com`. */
  readonly eventSource: string;
  readonly eventName: string;
  readonly awsRegion: string;
  readonly recipientAccountId?: string;
  readonly sourceIPAddress?: string;
  readonly userAgent?: string;
  readonly userIdentity: CloudTrailUserIdentity;
  readonly requestParameters?: JsonObject;
  readonly responseElements?: JsonObject;
  readonly requestID?: string;
  /** Present when the call failed: such a call changed nothing. */
  readonly errorCode?: string;
  readonly errorMessage?: string;
  readonly readOnly?: boolean;
  /** CloudTrail writes `"true"` when the session's credentials came from the console. */
  readonly sessionCredentialFromConsole?: boolean;
}

const optionalString = (value: unknown): string | undefined =>
  typeof value === 'string' && value !== '' ? value : undefined;

const withString = <K extends string>(key: K, value: unknown): { [P in K]?: string } => {
  const text = optionalString(value);
  return (text === undefined ? {} : { [key]: text }) as { [P in K]?: string };
};

const requiredString = (source: JsonObject, field: string): string => {
  const value = optionalString(source[field]);
  if (value === undefined) {
    throw new CloudTrailRecordError(
      `The CloudTrail record has no ${field} (got ${JSON.stringify(source[field] ?? null)}): ` +
        'pass the EventBridge event detail or the LookupEvents CloudTrailEvent JSON as it came.',
    );
  }
  return value;
};

const asBoolean = (value: unknown): boolean | undefined =>
  value === true || value === 'true' ? true : value === false || value === 'false' ? false : undefined;

const parseUserIdentity = (value: unknown): CloudTrailUserIdentity => {
  if (!isJsonObject(value)) return {};
  const context = isJsonObject(value.sessionContext) ? value.sessionContext : undefined;
  const issuer = context && isJsonObject(context.sessionIssuer) ? context.sessionIssuer : undefined;
  const sessionIssuer = issuer
    ? {
        ...withString('type', issuer.type),
        ...withString('arn', issuer.arn),
        ...withString('userName', issuer.userName),
      }
    : undefined;
  return {
    ...withString('type', value.type),
    ...withString('principalId', value.principalId),
    ...withString('arn', value.arn),
    ...withString('accountId', value.accountId),
    ...withString('userName', value.userName),
    ...withString('invokedBy', value.invokedBy),
    // An empty issuer (`"sessionIssuer": {}`, as root and console sign-in sessions carry) adds nothing.
    ...(sessionIssuer && Object.keys(sessionIssuer).length > 0 ? { sessionIssuer } : {}),
  };
};

/**
 * Reads one CloudTrail record: a parsed object or its JSON text. Keeps only the fields above,
 * type-checked; throws `CloudTrailRecordError` when `eventID`, `eventTime`, `eventSource`,
 * `eventName` or `awsRegion` is missing.
 */
export const parseCloudTrailRecord = (input: unknown): CloudTrailRecord => {
  let value = input;
  if (typeof input === 'string') {
    try {
      value = JSON.parse(input) as unknown;
    } catch (error) {
      throw new CloudTrailRecordError('The CloudTrail record is not valid JSON.', { cause: error });
    }
  }
  if (!isJsonObject(value)) {
    throw new CloudTrailRecordError(`A CloudTrail record is a JSON object, got ${typeof value}.`);
  }
  const readOnly = asBoolean(value.readOnly);
  const fromConsole = asBoolean(value.sessionCredentialFromConsole);
  return {
    ...withString('eventVersion', value.eventVersion),
    eventID: requiredString(value, 'eventID'),
    eventTime: requiredString(value, 'eventTime'),
    eventSource: requiredString(value, 'eventSource'),
    eventName: requiredString(value, 'eventName'),
    awsRegion: requiredString(value, 'awsRegion'),
    ...withString('recipientAccountId', value.recipientAccountId),
    ...withString('sourceIPAddress', value.sourceIPAddress),
    ...withString('userAgent', value.userAgent),
    userIdentity: parseUserIdentity(value.userIdentity),
    ...(isJsonObject(value.requestParameters) ? { requestParameters: value.requestParameters } : {}),
    ...(isJsonObject(value.responseElements) ? { responseElements: value.responseElements } : {}),
    ...withString('requestID', value.requestID),
    ...withString('errorCode', value.errorCode),
    ...withString('errorMessage', value.errorMessage),
    ...(readOnly === undefined ? {} : { readOnly }),
    ...(fromConsole === undefined ? {} : { sessionCredentialFromConsole: fromConsole }),
  };
};

/** The account a record belongs to: the recipient account, else the caller's. */
export const accountOfRecord = (record: CloudTrailRecord): string | undefined =>
  record.recipientAccountId ?? record.userIdentity.accountId;
