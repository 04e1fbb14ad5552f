import type { AttributeValue } from '@aws-sdk/client-dynamodb';

/** One table item in DynamoDB's wire format. */
export type Item = Record<string, AttributeValue>;

/** Hand-written marshalling: the store uses only S, N, B and BOOL attributes. */
export const str = (value: string): AttributeValue => ({ S: value });
export const num = (value: number): AttributeValue => ({ N: String(value) });
export const bin = (value: Uint8Array): AttributeValue => ({ B: value });
export const bool = (value: boolean): AttributeValue => ({ BOOL: value });

/** Adds `name: { S: value }` only when `value` is defined. */
export const optionalStr = (name: string, value: string | undefined): Item =>
  value === undefined ? {} : { [name]: { S: value } };

export const readStr = (item: Item, name: string): string | undefined => item[name]?.S;

export const readNum = (item: Item, name: string): number | undefined => {
  const raw = item[name]?.N;
  if (raw === undefined) return undefined;
  const value = Number(raw);
  return Number.isFinite(value) ? value : undefined;
};

export const readBool = (item: Item, name: string): boolean | undefined => item[name]?.BOOL;

/**
 * Binary attributes arrive as bytes from the SDK and as base64 text in Lambda stream events;
 * both are accepted.
 */
export const readBin = (item: Item, name: string): Uint8Array | undefined => {
  const raw: unknown = item[name]?.B;
  if (raw instanceof Uint8Array) return raw;
  if (typeof raw === 'string') return Buffer.from(raw, 'base64');
  return undefined;
};
