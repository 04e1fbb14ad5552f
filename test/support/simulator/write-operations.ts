import type { Route, WriteOperation } from './routes';
import { parseJsonObject } from './request-body';
import { createRestStage, deleteRestStage, updateRestStage } from './rest-stage-writes';
import { getTags, tagResource, untagResource } from './tag-operations';
import { deleteAccessLogSettings, deleteRouteSettings, updateV2Stage } from './v2-update-stage';
import { createV2Stage, deleteV2Stage } from './v2-stage-writes';
import { answerWafOperation } from './waf-operations';
import type { WriteContext } from './stage-store';
import type { SimResponse } from './wire-response';

type OperationRoute = Extract<Route, { kind: 'operation' }>;

/** Answers a write (or tag or WAF) operation; `bodyText` is the raw request body. */
export const answerWriteOperation = (
  context: WriteContext,
  route: OperationRoute,
  operation: WriteOperation,
  bodyText: string,
): SimResponse => {
  const body = (): Record<string, unknown> => parseJsonObject(bodyText);
  const apiId = route.apiId ?? '';
  const stageName = route.stageName ?? '';
  const arn = route.resourceArn ?? '';
  switch (operation) {
    case 'UpdateStage':
      return updateRestStage(context, apiId, stageName, body());
    case 'CreateStage':
      return createRestStage(context, apiId, body());
    case 'DeleteStage':
      return deleteRestStage(context, apiId, stageName);
    case 'TagResource':
      return tagResource(context, 'v1', arn, body());
    case 'UntagResource':
      return untagResource(context, 'v1', arn, route.query);
    case 'GetTags':
      return getTags(context.fleet, 'v1', arn);
    case 'UpdateStageV2':
      return updateV2Stage(context, apiId, stageName, body());
    case 'CreateStageV2':
      return createV2Stage(context, apiId, body());
    case 'DeleteStageV2':
      return deleteV2Stage(context, apiId, stageName);
    case 'DeleteRouteSettings':
      return deleteRouteSettings(context, apiId, stageName, route.routeKey ?? '');
    case 'DeleteAccessLogSettings':
      return deleteAccessLogSettings(context, apiId, stageName);
    case 'TagResourceV2':
      return tagResource(context, 'v2', arn, body());
    case 'UntagResourceV2':
      return untagResource(context, 'v2', arn, route.query);
    case 'GetTagsV2':
      return getTags(context.fleet, 'v2', arn);
    case 'AssociateWebACL':
    case 'DisassociateWebACL':
    case 'GetWebACLForResource':
      return answerWafOperation(context, operation, body());
  }
};
