import type { IncomingMessage } from 'node:http';
import type { SimulatedServiceError } from './service-error';
import { badRequest } from './service-error';

/** Request bodies are small JSON documents; anything bigger than this is refused. */
export const MAX_BODY_BYTES = 1024 * 1024;

/** The whole request body as UTF-8 text (the empty string when there is none). */
export const readBody = (req: IncomingMessage): Promise<string> =>
  new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });

/** A JSON object body; `{}` for an empty one; 400 BadRequestException for anything else. */
export const parseJsonObject = (text: string): Record<string, unknown> => {
  if (text.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw badRequest('Could not parse request body into json: the body is not valid JSON');
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw badRequest('Could not parse request body into json: expected a JSON object');
  }
  return parsed as Record<string, unknown>;
};

/** True when `value` is a plain JSON object (not an array, not null). */
export const isJsonObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date);

/** Reads an optional string member; a 400 naming the member when it is there but not a string. */
export const optionalString = (
  body: Record<string, unknown>,
  name: string,
  error: (message: string) => SimulatedServiceError = badRequest,
): string | undefined => {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw error(`Invalid value for ${name}: expected a string`);
  return value;
};

/** Reads an optional boolean member; a 400 naming the member when it is not a boolean. */
export const optionalBoolean = (body: Record<string, unknown>, name: string): boolean | undefined => {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'boolean') throw badRequest(`Invalid value for ${name}: expected a boolean`);
  return value;
};

/** Reads an optional map of strings (variables, tags); a 400 naming the member otherwise. */
export const optionalStringMap = (
  body: Record<string, unknown>,
  name: string,
): Record<string, string> | undefined => {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value) || Object.values(value).some((entry) => typeof entry !== 'string')) {
    throw badRequest(`Invalid value for ${name}: expected a map of strings`);
  }
  return value as Record<string, string>;
};

/** Reads an optional JSON object member; a 400 naming the member otherwise. */
export const optionalObject = (
  body: Record<string, unknown>,
  name: string,
): Record<string, unknown> | undefined => {
  const value = body[name];
  if (value === undefined || value === null) return undefined;
  if (!isJsonObject(value)) throw badRequest(`Invalid value for ${name}: expected an object`);
  return value;
};
