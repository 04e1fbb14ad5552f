import type { ApiType } from './stage';
import { API_TYPES } from './stage';

/**
 * An API Gateway API family: the APIs one SDK client lists and reads. `REST` = API Gateway v1
 * (REST APIs, `@aws-sdk/client-api-gateway`); `V2` = API Gateway v2 (HTTP and WebSocket APIs,
 * `@aws-sdk/client-apigatewayv2`). This is the stored spelling: run records (`failures[].apiType`,
 * `baselineFamilies`, `baselinePending`) and task messages (`baselineFamilies`) hold it.
 */
export type ApiFamily = 'REST' | 'V2';

/** Every family, in the order results sort them. */
export const API_FAMILIES: readonly ApiFamily[] = ['REST', 'V2'];

const FAMILY_OF_API_TYPE: Readonly<Record<ApiType, ApiFamily>> = {
  REST: 'REST',
  HTTP: 'V2',
  WEBSOCKET: 'V2',
};

/** The family whose client lists and reads APIs of `apiType`. */
export const familyOfApiType = (apiType: ApiType): ApiFamily => FAMILY_OF_API_TYPE[apiType];

/** The API types of a family, in `API_TYPES` order. */
export const apiTypesOf = (family: ApiFamily): ApiType[] =>
  API_TYPES.filter((apiType) => FAMILY_OF_API_TYPE[apiType] === family);

export const isApiFamily = (value: unknown): value is ApiFamily =>
  (API_FAMILIES as readonly unknown[]).includes(value);

/** One entry per family, in `API_FAMILIES` order. */
export const byFamily = <T>(valueOf: (family: ApiFamily) => T): Record<ApiFamily, T> =>
  Object.fromEntries(API_FAMILIES.map((family) => [family, valueOf(family)])) as Record<ApiFamily, T>;

/** `API_FAMILIES` order. */
export const compareFamilies = (a: ApiFamily, b: ApiFamily): number =>
  API_FAMILIES.indexOf(a) - API_FAMILIES.indexOf(b);
