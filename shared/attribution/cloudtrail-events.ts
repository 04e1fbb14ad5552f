// Pure data and one pure function, importing only its error class: infra may read the patterns as it
// reads config.
//
// Sources checked (through the project's search tool):
// - EventBridge event reference, "Amazon API Gateway events": CloudTrail-delivered API Gateway
//   calls match `source: aws.apigateway`, `detail-type: AWS API Call via CloudTrail`,
//   `detail.eventSource: apigateway.amazonaws.com`, with `eventName` naming the call. v1 and v2
//   calls share that event source and, for stages, their event names.
// - The same reference for AWS WAF Classic regional: `source: aws.waf-regional`,
//   `eventSource: waf-regional.amazonaws.com`; WAFv2 records carry `eventSource: wafv2.amazonaws.com`
//   (CloudTrail records in the WAF developer guide) and EventBridge names the source `aws.wafv2`.
// - WAFv2 DisassociateWebACL records carry `requestParameters.resourceArn` (Panther's CloudTrail
//   rule fixtures); an API Gateway stage's WAF ARN is
//   `arn:aws:apigateway:<region>::/restapis/<id>/stages/<stage>` (AWS CLI `wafv2
//   list-resources-for-web-acl` example). Only REST API stages take a web ACL.
// - EventBridge content filtering: `prefix` on string values; `$or` across fields.

import { UnsupportedEventPatternError } from './errors';

/** The `detail-type` of CloudTrail management events delivered to EventBridge. */
export const API_CALL_DETAIL_TYPE = 'AWS API Call via CloudTrail';

export const API_GATEWAY_EVENT_SOURCE = 'apigateway.amazonaws.com';
export const WAFV2_EVENT_SOURCE = 'wafv2.amazonaws.com';
export const WAF_REGIONAL_EVENT_SOURCE = 'waf-regional.amazonaws.com';

/**
 * API Gateway calls that create, change or delete a stage (v1 and v2 share the names):
 * CreateApi is here because a quick-created HTTP API gets a `$default` stage; CreateDeployment
 * because a v1 deployment with `stageName` creates or moves that stage; CreateRestApi is not
 * (a new REST API has no stage).
 */
export const API_GATEWAY_STAGE_EVENT_NAMES = [
  'CreateApi',
  'CreateDeployment',
  'CreateStage',
  'DeleteApi',
  'DeleteRestApi',
  'DeleteStage',
  'TagResource',
  'UntagResource',
  'UpdateStage',
] as const;

/** WAF calls that attach a web ACL to, or detach it from, a resource. */
export const WAF_STAGE_EVENT_NAMES = ['AssociateWebACL', 'DisassociateWebACL'] as const;

/** Every call the rule routes: the names attribution looks for too. */
export const STAGE_CHANGE_EVENT_NAMES: readonly string[] = [
  ...API_GATEWAY_STAGE_EVENT_NAMES,
  ...WAF_STAGE_EVENT_NAMES,
];

/** API Gateway ARNs in the three partitions (`arn:aws:`, `arn:aws-cn:`, `arn:aws-us-gov:`). */
export const API_GATEWAY_ARN_PREFIXES = [
  'arn:aws:apigateway:',
  'arn:aws-cn:apigateway:',
  'arn:aws-us-gov:apigateway:',
] as const;

/** A leaf matcher: an exact value or `{ prefix }`. */
export type EventPatternMatcher = string | number | boolean | null | { readonly prefix: string };

/**
 * An EventBridge event pattern, in the subset this project uses: nested fields, arrays of exact
 * values and `{ prefix }` matchers, and `$or` (an array of patterns).
 */
export interface EventPattern {
  readonly [field: string]: readonly EventPatternMatcher[] | readonly EventPattern[] | EventPattern;
}

/** API Gateway (v1 and v2) calls that change stages. */
export const API_GATEWAY_STAGE_CALLS_PATTERN = {
  source: ['aws.apigateway'],
  'detail-type': [API_CALL_DETAIL_TYPE],
  detail: {
    eventSource: [API_GATEWAY_EVENT_SOURCE],
    eventName: [...API_GATEWAY_STAGE_EVENT_NAMES],
  },
} as const satisfies EventPattern;

/** WAFv2 and WAF Classic (regional) association changes, on API Gateway stage ARNs only. */
export const WAF_STAGE_ASSOCIATION_PATTERN = {
  source: ['aws.wafv2', 'aws.waf-regional'],
  'detail-type': [API_CALL_DETAIL_TYPE],
  detail: {
    eventSource: [WAFV2_EVENT_SOURCE, WAF_REGIONAL_EVENT_SOURCE],
    eventName: [...WAF_STAGE_EVENT_NAMES],
    requestParameters: { resourceArn: API_GATEWAY_ARN_PREFIXES.map((prefix) => ({ prefix })) },
  },
} as const satisfies EventPattern;

/**
 * The one rule's pattern: either half. For CDK, whose typed `EventPattern` has no `$or`, make
 * one rule per half (same target) instead; the matcher below proves the two forms agree.
 */
export const STAGE_CHANGE_EVENT_PATTERN = {
  $or: [API_GATEWAY_STAGE_CALLS_PATTERN, WAF_STAGE_ASSOCIATION_PATTERN],
} as const satisfies EventPattern;

const isPlainObject = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const matchesLeaf = (matcher: unknown, value: unknown): boolean => {
  if (matcher === null || typeof matcher !== 'object') return matcher === value;
  const keys = Object.keys(matcher);
  const prefix = (matcher as { prefix?: unknown }).prefix;
  if (keys.length === 1 && typeof prefix === 'string') {
    return typeof value === 'string' && value.startsWith(prefix);
  }
  throw new UnsupportedEventPatternError(
    `Unsupported matcher ${JSON.stringify(matcher)}: this matcher knows exact values, { prefix } and $or.`,
  );
};

const matchesObject = (pattern: Readonly<Record<string, unknown>>, value: unknown): boolean => {
  if (!isPlainObject(value)) return false;
  return Object.entries(pattern).every(([field, node]) => {
    if (field === '$or') {
      if (!Array.isArray(node) || node.length < 2 || !node.every(isPlainObject)) {
        throw new UnsupportedEventPatternError('$or takes an array of at least two patterns.');
      }
      return node.some((branch) => matchesObject(branch, value));
    }
    const actual = value[field];
    if (Array.isArray(node)) {
      if (actual === undefined || isPlainObject(actual)) return false;
      // EventBridge matches an array field when any of its elements matches.
      const values: readonly unknown[] = Array.isArray(actual) ? actual : [actual];
      return node.some((matcher) => values.some((candidate) => matchesLeaf(matcher, candidate)));
    }
    if (isPlainObject(node)) return matchesObject(node, actual);
    throw new UnsupportedEventPatternError(
      `Pattern field ${field} must be an array of matchers or a nested pattern.`,
    );
  });
};

/**
 * Whether EventBridge would deliver `event` to a rule with `pattern`, for the subset in
 * `EventPattern`: every field present and matching, array values matching any element, exact
 * values compared strictly (case-sensitive), `prefix` on strings only.
 */
export const matchesEventPattern = (pattern: EventPattern, event: unknown): boolean =>
  matchesObject(pattern, event);
