import type { Item } from './attributes';
import { readStr, str } from './attributes';
import { VERSION_PREFIX, isPartSk } from './keys';
import type { TableAccess } from './table-access';
import { namesOf, projectionOf } from './table-access';

/** The metadata attributes of a version item (no body). */
export const VERSION_METADATA = ['SK', 'hash', 'prevHash', 'capturedAt', 'deleted', 'parts', 'ttl'] as const;

/**
 * The newest version head item (not a part) of a stage partition with a sort key up to `upTo`
 * that `accept`s, reading small pages newest first. Metadata only, no body.
 */
export const findNewestVersion = async (
  table: TableAccess,
  pk: string,
  options: { readonly upTo?: string; readonly accept?: (item: Item) => boolean },
  doing: string,
): Promise<Item | undefined> => {
  const { upTo, accept = () => true } = options;
  let startKey: Item | undefined;
  do {
    const response = await table.queryPage(
      {
        KeyConditionExpression:
          upTo === undefined
            ? '#PK = :pk AND begins_with(#SK, :lo)'
            : '#PK = :pk AND #SK BETWEEN :lo AND :hi',
        ProjectionExpression: projectionOf(VERSION_METADATA),
        ExpressionAttributeNames: namesOf(['PK', ...VERSION_METADATA]),
        ExpressionAttributeValues: {
          ':pk': str(pk),
          ':lo': str(VERSION_PREFIX),
          ...(upTo === undefined ? {} : { ':hi': str(upTo) }),
        },
        ScanIndexForward: false,
      },
      doing,
      startKey,
      10,
    );
    for (const item of response.Items ?? []) {
      if (!isPartSk(readStr(item, 'SK') ?? '') && accept(item)) return item;
    }
    startKey = response.LastEvaluatedKey;
  } while (startKey);
  return undefined;
};
