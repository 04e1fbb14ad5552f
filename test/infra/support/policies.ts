import type { Template } from 'aws-cdk-lib/assertions';

type Json = unknown;

/** A CloudFormation value as text: `Ref` as `<Id>`, `Fn::GetAtt` as `<Id.Attr>`, joins joined. */
export const flat = (node: Json): string => {
  if (typeof node === 'string') return node;
  if (Array.isArray(node)) return node.map(flat).join(',');
  if (typeof node === 'object' && node !== null) {
    const o = node as Record<string, Json>;
    if (o['Fn::Join']) {
      const [delimiter, parts] = o['Fn::Join'] as [string, Json[]];
      return parts.map(flat).join(delimiter);
    }
    if (o['Fn::GetAtt']) return `<${(o['Fn::GetAtt'] as string[]).join('.')}>`;
    if (o.Ref) return `<${o.Ref as string}>`;
    if (o['Fn::Select']) {
      const [index, list] = o['Fn::Select'] as [number, Json];
      return `select(${index}, ${flat(list)})`;
    }
    if (o['Fn::Split']) {
      const [delimiter, value] = o['Fn::Split'] as [string, Json];
      return `split(${delimiter}, ${flat(value)})`;
    }
  }
  return JSON.stringify(node);
};

const list = (value: Json): Json[] => (Array.isArray(value) ? value : [value]);

/** The logical id of the only resource of `type` whose id starts with `prefix`. */
export const logicalId = (template: Template, type: string, prefix: string): string => {
  const ids = Object.keys(template.findResources(type)).filter((id) => id.startsWith(prefix));
  if (ids.length !== 1)
    throw new Error(`expected one ${type} starting with ${prefix}, found ${ids.join(', ')}`);
  return ids[0]!;
};

/**
 * Every statement of every policy attached to a role, one line each and sorted:
 * `Allow a:B,c:D on <res1> <res2> [if {...}]`. Managed policies and inline role policies count too.
 */
export const roleStatements = (template: Template, roleId: string): string[] => {
  const lines: string[] = [];
  const add = (statement: Record<string, Json>) => {
    const actions = list(statement.Action).map(flat).sort().join(',');
    const resources = list(statement.Resource).map(flat).join(' ');
    const condition = statement.Condition ? ` if ${JSON.stringify(statement.Condition)}` : '';
    lines.push(`${statement.Effect as string} ${actions} on ${resources}${condition}`);
  };
  for (const policy of Object.values(template.findResources('AWS::IAM::Policy'))) {
    const props = policy.Properties as {
      Roles: Json[];
      PolicyDocument: { Statement: Record<string, Json>[] };
    };
    if (props.Roles.some((r) => flat(r) === `<${roleId}>`)) props.PolicyDocument.Statement.forEach(add);
  }
  const role = template.findResources('AWS::IAM::Role')[roleId]?.Properties as
    | { ManagedPolicyArns?: Json[]; Policies?: { PolicyDocument: { Statement: Record<string, Json>[] } }[] }
    | undefined;
  if (!role) throw new Error(`no role ${roleId}`);
  for (const arn of role.ManagedPolicyArns ?? []) lines.push(`Managed ${flat(arn)}`);
  for (const policy of role.Policies ?? []) policy.PolicyDocument.Statement.forEach(add);
  return lines.sort();
};
