import { decodePageToken } from './page-token';
import { badRequest } from './service-error';

/** The last key named by the request's page token, undefined on a first page; a 400 for a foreign token. */
export const readPageToken = (
  query: URLSearchParams,
  parameter: string,
  scope: string,
): string | undefined => {
  const token = query.get(parameter);
  if (token === null || token === '') return undefined;
  const lastKey = decodePageToken(scope, token);
  if (lastKey === undefined) throw badRequest(`Invalid ${parameter} specified: ${token}`);
  return lastKey;
};
