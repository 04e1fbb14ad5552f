import { Stack, Validations } from 'aws-cdk-lib';
import type { IRole } from 'aws-cdk-lib/aws-iam';
import { Policy, PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { Construct, IConstruct } from 'constructs';

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

/**
 * Acknowledges cdk-nag's IAM5 finding for one wildcard resource of a policy under `scope`. The
 * finding names the resource only, not the actions: never acknowledge `*` itself this way (it would
 * cover any action on `*` under `scope`); use {@link policyOnEveryResource}.
 */
export const acknowledgeWildcardResource = (scope: IConstruct, resource: string, reason: string): void =>
  acknowledge(scope, `IAM5[Resource::${nagResourceText(scope, resource)}]`, reason);

/** Acknowledges cdk-nag's IAM5 finding for one wildcard action of a policy under `scope`. */
export const acknowledgeWildcardAction = (scope: IConstruct, action: string, reason: string): void =>
  acknowledge(scope, `IAM5[Action::${action}]`, reason);

/**
 * Acknowledges the `kms:GenerateDataKey*` of a function's key grants under `scope`: CDK's KMS grants
 * of SNS publishing and the hand-written table key grant (grants.ts) name it, on the monitor's own
 * key only. `what` says what the grant is for (`the snapshot table`).
 */
export const acknowledgeKeyGrant = (scope: IConstruct, what: string): void =>
  acknowledgeWildcardAction(
    scope,
    'kms:GenerateDataKey*',
    `The KMS grant for ${what}, on the monitor's key only: DynamoDB and SNS ask KMS for data keys with ` +
      'GenerateDataKey or GenerateDataKeyWithoutPlaintext, which the suffix wildcard covers; it also spans ' +
      'GenerateDataKeyPair and GenerateDataKeyPairWithoutPlaintext, which no code here calls. No ' +
      'kms:ReEncrypt*: nothing re-encrypts, and key rotation keeps the old key material.',
  );

/**
 * A statement whose actions have no resource-level permissions (so the resource is `*`), in a
 * policy of its own attached to `role`, with cdk-nag's `IAM5[Resource::*]` finding acknowledged on
 * that policy alone: any other statement on `*` (in the role's default policy, say) is still
 * reported and fails the synth.
 */
export const policyOnEveryResource = (
  scope: Construct,
  id: string,
  role: IRole,
  statement: { readonly sid: string; readonly actions: readonly string[] },
  reason: string,
): Policy => {
  const policy = new Policy(scope, id, {
    roles: [role],
    statements: [
      new PolicyStatement({ sid: statement.sid, actions: [...statement.actions], resources: ['*'] }),
    ],
  });
  acknowledgeWildcardResource(policy, '*', reason);
  return policy;
};
