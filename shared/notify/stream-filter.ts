/**
 * The event-source filter of the publish function: only inserts of drift-event items
 * (`itemType = DRIFT`) reach it. The CDK construct passes it to `FilterCriteria.filter(...)`.
 */
export const DRIFT_STREAM_FILTER = {
  eventName: ['INSERT'],
  dynamodb: { NewImage: { itemType: { S: ['DRIFT'] } } },
} as const;
