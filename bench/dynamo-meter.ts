/**
 * DynamoDB cost of a scan, measured on the client: every command asks for
 * `ReturnConsumedCapacity: TOTAL`, and dynalite answers it (from item sizes, as DynamoDB bills:
 * writes 1 unit per KB, reads 1 per 4 KB, half for eventually consistent reads). What dynalite
 * does not report is computed from item sizes and kept apart, labelled:
 * - writes to the GSI (DynamoDB bills each index write; dynalite reports the table only);
 * - conditional writes whose condition failed (DynamoDB bills them; dynalite answers an error).
 */
import type { AttributeValue, ConsumedCapacity, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { itemSizeBytes } from '../test/support/dynalite';

const READS = new Set(['Query', 'GetItem', 'BatchGetItem', 'Scan']);
const WRITES = new Set(['PutItem', 'UpdateItem', 'DeleteItem', 'BatchWriteItem']);
/** The sparse index's key: only drift events carry it. */
const GSI_KEY = 'GSI1PK';

export interface DynamoCost {
  /** Requests sent, by command name. */
  readonly requests: Record<string, number>;
  /** Read request units dynalite reported. */
  readonly readUnits: number;
  /** Write request units dynalite reported (the table only). */
  readonly writeUnits: number;
  /** Items a successful write request put, updated or deleted. */
  readonly itemsWritten: number;
  /** Write units of GSI1 entries, computed from item sizes (1 per KB per item carrying GSI1PK). */
  readonly gsiWriteUnitsComputed: number;
  /** Conditional writes refused (the store's replay and race checks). */
  readonly failedConditionalWrites: number;
  /** Their write units, computed from item sizes (DynamoDB bills a refused write too). */
  readonly failedConditionalWriteUnitsComputed: number;
  /** Successful requests that came back without ConsumedCapacity. */
  readonly unreported: number;
}

const kilobytes = (item: Record<string, AttributeValue> | undefined): number =>
  item === undefined ? 1 : Math.max(1, Math.ceil(itemSizeBytes(item) / 1024));

const isConditionalFailure = (error: unknown): boolean =>
  error instanceof Error && error.name === 'ConditionalCheckFailedException';

/** Adds the meter to `client` (before anything is sent) and returns a reader of its totals. */
export const meterDynamo = (client: DynamoDBClient): { readonly cost: () => DynamoCost } => {
  const requests: Record<string, number> = {};
  const totals = {
    readUnits: 0,
    writeUnits: 0,
    itemsWritten: 0,
    gsiWriteUnitsComputed: 0,
    failedConditionalWrites: 0,
    failedConditionalWriteUnitsComputed: 0,
    unreported: 0,
  };
  client.middlewareStack.add(
    (next, context) => async (args) => {
      const name = (context.commandName ?? 'Unknown').replace(/Command$/, '');
      requests[name] = (requests[name] ?? 0) + 1;
      const input = args.input as {
        ReturnConsumedCapacity?: string;
        Item?: Record<string, AttributeValue>;
        RequestItems?: Record<string, { PutRequest?: unknown; DeleteRequest?: unknown }[]>;
      };
      input.ReturnConsumedCapacity = 'TOTAL';
      let result: Awaited<ReturnType<typeof next>>;
      try {
        result = await next(args);
      } catch (error) {
        if (isConditionalFailure(error)) {
          totals.failedConditionalWrites += 1;
          totals.failedConditionalWriteUnitsComputed += kilobytes(input.Item);
        }
        throw error;
      }
      const consumed = (result.output as { ConsumedCapacity?: ConsumedCapacity | ConsumedCapacity[] })
        .ConsumedCapacity;
      const list = consumed === undefined ? [] : Array.isArray(consumed) ? consumed : [consumed];
      if (list.length === 0) totals.unreported += 1;
      for (const entry of list) {
        if (READS.has(name)) totals.readUnits += entry.CapacityUnits ?? 0;
        else totals.writeUnits += entry.CapacityUnits ?? 0;
      }
      if (WRITES.has(name)) {
        totals.itemsWritten +=
          name === 'BatchWriteItem'
            ? Object.values(input.RequestItems ?? {}).reduce((sum, batch) => sum + batch.length, 0)
            : 1;
        if (input.Item?.[GSI_KEY] !== undefined) totals.gsiWriteUnitsComputed += kilobytes(input.Item);
      }
      return result;
    },
    { step: 'initialize', name: 'benchDynamoMeter' },
  );
  return { cost: () => ({ requests: { ...requests }, ...totals }) };
};

/** All write units: reported for the table, plus the computed GSI and refused-write units. */
export const totalWriteUnits = (cost: DynamoCost): number =>
  cost.writeUnits + cost.gsiWriteUnitsComputed + cost.failedConditionalWriteUnitsComputed;
