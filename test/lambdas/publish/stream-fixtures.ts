import type { AttributeValue as LambdaAttributeValue, DynamoDBRecord } from 'aws-lambda';
import type { ApiType, StageChangeKind, StageDrift } from '../../../shared/model';
import { driftEventItem } from '../../../shared/store/drift-event';
import { DETECTED_AT, driftFor, eventIdOf } from '../../notify/fixtures';

type Image = Record<string, LambdaAttributeValue>;

/** A drift of `apiType`/`change` on a stage of the given name. */
export const driftOn = (apiType: ApiType, change: StageChangeKind, stageName: string): StageDrift => {
  const drift = driftFor(apiType, change);
  return { ...drift, key: { ...drift.key, stageName } };
};

/** The stream image of the drift item the store writes (binary attributes as base64, as Lambda sends them). */
export const driftImage = (drift: StageDrift, name: string): Image => {
  const item = driftEventItem(drift, eventIdOf(name), DETECTED_AT, 1_900_000_000);
  return Object.fromEntries(
    Object.entries(item).map(([k, v]) => [k, v.B ? { B: Buffer.from(v.B).toString('base64') } : v]),
  ) as Image;
};

/** An INSERT record of a DynamoDB stream with a NEW_IMAGE view. */
export const insertRecord = (sequenceNumber: string, image: Image): DynamoDBRecord => ({
  eventID: `id-${sequenceNumber}`,
  eventName: 'INSERT',
  eventVersion: '1.1',
  eventSource: 'aws:dynamodb',
  awsRegion: 'eu-west-1',
  eventSourceARN: 'arn:aws:dynamodb:eu-west-1:123456789012:table/stage-drift/stream/2026-11-21T00:00:00.000',
  dynamodb: {
    ApproximateCreationDateTime: 1_795_255_200,
    Keys: { PK: image.PK!, SK: image.SK! },
    NewImage: image,
    SequenceNumber: sequenceNumber,
    SizeBytes: 512,
    StreamViewType: 'NEW_IMAGE',
  },
});

/** A drift item whose body is not JSON: what a corrupt or hand-written item looks like. */
export const malformedImage = (): Image => ({
  PK: { S: 'STAGE#123456789012#eu-west-1#REST#a1b2c3d4e5#broken' },
  SK: { S: 'DRIFT#0123456789abcdef0123456789abcdef' },
  itemType: { S: 'DRIFT' },
  eventId: { S: '0123456789abcdef0123456789abcdef' },
  event: { S: '{"id": "0123456789abcdef0123456789abcdef", "changes": [' },
});
