import type { Event as LookupEvent } from '@aws-sdk/client-cloudtrail';
import type { FixtureEvent } from '../attribution/fixtures';
import { eventOf } from '../attribution/fixtures';

/** A fixture's EventBridge event pointed at another API (and stage) at another time. */
export const fixtureEventFor = (
  name: string,
  target: { apiId: string; stageName?: string; at: Date; id?: string },
): FixtureEvent => {
  const event = eventOf(name);
  const detail = event.detail as Record<string, unknown> & { requestParameters: Record<string, unknown> };
  const params = detail.requestParameters;
  if ('restApiId' in params) params.restApiId = target.apiId;
  if ('apiId' in params) params.apiId = target.apiId;
  if (target.stageName !== undefined) params.stageName = target.stageName;
  for (const field of ['resourceArn', 'resource-arn'] as const) {
    const arn = params[field];
    if (typeof arn === 'string')
      params[field] = arn.replace(/\/(restapis|apis)\/[^/]+/, `/$1/${target.apiId}`);
  }
  detail.eventTime = target.at.toISOString().replace(/\.\d{3}Z$/, 'Z');
  detail.eventID = target.id ?? `${name}@${target.at.toISOString()}`;
  return event;
};

/** The same record as a LookupEvents `Event`, as CloudTrail event history returns it. */
export const asLookupEvent = (event: FixtureEvent): LookupEvent => {
  const detail = event.detail;
  return {
    EventId: detail.eventID as string,
    EventName: detail.eventName as string,
    ReadOnly: 'false',
    EventTime: new Date(detail.eventTime as string),
    EventSource: detail.eventSource as string,
    CloudTrailEvent: JSON.stringify(detail),
  };
};
