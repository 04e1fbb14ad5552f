/** Endpoint types of a REST API (`endpointConfiguration.types` on the wire). */
export type RestApiEndpointType = 'REGIONAL' | 'EDGE' | 'PRIVATE';

/**
 * One REST API (API Gateway v1) held by the simulator.
 *
 * `stages` are v1 wire Stage objects, exactly as `GET /restapis/{id}/stages` returns them
 * (camelCase, dates as epoch seconds). A `Date` placed in a stage is also accepted and is
 * written out as epoch seconds.
 */
export interface SimRestApi {
  id: string;
  name: string;
  createdDate: Date;
  tags?: Record<string, string>;
  stages: Record<string, unknown>[];
  /** @default no description on the wire */
  description?: string;
  /** @default ['REGIONAL'] */
  endpointTypes?: RestApiEndpointType[];
}

/**
 * One HTTP or WebSocket API (API Gateway v2) held by the simulator.
 *
 * `stages` are v2 wire Stage objects, exactly as `GET /v2/apis/{id}/stages` returns them
 * (camelCase, dates as ISO-8601 strings). A `Date` placed in a stage is also accepted and is
 * written out as ISO-8601.
 */
export interface SimV2Api {
  apiId: string;
  name: string;
  protocolType: 'HTTP' | 'WEBSOCKET';
  createdDate: Date;
  tags?: Record<string, string>;
  stages: Record<string, unknown>[];
  /** @default no description on the wire */
  description?: string;
}

/** Everything one account and region holds. Live: mutate it and the next request sees it. */
export interface Fleet {
  restApis: SimRestApi[];
  v2Apis: SimV2Api[];
}

/** The account id used in generated ARNs and error messages. */
export const SIM_ACCOUNT_ID = '123456789012';

/** The region used in generated ARNs and endpoints. */
export const SIM_REGION = 'us-east-1';
