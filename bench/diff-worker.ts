/**
 * Worker: diff throughput. Collects the same fleet twice from two simulators the parent runs
 * (before, and after most stages were changed), normalizes both as the scan does, and times
 * only the diff of the stages whose hash changed: `diffStages` per stage (what the scan calls
 * for each changed stage) and `diffStageSets` over the whole set (what `stage-drift diff` calls).
 */
import type { RawStage } from '../shared/collect';
import { apiFamilyOf, collectStages } from '../shared/collect';
import { diffStages, diffStageSets } from '../shared/diff';
import type { StageSnapshot } from '../shared/model';
import { formatStageKey } from '../shared/model';
import { workerMain } from './child-process';
import { apiGatewayClients } from './scan-clients';

export interface DiffWorkerInput {
  readonly beforeEndpoint: string;
  readonly afterEndpoint: string;
  readonly scope: { readonly account: string; readonly region: string };
  readonly fingerprintKey: string;
  /** Timed passes; the median is reported. */
  readonly passes: number;
}

export interface DiffWorkerResult {
  readonly stages: number;
  readonly changedStages: number;
  readonly drifts: number;
  readonly changes: number;
  /** Median of the passes, milliseconds. */
  readonly perStageMs: number;
  readonly setMs: number;
}

const LIFTED = { ratePerSecond: 1_000_000, burst: 1_000_000, concurrency: 16 };

const snapshotsOf = async (
  endpoint: string,
  scope: DiffWorkerInput['scope'],
): Promise<Map<string, StageSnapshot>> => {
  const clients = apiGatewayClients(endpoint, { lastAnswerAt: 0 }, 'collector');
  const collected = await collectStages(clients, LIFTED);
  if (collected.failures.length > 0)
    throw new Error(`collect failed: ${JSON.stringify(collected.failures[0])}`);
  const normalize = (raw: RawStage): StageSnapshot => {
    const context = { account: scope.account, region: scope.region, api: raw.api };
    return apiFamilyOf(raw.apiType).normalize(raw.stage, context);
  };
  return new Map(collected.stages.map((raw) => normalize(raw)).map((s) => [formatStageKey(s.key), s]));
};

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
};

workerMain<DiffWorkerInput, DiffWorkerResult>(async (input) => {
  const before = await snapshotsOf(input.beforeEndpoint, input.scope);
  const after = await snapshotsOf(input.afterEndpoint, input.scope);
  const pairs = [...after].flatMap(([key, next]) => {
    const previous = before.get(key);
    return previous && previous.hash !== next.hash ? [{ previous, next }] : [];
  });
  const options = { fingerprintKey: input.fingerprintKey };
  let drifts = 0;
  let changes = 0;
  const perStage: number[] = [];
  const set: number[] = [];
  for (let pass = 0; pass < input.passes; pass += 1) {
    drifts = 0;
    changes = 0;
    let started = performance.now();
    for (const { previous, next } of pairs) {
      const drift = diffStages(previous, next, options);
      if (drift) {
        drifts += 1;
        changes += drift.changes.length;
      }
    }
    perStage.push(performance.now() - started);
    started = performance.now();
    diffStageSets(
      pairs.map((p) => p.previous),
      pairs.map((p) => p.next),
      options,
    );
    set.push(performance.now() - started);
  }
  return {
    stages: after.size,
    changedStages: pairs.length,
    drifts,
    changes,
    perStageMs: median(perStage),
    setMs: median(set),
  };
});
