import fc from 'fast-check';
import type { Change, StageSnapshot } from '../../shared/model';
import { contentHash, formatStageKey, maxSeverity, severityRank } from '../../shared/model';
import { comparePaths, diffConfigs, diffStages, diffStageSets } from '../../shared/diff';
import {
  reorderKeys,
  snapshotArb,
  snapshotPairArb,
  snapshotSetArb,
  VARIABLE_VALUE_MARKER,
} from './canonical-config-arbitraries';
import { json, OPTIONS } from './fixtures';

const reordered = (snapshot: StageSnapshot, seed: number): StageSnapshot => {
  const config = reorderKeys(snapshot.config, seed);
  return { ...snapshot, config, hash: contentHash(config) } as StageSnapshot;
};

const isSorted = (changes: readonly Change[]): boolean =>
  changes.every((change, i) => {
    const next = changes[i + 1];
    if (next === undefined) return true;
    const bySeverity = severityRank(change.severity) - severityRank(next.severity);
    return bySeverity > 0 || (bySeverity === 0 && comparePaths(change.path, next.path) < 0);
  });

describe('drift engine properties', () => {
  it('finds no drift between a snapshot and itself, whatever its key order', () => {
    fc.assert(
      fc.property(snapshotArb, fc.integer(), (snapshot, seed) => {
        expect(diffStages(snapshot, snapshot, OPTIONS)).toBeUndefined();
        expect(diffStages(snapshot, reordered(snapshot, seed), OPTIONS)).toBeUndefined();
        expect(
          diffConfigs(json(snapshot.config), json(snapshot.config), snapshot.key.apiType, OPTIONS),
        ).toEqual([]);
      }),
    );
  });

  it('finds changes exactly when the hashes differ', () => {
    fc.assert(
      fc.property(snapshotPairArb, ([before, after]) => {
        const changes = diffConfigs(json(before.config), json(after.config), before.key.apiType, OPTIONS);
        const drift = diffStages(before, after, OPTIONS);

        expect(changes.length === 0).toBe(before.hash === after.hash);
        expect(drift === undefined).toBe(before.hash === after.hash);
        if (drift !== undefined) expect(drift.changes).toEqual(changes);
      }),
      { numRuns: 300 },
    );
  });

  it('gives the same bytes for the same input, whatever the key insertion order', () => {
    fc.assert(
      fc.property(snapshotPairArb, fc.integer(), fc.integer(), ([before, after], seedA, seedB) => {
        const expected = JSON.stringify(diffStages(before, after, OPTIONS));

        expect(JSON.stringify(diffStages(before, after, OPTIONS))).toBe(expected);
        expect(JSON.stringify(diffStages(reordered(before, seedA), reordered(after, seedB), OPTIONS))).toBe(
          expected,
        );
      }),
      { numRuns: 300 },
    );
  });

  it('sorts changes most severe first, then by path, and rates the stage by its worst change', () => {
    fc.assert(
      fc.property(snapshotPairArb, ([before, after]) => {
        const drift = diffStages(before, after, OPTIONS);
        if (drift === undefined) return;

        expect(isSorted(drift.changes)).toBe(true);
        expect(drift.severity).toBe(maxSeverity(drift.changes.map((c) => c.severity)));
      }),
    );
  });

  it('reports each difference once: no change sits inside another', () => {
    fc.assert(
      fc.property(snapshotPairArb, ([before, after]) => {
        const paths = (diffStages(before, after, OPTIONS)?.changes ?? []).map((c) => c.path);

        for (const a of paths) {
          for (const b of paths) {
            if (a !== b) expect(a.length <= b.length && a.every((s, i) => s === b[i])).toBe(false);
          }
        }
      }),
    );
  });

  it('finds the same changes in reverse, with added and removed swapped', () => {
    const flip = { added: 'removed', removed: 'added', changed: 'changed' } as const;
    fc.assert(
      fc.property(snapshotPairArb, ([before, after]) => {
        const forward = diffStages(before, after, OPTIONS)?.changes ?? [];
        const backward = diffStages(after, before, OPTIONS)?.changes ?? [];

        const key = (c: Change) => c.path.join('\u0000');
        expect(backward.map((c) => [key(c), c.kind]).sort()).toEqual(
          forward.map((c) => [key(c), flip[c.kind]]).sort(),
        );
      }),
    );
  });

  it('never shows a stage variable value unless it is allow-listed', () => {
    fc.assert(
      fc.property(snapshotPairArb, ([before, after]) => {
        const texts = [
          JSON.stringify(diffStages(before, after, OPTIONS) ?? null),
          JSON.stringify(diffStages(after, before, OPTIONS) ?? null),
          JSON.stringify(diffConfigs(undefined, json(after.config), after.key.apiType, OPTIONS)),
        ];

        for (const text of texts) expect(text).not.toContain(VARIABLE_VALUE_MARKER);
      }),
      { numRuns: 300 },
    );
  });

  it('diffs two sets stage by stage, most severe first, then by key', () => {
    fc.assert(
      fc.property(snapshotSetArb, snapshotSetArb, (before, after) => {
        const drifts = diffStageSets(before, after, OPTIONS);

        const find = (set: readonly StageSnapshot[], key: string) =>
          set.find((s) => formatStageKey(s.key) === key);
        const keys = [...new Set([...before, ...after].map((s) => formatStageKey(s.key)))];
        const expected = keys
          .map((key) => diffStages(find(before, key), find(after, key), OPTIONS))
          .filter((d) => d !== undefined);
        expect(drifts).toHaveLength(expected.length);
        expect(new Set(drifts)).toEqual(new Set(expected));
        drifts.forEach((drift, i) => {
          const next = drifts[i + 1];
          if (next === undefined) return;
          const bySeverity = severityRank(drift.severity) - severityRank(next.severity);
          expect(
            bySeverity > 0 || (bySeverity === 0 && formatStageKey(drift.key) < formatStageKey(next.key)),
          ).toBe(true);
        });
      }),
    );
  });
});
