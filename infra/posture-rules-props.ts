import type { PostureRule as SharedPostureRule } from '../shared/posture';
import { ConfigError } from '../shared/config';
import type { PostureRule } from './monitor-structs';

type Plain = Record<string, unknown>;

const isPlain = (value: unknown): value is Plain =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * The `postureRules` prop as the shared rules (shared/posture). jsii has no union types and
 * reserves the name `equals`, so the struct spells the value by its type (`equalsString`,
 * `equalsNumber`, `equalsBoolean`); here they become the one `equals` of the JSON form. Anything
 * else passes through unchanged, for `compilePostureRules` (through `resolveConfig`) to check and
 * name: rules from `-c postureRules` and cdk.json are the JSON form already.
 */
export const postureRulesFromProps = (
  rules: readonly PostureRule[] | undefined,
): readonly SharedPostureRule[] | undefined => {
  if (!Array.isArray(rules)) return rules as undefined;
  return rules.map((rule: unknown, i) => {
    if (!isPlain(rule) || !Array.isArray(rule.expect)) return rule;
    const expect = rule.expect.map((check: unknown, j) => {
      if (!isPlain(check)) return check;
      const { equalsString, equalsNumber, equalsBoolean, ...rest } = check;
      const given = [rest.equals, equalsString, equalsNumber, equalsBoolean].filter((v) => v !== undefined);
      if (given.length > 1) {
        throw new ConfigError(
          `postureRules[${i}].expect[${j}]`,
          'set one of equalsString, equalsNumber and equalsBoolean (the value, by its type), not several',
        );
      }
      return given.length === 0 ? rest : { ...rest, equals: given[0] };
    });
    return { ...rule, expect };
  }) as unknown as readonly SharedPostureRule[];
};
