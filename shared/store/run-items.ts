import type { JsonObject } from '../model';
import { isJsonObject } from '../model';
import type { Item } from './attributes';
import { bin, num, readBin, readStr, str } from './attributes';
import { INLINE_MAX_BYTES, gunzipText, gzipIfFits } from './body-codec';
import { runPk } from './keys';
import type { RunRecord } from './snapshot-store';
import { StoreError, describeItemKey } from './errors';

/**
 * The keys that mark the record of a run in progress inside its summary attribute, as the first
 * release wrote them: spelled here only, so items already stored read back as they were written.
 */
const IN_PROGRESS = 'inProgress';
const REMAINING_API_IDS = 'remainingApiIds';

/** The JSON of the summary attribute: the summary, then the marks of a run in progress. */
const storedSummary = ({ summary, progress }: RunRecord<object>): Record<string, unknown> =>
  progress.state === 'complete'
    ? { ...summary }
    : { ...summary, [IN_PROGRESS]: true, [REMAINING_API_IDS]: progress.remainingApiIds };

/** The summary and progress of a run, from the JSON of its summary attribute. */
const readStoredSummary = (stored: JsonObject): Pick<RunRecord, 'summary' | 'progress'> => {
  const { [IN_PROGRESS]: inProgress, [REMAINING_API_IDS]: remainingApiIds, ...summary } = stored;
  if (inProgress !== true) return { summary: stored, progress: { state: 'complete' } };
  return {
    summary,
    progress: { state: 'in-progress', ...(remainingApiIds === undefined ? {} : { remainingApiIds }) },
  };
};

/** Only the top-level scalars of a summary too large for one item even compressed. */
const truncatedSummary = (summary: Record<string, unknown>): Record<string, unknown> => {
  const kept: Record<string, unknown> = { truncated: true };
  for (const [name, value] of Object.entries(summary)) {
    if (value === null || ['string', 'number', 'boolean'].includes(typeof value)) kept[name] = value;
  }
  return kept;
};

const summaryBody = (summary: Record<string, unknown>): Item => {
  const json = JSON.stringify(summary);
  if (Buffer.byteLength(json, 'utf8') <= INLINE_MAX_BYTES) return { summary: str(json) };
  const gz = gzipIfFits(json) ?? gzipIfFits(JSON.stringify(truncatedSummary(summary)));
  if (!gz)
    throw new StoreError('The run summary does not fit in one item even reduced to its scalar fields.');
  return { summaryGz: bin(gz) };
};

export const runItem = (run: RunRecord<object>, ttl: number): Item => ({
  PK: str(runPk(run.account, run.region)),
  SK: str(run.startedAt),
  itemType: str('RUN'),
  ...summaryBody(storedSummary(run)),
  ttl: num(ttl),
});

export const parseRunItem = (account: string, region: string, item: Item): RunRecord => {
  const itemKey = { PK: runPk(account, region), SK: readStr(item, 'SK') ?? '?' };
  try {
    const gz = readBin(item, 'summaryGz');
    const value: unknown = JSON.parse(gz ? gunzipText(gz) : (readStr(item, 'summary') ?? 'null'));
    if (!isJsonObject(value)) throw new Error('the summary is not a JSON object');
    return { account, region, startedAt: itemKey.SK, ...readStoredSummary(value) };
  } catch (error) {
    throw new StoreError(`The run item ${describeItemKey(itemKey)} cannot be read.`, {
      cause: error,
      itemKey,
    });
  }
};
