import { SIM_REGION, type Fleet } from './fleet';
import { wafError } from './service-error';
import { parseApiGatewayArn } from './stage-arn';
import { v1Timestamp, type WriteContext } from './stage-store';
import { wafJsonResponse, type SimResponse } from './wire-response';
import type { WafOperation } from './routes';

const NONEXISTENT = 'AWS WAF couldn’t perform the operation because your resource doesn’t exist.';

/** A regional web ACL ARN: `arn:aws:wafv2:{region}:{account}:regional/webacl/{name}/{id}`. */
const WEB_ACL_ARN = /^arn:aws:wafv2:([a-z0-9-]+):(\d{12}):regional\/webacl\/([^/]+)\/([^/]+)$/;

const invalidParameter = (field: string, value: unknown): Error =>
  wafError(
    'WAFInvalidParameterException',
    `Error reason: The ARN isn't valid. A valid ARN begins with arn: and includes other information separated by colons or slashes., field: ${field}, parameter: ${String(value)}`,
  );

/** The web ACL an ARN names, `{ ARN, Name, Id }` as GetWebACLForResource answers the summary. */
const webAclSummary = (arn: string): Record<string, string> => {
  const match = WEB_ACL_ARN.exec(arn);
  return match ? { ARN: arn, Name: match[3] ?? '', Id: match[4] ?? '' } : { ARN: arn };
};

/**
 * The REST stage a `ResourceArn` names. Only REST API stages in the simulator's region can carry
 * a web ACL (WAFInvalidParameterException otherwise); WAFNonexistentItemException for a stage
 * the fleet does not hold.
 */
const stageOf = (fleet: Fleet, body: Record<string, unknown>): Record<string, unknown> => {
  const arn = body.ResourceArn;
  const resource = typeof arn === 'string' ? parseApiGatewayArn(arn) : undefined;
  if (
    !resource ||
    resource.family !== 'v1' ||
    resource.stageName === undefined ||
    resource.region !== SIM_REGION
  ) {
    throw invalidParameter('RESOURCE_ARN', arn);
  }
  const api = fleet.restApis.find((candidate) => candidate.id === resource.apiId);
  const stage = api?.stages.find((candidate) => candidate.stageName === resource.stageName);
  if (!stage) throw wafError('WAFNonexistentItemException', NONEXISTENT);
  return stage;
};

/** AssociateWebACL `{ WebACLArn, ResourceArn }`: sets the stage's `webAclArn`; `{}`. */
const associate = (context: WriteContext, body: Record<string, unknown>): SimResponse => {
  const webAclArn = body.WebACLArn;
  const match = typeof webAclArn === 'string' ? WEB_ACL_ARN.exec(webAclArn) : null;
  if (typeof webAclArn !== 'string' || !match || match[1] !== SIM_REGION) {
    throw invalidParameter('WEB_ACL_ARN', webAclArn);
  }
  const stage = stageOf(context.fleet, body);
  stage.webAclArn = webAclArn;
  stage.lastUpdatedDate = v1Timestamp(context.now());
  return wafJsonResponse({});
};

/** DisassociateWebACL `{ ResourceArn }`: drops the stage's `webAclArn` (also when it has none); `{}`. */
const disassociate = (context: WriteContext, body: Record<string, unknown>): SimResponse => {
  const stage = stageOf(context.fleet, body);
  if (stage.webAclArn !== undefined) {
    delete stage.webAclArn;
    stage.lastUpdatedDate = v1Timestamp(context.now());
  }
  return wafJsonResponse({});
};

/** GetWebACLForResource `{ ResourceArn }`: `{ WebACL: { ARN, Name, Id } }`, or `{}` when none. */
const webAclForResource = (fleet: Fleet, body: Record<string, unknown>): SimResponse => {
  const { webAclArn } = stageOf(fleet, body);
  return wafJsonResponse(typeof webAclArn === 'string' ? { WebACL: webAclSummary(webAclArn) } : {});
};

/** Answers one WAFv2 operation on the fleet's REST stages. */
export const answerWafOperation = (
  context: WriteContext,
  operation: WafOperation,
  body: Record<string, unknown>,
): SimResponse => {
  switch (operation) {
    case 'AssociateWebACL':
      return associate(context, body);
    case 'DisassociateWebACL':
      return disassociate(context, body);
    case 'GetWebACLForResource':
      return webAclForResource(context.fleet, body);
  }
};
