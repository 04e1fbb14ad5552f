import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import type { CallCounts, CollectDeps } from '../../shared/collect';
import { COLLECTOR_CLIENT_CONFIG } from '../../shared/collect';
import type { ControlPlaneSimulator, Fleet } from '../support/simulator';

/** Real SDK clients pointed at the simulator, built as the collector requires. */
export const clientsFor = (sim: ControlPlaneSimulator): CollectDeps & { destroy(): void } => {
  const config = {
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...COLLECTOR_CLIENT_CONFIG,
  };
  const restClient = new APIGatewayClient(config);
  const v2Client = new ApiGatewayV2Client(config);
  return {
    restClient,
    v2Client,
    destroy: () => {
      restClient.destroy();
      v2Client.destroy();
    },
  };
};

type OperationCounts = Pick<CallCounts, 'GetRestApis' | 'GetStages' | 'GetApis' | 'GetStagesV2'>;

const pages = (items: number, pageSize: number): number => Math.max(1, Math.ceil(items / pageSize));

/** The fewest calls that read every stage of `fleet`: what a full collect must make. */
export const minimumCalls = (
  fleet: Fleet,
  pageSizes: { rest?: number; v2?: number } = {},
): OperationCounts => {
  const rest = pageSizes.rest ?? 500;
  const v2 = pageSizes.v2 ?? 100;
  return {
    GetRestApis: pages(fleet.restApis.length, rest),
    GetStages: fleet.restApis.length,
    GetApis: pages(fleet.v2Apis.length, v2),
    GetStagesV2: fleet.v2Apis.reduce((sum, api) => sum + pages(api.stages.length, v2), 0),
  };
};

export const operationCounts = (calls: CallCounts): OperationCounts => ({
  GetRestApis: calls.GetRestApis,
  GetStages: calls.GetStages,
  GetApis: calls.GetApis,
  GetStagesV2: calls.GetStagesV2,
});

export const totalSends = (calls: OperationCounts): number =>
  calls.GetRestApis + calls.GetStages + calls.GetApis + calls.GetStagesV2;
