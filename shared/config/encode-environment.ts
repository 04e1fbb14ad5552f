import type { EnvSettingName } from './settings';
import { settingSpec } from './settings';

/** A value the construct passes to a function: what the encoding of its setting's type takes. */
export type EnvValue = string | number | boolean | readonly string[] | object | undefined;

const isEmpty = (value: object): boolean =>
  Array.isArray(value) ? value.length === 0 : Object.keys(value).length === 0;

/**
 * A function's environment from setting values, in the order given (the template's): each under
 * its variable, encoded for its type (lists comma-separated, JSON as text). Unset values, empty
 * lists and objects, and values at a default marked `unsetAtDefault` are left out.
 */
export const encodeEnvironment = (values: { readonly [K in EnvSettingName]?: EnvValue }): Record<
  string,
  string
> => {
  const environment: Record<string, string> = {};
  for (const [name, value] of Object.entries(values) as [EnvSettingName, EnvValue][]) {
    const spec = settingSpec(name);
    if (value === undefined || !spec.env) continue;
    if (spec.env.unsetAtDefault && 'default' in spec && value === spec.default) continue;
    if (typeof value === 'object' && isEmpty(value)) continue;
    environment[spec.env.name] =
      spec.type === 'list' && Array.isArray(value)
        ? value.join(',')
        : typeof value === 'object'
          ? JSON.stringify(value)
          : String(value);
  }
  return environment;
};
