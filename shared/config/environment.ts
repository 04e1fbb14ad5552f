import { describeJsonSyntaxError } from '../model';
import { TABLE_NAME } from './aws-names';
import { ConfigError } from './errors';
import type { EnvSettingName } from './settings';
import { envName, settingSpec } from './settings';

/**
 * Reading a function's environment by the settings table: each variable decoded for its
 * setting's type, the inverse of `encodeEnvironment`. Its meaning (ranges, values, patterns) is
 * checked by the validators the construct uses too, so a value passes in both or in neither.
 */

export type Env = Readonly<Record<string, string | undefined>>;

/** The variable's value, trimmed; `undefined` when unset or blank. */
export const readEnv = (env: Env, variable: string): string | undefined => {
  const value = env[variable]?.trim();
  return value === undefined || value === '' ? undefined : value;
};

const splitList = (value: string): string[] =>
  value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');

/**
 * The value of a setting from its variable, decoded for its type: a number, a comma list, JSON,
 * an enum value in its own case (`high` is `HIGH`), a boolean (`true`, `false`), or the text. `undefined` when unset; a value
 * that does not decode throws a ConfigError naming the variable.
 */
export const decodeEnv = (name: EnvSettingName, env: Env): unknown => {
  const spec = settingSpec(name);
  const variable = envName(name);
  const raw = readEnv(env, variable);
  if (raw === undefined) return undefined;
  switch (spec.type) {
    case 'number':
    case 'integer':
    case 'duration': {
      const value = Number(raw);
      if (!Number.isFinite(value)) {
        throw new ConfigError(
          variable,
          `expected a number, got "${raw}": set a plain number such as 10, or unset it`,
        );
      }
      return value;
    }
    case 'list':
      return splitList(raw);
    case 'json':
      try {
        return JSON.parse(raw) as unknown;
      } catch {
        // Not V8's message, nor it as the cause: it quotes the text around the error, maybe a secret.
        throw new ConfigError(variable, `${describeJsonSyntaxError(raw)}, or unset it`);
      }
    case 'enum':
      return spec.values.find((value) => value.toLowerCase() === raw.toLowerCase()) ?? raw;
    case 'boolean':
      if (raw.toLowerCase() === 'true' || raw.toLowerCase() === 'false') return raw.toLowerCase() === 'true';
      throw new ConfigError(variable, `expected true or false, got "${raw}", or unset it`);
    default:
      return raw;
  }
};

/** The table's name (`STAGE_DRIFT_TABLE`), which every function requires. */
export const loadTableName = (env: Env): string => {
  const variable = envName('table');
  const tableName = readEnv(env, variable);
  if (!tableName) {
    throw new ConfigError(variable, 'required: set it to the name of the stage-drift table');
  }
  if (!TABLE_NAME.test(tableName)) {
    throw new ConfigError(
      variable,
      `"${tableName}" is not a DynamoDB table name: use 3 to 255 letters, digits, "_", "-" or "."`,
    );
  }
  return tableName;
};
