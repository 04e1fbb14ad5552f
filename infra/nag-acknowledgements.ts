import { Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/**
 * Acknowledges one cdk-nag finding on `scope` (and the constructs below it). Lives in the
 * construct, not the app, so the reasons travel with `StageDriftMonitor` into any CDK app
 * that runs cdk-nag. Uses CDK's own `Validations` API: the construct does not depend on cdk-nag.
 */
export const acknowledge = (scope: IConstruct, id: string, reason: string): void => {
  Validations.of(scope).acknowledge({ id: `AwsSolutions-${id}`, reason });
};

/**
 * The text cdk-nag's IAM5 rule shows for a resource (`Resource::<text>`): the resolved value
 * with `Fn::GetAtt` as `<LogicalId.Attr>`, `Ref` as `<Name>` and `Fn::Join` joined, as
 * cdk-nag's `flattenCfnReference` does.
 */
export const nagResourceText = (scope: IConstruct, value: string): string =>
  flatten(Stack.of(scope).resolve(value));

const flatten = (node: unknown): string => {
  if (node === undefined) return '';
  if (typeof node === 'string') return node.replace(/\$\{/g, '<').replace(/\}/g, '>');
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, unknown>;
    if (Array.isArray(o['Fn::Join'])) {
      const [delimiter, items] = o['Fn::Join'] as [string, unknown[]];
      return items.map(flatten).join(delimiter);
    }
    if (o['Fn::Sub'] !== undefined) return flatten(o['Fn::Sub']);
    if (Array.isArray(o['Fn::GetAtt'])) {
      const [resource, attribute] = o['Fn::GetAtt'] as [unknown, unknown];
      return `<${flatten(resource)}.${flatten(attribute)}>`;
    }
    if (o['Fn::ImportValue'] !== undefined) return flatten(o['Fn::ImportValue']);
    if (o.Ref !== undefined) return `<${flatten(o.Ref)}>`;
  }
  return JSON.stringify(node);
};

/** Acknowledges cdk-nag's IAM5 finding for one wildcard resource of a policy under `scope`. */
export const acknowledgeWildcardResource = (scope: IConstruct, resource: string, reason: string): void =>
  acknowledge(scope, `IAM5[Resource::${nagResourceText(scope, resource)}]`, reason);

/** Acknowledges cdk-nag's IAM5 finding for one wildcard action of a policy under `scope`. */
export const acknowledgeWildcardAction = (scope: IConstruct, action: string, reason: string): void =>
  acknowledge(scope, `IAM5[Action::${action}]`, reason);
