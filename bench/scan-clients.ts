/**
 * SDK clients of the bench workers: API Gateway clients pointed at a simulator (with a probe
 * that notes when the last control-plane answer came), and DynamoDB clients at dynalite.
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { InitializeHandler } from '@smithy/types';
import type { CollectDeps } from '../shared/collect';
import { COLLECTOR_CLIENT_CONFIG } from '../shared/collect';

const CREDENTIALS = { accessKeyId: 'bench', secretAccessKey: 'bench' };
export const BENCH_REGION = 'us-east-1';

/** `performance.now()` of the last control-plane answer (or error) any probed client received. */
export interface ControlPlaneProbe {
  lastAnswerAt: number;
}

const PROBE = { step: 'initialize', name: 'benchControlPlaneProbe' } as const;

const probeMiddleware =
  (into: ControlPlaneProbe) =>
  <I extends object, O extends object>(next: InitializeHandler<I, O>): InitializeHandler<I, O> =>
  async (args) => {
    try {
      return await next(args);
    } finally {
      into.lastAnswerAt = performance.now();
    }
  };

/**
 * API Gateway clients for the collector (`COLLECTOR_CLIENT_CONFIG`: the collector owns retries),
 * or, for the naive scanner, with the SDK's default retry settings.
 */
export const apiGatewayClients = (
  endpoint: string,
  into: ControlPlaneProbe,
  retries: 'collector' | 'sdk-default',
): CollectDeps => {
  const config = {
    endpoint,
    region: BENCH_REGION,
    credentials: CREDENTIALS,
    ...(retries === 'collector' ? COLLECTOR_CLIENT_CONFIG : {}),
  };
  const restClient = new APIGatewayClient(config);
  const v2Client = new ApiGatewayV2Client(config);
  restClient.middlewareStack.add(probeMiddleware(into), PROBE);
  v2Client.middlewareStack.add(probeMiddleware(into), PROBE);
  return { restClient, v2Client };
};

export const dynamoClient = (endpoint: string): DynamoDBClient =>
  new DynamoDBClient({ endpoint, region: BENCH_REGION, credentials: CREDENTIALS });
