import {
  CreateStageCommand,
  GetRestApiCommand,
  GetStageCommand,
  TagResourceCommand,
  UntagResourceCommand,
  UpdateStageCommand,
} from '@aws-sdk/client-api-gateway';
import type {
  APIGatewayClient,
  CreateStageCommandInput,
  UpdateStageCommandInput,
} from '@aws-sdk/client-api-gateway';
import {
  CreateStageCommand as CreateStageV2Command,
  DeleteAccessLogSettingsCommand,
  DeleteRouteSettingsCommand,
  GetApiCommand,
  GetStageCommand as GetStageV2Command,
  TagResourceCommand as TagResourceV2Command,
  UntagResourceCommand as UntagResourceV2Command,
  UpdateStageCommand as UpdateStageV2Command,
} from '@aws-sdk/client-apigatewayv2';
import type {
  ApiGatewayV2Client,
  CreateStageCommandInput as CreateStageV2Input,
  UpdateStageCommandInput as UpdateStageV2Input,
} from '@aws-sdk/client-apigatewayv2';
import { AssociateWebACLCommand, DisassociateWebACLCommand } from '@aws-sdk/client-wafv2';
import type { WAFV2Client } from '@aws-sdk/client-wafv2';
import type { StageKey, StageSnapshot } from '../model';
import { normalizeRestStage, normalizeV2Stage } from '../normalize';
import { ApiGoneError } from './errors';
import type { RevertStep } from './types';

/** What a revert sends its calls through (`shared/clients/revert-clients.ts` builds them). */
export interface RevertCallDeps {
  readonly restClient: Pick<APIGatewayClient, 'send'>;
  readonly v2Client: Pick<ApiGatewayV2Client, 'send'>;
  readonly wafClient: Pick<WAFV2Client, 'send'>;
}

const isNotFound = (error: unknown): boolean =>
  error instanceof Error && (error.name === 'NotFoundException' || error.name === 'NotFound');

/**
 * The stage as it is now, canonical; `undefined` when the stage is gone but its API is not.
 * @throws ApiGoneError when the API itself is gone (a revert cannot bring an API back).
 */
export const readLiveStage = async (
  deps: RevertCallDeps,
  key: StageKey,
  apiName: string,
): Promise<StageSnapshot | undefined> => {
  const context = {
    account: key.account,
    region: key.region,
    api: { apiId: key.apiId, apiType: key.apiType, name: apiName },
  };
  try {
    if (key.apiType === 'REST') {
      const stage = await deps.restClient.send(
        new GetStageCommand({ restApiId: key.apiId, stageName: key.stageName }),
      );
      return normalizeRestStage(stage, context);
    }
    const stage = await deps.v2Client.send(
      new GetStageV2Command({ ApiId: key.apiId, StageName: key.stageName }),
    );
    return normalizeV2Stage(stage, context);
  } catch (error) {
    if (!isNotFound(error)) throw error;
  }
  try {
    if (key.apiType === 'REST') await deps.restClient.send(new GetRestApiCommand({ restApiId: key.apiId }));
    else await deps.v2Client.send(new GetApiCommand({ ApiId: key.apiId }));
  } catch (error) {
    if (isNotFound(error))
      throw new ApiGoneError(
        `API ${key.apiId} (${key.apiType}) is gone from ${key.account} ${key.region}: a revert puts back a stage, not an API`,
      );
    throw error;
  }
  return undefined;
};

/** Sends one step's call. */
export const applyStep = async (deps: RevertCallDeps, key: StageKey, step: RevertStep): Promise<void> => {
  const v1 = { restApiId: key.apiId, stageName: key.stageName };
  const v2 = { ApiId: key.apiId, StageName: key.stageName };
  switch (step.kind) {
    case 'rest-create-stage':
      // The plan's input is the wire's own members; the SDK's enum types are narrower strings.
      await deps.restClient.send(
        new CreateStageCommand({
          restApiId: key.apiId,
          ...structuredClone(step.input),
        } as CreateStageCommandInput),
      );
      return;
    case 'rest-update-stage':
      await deps.restClient.send(
        new UpdateStageCommand({
          ...v1,
          patchOperations: structuredClone(step.patchOperations),
        } as UpdateStageCommandInput),
      );
      return;
    case 'v2-create-stage':
      await deps.v2Client.send(
        new CreateStageV2Command({ ...v2, ...structuredClone(step.input) } as CreateStageV2Input),
      );
      return;
    case 'v2-update-stage':
      await deps.v2Client.send(
        new UpdateStageV2Command({ ...v2, ...structuredClone(step.input) } as UpdateStageV2Input),
      );
      return;
    case 'v2-delete-route-settings':
      await deps.v2Client.send(new DeleteRouteSettingsCommand({ ...v2, RouteKey: step.routeKey }));
      return;
    case 'v2-delete-access-log-settings':
      await deps.v2Client.send(new DeleteAccessLogSettingsCommand(v2));
      return;
    case 'tag-resource':
      if (key.apiType === 'REST')
        await deps.restClient.send(
          new TagResourceCommand({ resourceArn: step.resourceArn, tags: { ...step.tags } }),
        );
      else
        await deps.v2Client.send(
          new TagResourceV2Command({ ResourceArn: step.resourceArn, Tags: { ...step.tags } }),
        );
      return;
    case 'untag-resource':
      if (key.apiType === 'REST')
        await deps.restClient.send(
          new UntagResourceCommand({ resourceArn: step.resourceArn, tagKeys: [...step.tagKeys] }),
        );
      else
        await deps.v2Client.send(
          new UntagResourceV2Command({ ResourceArn: step.resourceArn, TagKeys: [...step.tagKeys] }),
        );
      return;
    case 'associate-web-acl':
      await deps.wafClient.send(
        new AssociateWebACLCommand({ ResourceArn: step.resourceArn, WebACLArn: step.webAclArn }),
      );
      return;
    case 'disassociate-web-acl':
      await deps.wafClient.send(new DisassociateWebACLCommand({ ResourceArn: step.resourceArn }));
      return;
  }
};
