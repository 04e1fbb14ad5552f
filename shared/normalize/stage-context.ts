import type { ApiRef, ApiType, StageKey, VolatileFields } from '../model';
import { StageNormalizeError } from './errors';
import { describeValue, findField, isInputObject, sortedRecord } from './field-readers';
import type { InputObject, NormalizeWarning, WarningSink } from './field-readers';

/** Where a stage lives; the normalizer only copies it into the snapshot key. */
export interface NormalizeContext {
  readonly account: string;
  readonly region: string;
  readonly api: ApiRef;
  /**
   * The stage name to use when the input carries none, e.g. when re-normalizing a snapshot's
   * `config`. When both are given they must agree.
   * @default none: the input must name its stage
   */
  readonly stageName?: string;
  /**
   * Called once per member of the input the model does not know (it is not compared), sorted
   * by path, after the stage is normalized. The SDK's `$metadata` and HAL `_links` are not
   * members. @default unknown members are not reported
   */
  readonly onWarning?: (warning: NormalizeWarning) => void;
}

/** One stage's warnings: `warn` collects them, `flush` hands them to the context sorted by path. */
export const collectWarnings = (
  context: NormalizeContext,
): { readonly warn: WarningSink | undefined; readonly flush: () => void } => {
  const { onWarning } = context;
  if (onWarning === undefined) return { warn: undefined, flush: () => undefined };
  const warnings: NormalizeWarning[] = [];
  return {
    warn: (warning) => warnings.push(warning),
    flush: () => {
      warnings.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
      for (const warning of warnings) onWarning(warning);
    },
  };
};

/** The input as an object, or a `StageNormalizeError` naming what it is instead. */
export const expectStageObject = (input: unknown): InputObject => {
  if (!isInputObject(input)) {
    throw new StageNormalizeError(`stage: expected an object, got ${describeValue(input)}`);
  }
  return input;
};

export const expectApiType = <T extends ApiType>(
  context: NormalizeContext,
  allowed: readonly T[],
  normalizer: string,
): T => {
  const apiType = context.api.apiType;
  if (!(allowed as readonly ApiType[]).includes(apiType)) {
    throw new StageNormalizeError(
      `${normalizer} normalizes ${allowed.join(' or ')} stages, but context.api.apiType is ${apiType}`,
    );
  }
  return apiType as T;
};

/**
 * The stage name from the input (under any of `names`) or, failing that, from the context.
 * `hint` is appended when there is none, e.g. to point a v2 stage at the v2 normalizer.
 */
export const readStageName = (
  input: InputObject,
  names: readonly string[],
  context: NormalizeContext,
  hint = '',
): string => {
  const found = findField(input, '', names);
  const shownNames = names.join(' or ');
  if (found !== undefined && (typeof found.value !== 'string' || found.value === '')) {
    throw new StageNormalizeError(
      `${found.path}: expected a non-empty string, got ${describeValue(found.value)}`,
      { field: found.path },
    );
  }
  const fromInput = found === undefined ? undefined : (found.value as string);
  if (found !== undefined && context.stageName !== undefined && fromInput !== context.stageName) {
    throw new StageNormalizeError(
      `${found.path} is ${JSON.stringify(fromInput)} but context.stageName is ${JSON.stringify(context.stageName)}`,
      { field: found.path },
    );
  }
  const stageName = fromInput ?? context.stageName;
  if (stageName === undefined || stageName === '') {
    throw new StageNormalizeError(`stage has no ${shownNames}${hint}`, { field: names[0] });
  }
  return stageName;
};

export const buildKey = <T extends ApiType>(
  context: NormalizeContext,
  apiType: T,
  stageName: string,
): StageKey & { readonly apiType: T } => ({
  account: context.account,
  region: context.region,
  apiType,
  apiId: context.api.apiId,
  stageName,
});

/** The API's tags, key-sorted, or `undefined` when it has none. */
export const apiTagsOf = (api: ApiRef): Readonly<Record<string, string>> | undefined => {
  const entries = Object.entries(api.tags ?? {});
  return entries.length === 0 ? undefined : sortedRecord(entries);
};

/** A copy of `value` without its `undefined` members, key order kept. */
export const withoutUndefined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, member]) => member !== undefined)) as T;

/** As `withoutUndefined`, but `undefined` when nothing is left. */
export const nonEmptyOrUndefined = <T extends object>(value: T): T | undefined => {
  const compacted = withoutUndefined(value);
  return Object.keys(compacted).length === 0 ? undefined : compacted;
};

/** Volatile fields in sorted key order, absent ones left out. */
export const buildVolatile = (fields: VolatileFields): VolatileFields =>
  withoutUndefined({
    cacheClusterStatus: fields.cacheClusterStatus,
    createdDate: fields.createdDate,
    lastDeploymentStatusMessage: fields.lastDeploymentStatusMessage,
    lastUpdatedDate: fields.lastUpdatedDate,
  });
