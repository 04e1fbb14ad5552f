import type { APIGatewayClient, CreateStageCommandInput } from '@aws-sdk/client-api-gateway';
import {
  CreateDeploymentCommand,
  CreateRestApiCommand,
  CreateStageCommand,
  GetResourcesCommand,
  PutIntegrationCommand,
  PutMethodCommand,
} from '@aws-sdk/client-api-gateway';

/**
 * Creates, through the real SDK (against moto), a REST API with one mock `GET /` method, a
 * deployment and a stage: the smallest API that has a stage. Returns the API id.
 */
export const createRestApiWithStage = async (
  client: APIGatewayClient,
  api: { readonly name: string; readonly tags?: Record<string, string> },
  stage: Omit<CreateStageCommandInput, 'restApiId' | 'deploymentId'>,
): Promise<string> => {
  const created = await client.send(
    new CreateRestApiCommand({ name: api.name, ...(api.tags ? { tags: api.tags } : {}) }),
  );
  const restApiId = created.id!;
  const resources = await client.send(new GetResourcesCommand({ restApiId }));
  const root = resources.items!.find((r) => r.path === '/')!;
  await client.send(
    new PutMethodCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', authorizationType: 'NONE' }),
  );
  await client.send(
    new PutIntegrationCommand({ restApiId, resourceId: root.id!, httpMethod: 'GET', type: 'MOCK' }),
  );
  const deployment = await client.send(new CreateDeploymentCommand({ restApiId }));
  await client.send(new CreateStageCommand({ ...stage, restApiId, deploymentId: deployment.id! }));
  return restApiId;
};
