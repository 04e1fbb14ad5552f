import type { StageKey } from '../model';
import type { PatchOperation, RevertStep, V2StageInput } from './types';

/** How a stage variable value is printed: in clear, or as its fingerprint. */
export type ShowValue = (name: string, value: string) => string;

/** One POSIX-shell word: bare when safe, else single-quoted. */
export const shellWord = (text: string): string =>
  /^[A-Za-z0-9_./:=@%+,-]+$/.test(text) ? text : `'${text.replace(/'/g, `'\\''`)}'`;

const json = (value: unknown): string => shellWord(JSON.stringify(value));

const variablePath = /^\/(?:variables|canarySettings\/stageVariableOverrides)\/([^/]+)$/;

const shownOperation = (op: PatchOperation, show: ShowValue): PatchOperation => {
  const name = variablePath.exec(op.path)?.[1];
  return name === undefined || op.value === undefined ? op : { ...op, value: show(name, op.value) };
};

const shownMap = (
  map: Readonly<Record<string, string>> | undefined,
  show: ShowValue,
): Record<string, string> | undefined =>
  map === undefined ? undefined : Object.fromEntries(Object.entries(map).map(([k, v]) => [k, show(k, v)]));

/** A step with every stage variable value passed through `show` (for printing only). */
export const shownStep = (step: RevertStep, show: ShowValue): RevertStep => {
  switch (step.kind) {
    case 'rest-update-stage':
      return { ...step, patchOperations: step.patchOperations.map((op) => shownOperation(op, show)) };
    case 'rest-create-stage': {
      const { variables, canarySettings } = step.input;
      return {
        ...step,
        input: {
          ...step.input,
          ...(variables === undefined ? {} : { variables: shownMap(variables, show) }),
          ...(canarySettings?.stageVariableOverrides === undefined
            ? {}
            : {
                canarySettings: {
                  ...canarySettings,
                  stageVariableOverrides: shownMap(canarySettings.stageVariableOverrides, show),
                },
              }),
        },
      };
    }
    case 'v2-create-stage':
    case 'v2-update-stage':
      return step.input.StageVariables === undefined
        ? step
        : { ...step, input: { ...step.input, StageVariables: shownMap(step.input.StageVariables, show) } };
    default:
      return step;
  }
};

const v2StageOptions = (input: V2StageInput): string[] => [
  ...(input.AccessLogSettings === undefined ? [] : ['--access-log-settings', json(input.AccessLogSettings)]),
  ...(input.AutoDeploy === undefined ? [] : [input.AutoDeploy ? '--auto-deploy' : '--no-auto-deploy']),
  ...(input.ClientCertificateId === undefined
    ? []
    : ['--client-certificate-id', shellWord(input.ClientCertificateId)]),
  ...(input.DefaultRouteSettings === undefined
    ? []
    : ['--default-route-settings', json(input.DefaultRouteSettings)]),
  ...(input.DeploymentId === undefined ? [] : ['--deployment-id', shellWord(input.DeploymentId)]),
  ...(input.Description === undefined ? [] : ['--description', shellWord(input.Description)]),
  ...(input.RouteSettings === undefined ? [] : ['--route-settings', json(input.RouteSettings)]),
  ...(input.StageVariables === undefined ? [] : ['--stage-variables', json(input.StageVariables)]),
];

/**
 * The `aws …` command line that makes the same call as `step` (already passed through
 * {@link shownStep} when values must not print).
 */
export const awsCommandOf = (key: StageKey, step: RevertStep): string => {
  const region = ['--region', key.region];
  const rest = ['--rest-api-id', shellWord(key.apiId), '--stage-name', shellWord(key.stageName)];
  const v2 = ['--api-id', shellWord(key.apiId), '--stage-name', shellWord(key.stageName)];
  const service = key.apiType === 'REST' ? 'apigateway' : 'apigatewayv2';
  const words = ((): string[] => {
    switch (step.kind) {
      case 'rest-update-stage':
        return [
          'aws apigateway update-stage',
          ...region,
          ...rest,
          '--patch-operations',
          json(step.patchOperations),
        ];
      case 'rest-create-stage': {
        const {
          deploymentId,
          description,
          cacheClusterEnabled,
          cacheClusterSize,
          variables,
          documentationVersion,
          canarySettings,
          tracingEnabled,
        } = step.input;
        return [
          'aws apigateway create-stage',
          ...region,
          '--rest-api-id',
          shellWord(key.apiId),
          '--stage-name',
          shellWord(key.stageName),
          '--deployment-id',
          shellWord(deploymentId),
          ...(description === undefined ? [] : ['--description', shellWord(description)]),
          ...(cacheClusterEnabled ? ['--cache-cluster-enabled'] : []),
          ...(cacheClusterSize === undefined ? [] : ['--cache-cluster-size', shellWord(cacheClusterSize)]),
          ...(variables === undefined ? [] : ['--variables', json(variables)]),
          ...(documentationVersion === undefined
            ? []
            : ['--documentation-version', shellWord(documentationVersion)]),
          ...(canarySettings === undefined ? [] : ['--canary-settings', json(canarySettings)]),
          ...(tracingEnabled ? ['--tracing-enabled'] : []),
        ];
      }
      case 'v2-update-stage':
        return ['aws apigatewayv2 update-stage', ...region, ...v2, ...v2StageOptions(step.input)];
      case 'v2-create-stage':
        return ['aws apigatewayv2 create-stage', ...region, ...v2, ...v2StageOptions(step.input)];
      case 'v2-delete-route-settings':
        return [
          'aws apigatewayv2 delete-route-settings',
          ...region,
          ...v2,
          '--route-key',
          shellWord(step.routeKey),
        ];
      case 'v2-delete-access-log-settings':
        return ['aws apigatewayv2 delete-access-log-settings', ...region, ...v2];
      case 'tag-resource':
        return [
          `aws ${service} tag-resource`,
          ...region,
          '--resource-arn',
          shellWord(step.resourceArn),
          '--tags',
          json(step.tags),
        ];
      case 'untag-resource':
        return key.apiType === 'REST'
          ? [
              'aws apigateway untag-resource',
              ...region,
              '--resource-arn',
              shellWord(step.resourceArn),
              '--tag-keys',
              json(step.tagKeys),
            ]
          : [
              'aws apigatewayv2 untag-resource',
              ...region,
              '--resource-arn',
              shellWord(step.resourceArn),
              '--tag-keys',
              ...step.tagKeys.map(shellWord),
            ];
      case 'associate-web-acl':
        return [
          'aws wafv2 associate-web-acl',
          ...region,
          '--web-acl-arn',
          shellWord(step.webAclArn),
          '--resource-arn',
          shellWord(step.resourceArn),
        ];
      case 'disassociate-web-acl':
        return ['aws wafv2 disassociate-web-acl', ...region, '--resource-arn', shellWord(step.resourceArn)];
    }
  })();
  return words.join(' ');
};

/** The API operation a step calls, as CloudTrail and IAM name it. */
export const operationOf = (step: RevertStep): string => {
  switch (step.kind) {
    case 'rest-update-stage':
    case 'v2-update-stage':
      return 'UpdateStage';
    case 'rest-create-stage':
    case 'v2-create-stage':
      return 'CreateStage';
    case 'v2-delete-route-settings':
      return 'DeleteRouteSettings';
    case 'v2-delete-access-log-settings':
      return 'DeleteAccessLogSettings';
    case 'tag-resource':
      return 'TagResource';
    case 'untag-resource':
      return 'UntagResource';
    case 'associate-web-acl':
      return 'AssociateWebACL';
    case 'disassociate-web-acl':
      return 'DisassociateWebACL';
  }
};
