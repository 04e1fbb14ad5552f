import type { CollectResult } from '../../shared/collect';
import type { ApiRef, StageSnapshot } from '../../shared/model';
import { formatStageKey } from '../../shared/model';
import { compareWithLatest } from './compare-with-latest';
import type { LatestEntry } from '../../shared/store';
import { httpKey, httpSnapshot, restKey, restSnapshot } from '../store/fixtures';

const T0 = '2024-06-01T00:00:00.000Z';

const entryOf = (snapshot: StageSnapshot, createdDate = snapshot.volatile.createdDate): LatestEntry => ({
  key: snapshot.key,
  hash: snapshot.hash,
  capturedAt: T0,
  versionSk: `V#${T0}`,
  apiName: snapshot.apiName,
  ...(createdDate === undefined ? {} : { createdDate }),
});

const REST_A = 'a1b2c3d4e5';
const REST_B = 'b1b2c3d4e5';
const HTTP_A = 'h1t2t3p4a5';

const prodA = restSnapshot(restKey(REST_A, 'prod'));
const devA = restSnapshot(restKey(REST_A, 'dev'));
const prodB = restSnapshot(restKey(REST_B, 'prod'));
const httpA = httpSnapshot(httpKey(HTTP_A, '$default'));
const stored = [prodA, devA, prodB, httpA].map((s) => entryOf(s));

const api = (apiId: string, apiType: ApiRef['apiType'] = 'REST'): ApiRef => ({ apiId, apiType, name: apiId });

type Collected = Pick<CollectResult, 'apis' | 'readApiIds' | 'listing'>;
const everythingRead: Collected = {
  apis: [api(REST_A), api(REST_B), api(HTTP_A, 'HTTP')],
  readApiIds: [REST_A, REST_B, HTTP_A],
  listing: { REST: 'complete', V2: 'complete' },
};

const summarize = (
  current: StageSnapshot[],
  collected: Collected = everythingRead,
  unread: string[] = [],
  latest: LatestEntry[] = stored,
): string[] =>
  compareWithLatest(latest, current, collected, new Set(unread)).map(
    (change) =>
      `${formatStageKey(change.key).split('/').slice(3).join('/')} ${
        change.previous ? (change.next ? 'changed' : 'deleted') : 'new'
      }`,
  );

describe('compareWithLatest', () => {
  it('finds nothing when every stage is read with its stored hash and createdDate', () => {
    expect(summarize([prodA, devA, prodB, httpA])).toEqual([]);
  });

  it('finds a changed hash, a new stage and a stage gone from an API read in full', () => {
    const changed = restSnapshot(restKey(REST_A, 'prod'), { tracingEnabled: true });
    const added = restSnapshot(restKey(REST_B, 'qa'));
    expect(summarize([changed, prodB, added, httpA])).toEqual([
      `${REST_A}/prod changed`,
      `${REST_B}/qa new`,
      `${REST_A}/dev deleted`,
    ]);
  });

  it.each([
    ['the same text that does not parse', 'yesterday', 'yesterday', []],
    ['the same instant written two ways', '2024-01-15T09:30:00Z', '2024-01-15T09:30:00.000Z', []],
    // Stored by a release that kept milliseconds; today's normalize keeps whole seconds.
    ['the same second, stored with milliseconds', '2024-01-15T09:30:00.250Z', '2024-01-15T09:30:00.000Z', []],
    ['a second apart', '2024-01-15T09:30:00.999Z', '2024-01-15T09:30:01.000Z', [`${REST_A}/prod changed`]],
    ['a later instant', '2024-01-15T09:30:00.000Z', '2024-05-15T09:30:00.000Z', [`${REST_A}/prod changed`]],
  ])('judges a stored createdDate and a read one that are %s', (_label, storedDate, readDate, expected) => {
    const latest = [entryOf(prodA, storedDate), ...stored.slice(1)];
    const read = restSnapshot(restKey(REST_A, 'prod'), {}, readDate);
    expect(summarize([read, devA, prodB, httpA], everythingRead, [], latest)).toEqual(expected);
  });

  it('deletes nothing of an API whose stages could not be read', () => {
    const collected = { ...everythingRead, readApiIds: [REST_B, HTTP_A] };
    expect(summarize([prodB, httpA], collected)).toEqual([]);
  });

  it('deletes nothing of an API with a stage that could not be normalized', () => {
    expect(summarize([prodB, httpA], everythingRead, [REST_A])).toEqual([]);
  });

  it('deletes nothing of a family whose listing failed, even for an API missing from it', () => {
    const collected: Collected = {
      apis: [api(HTTP_A, 'HTTP')],
      readApiIds: [HTTP_A],
      listing: { REST: 'failed', V2: 'complete' },
    };
    expect(summarize([httpA], collected)).toEqual([]);
  });

  it('deletes every stage of an API gone from a complete listing', () => {
    const collected: Collected = {
      apis: [api(REST_B), api(HTTP_A, 'HTTP')],
      readApiIds: [REST_B, HTTP_A],
      listing: { REST: 'complete', V2: 'complete' },
    };
    expect(summarize([prodB, httpA], collected)).toEqual([`${REST_A}/prod deleted`, `${REST_A}/dev deleted`]);
  });

  it('keeps a listed API that this collect did not target', () => {
    const collected = { ...everythingRead, readApiIds: [HTTP_A] };
    expect(summarize([httpA], collected)).toEqual([]);
  });
});
