/** Diff throughput: the parent serves the fleet before and after every stage changed. */
import type { GenerateFleetOptions } from '../test/support/simulator';
import { SIM_ACCOUNT_ID, SIM_REGION, generateFleet, startSimulator } from '../test/support/simulator';
import { FINGERPRINT_KEY } from './account-scan';
import { runWorker } from './child-process';
import type { DiffWorkerInput, DiffWorkerResult } from './diff-worker';
import { changeFleet } from './fleet-changes';
import { int, megabytes, renderTable } from './report';

export interface DiffRun extends DiffWorkerResult {
  readonly maxRssBytes: number;
}

const PASSES = 5;

export const measureDiff = async (options: GenerateFleetOptions): Promise<DiffRun> => {
  const before = generateFleet(options);
  const after = structuredClone(before);
  changeFleet(after, 1);
  const beforeSim = await startSimulator({ fleet: before });
  const afterSim = await startSimulator({ fleet: after });
  try {
    const { result, maxRssBytes } = await runWorker<DiffWorkerInput, DiffWorkerResult>('diff-worker.ts', {
      beforeEndpoint: beforeSim.endpoint,
      afterEndpoint: afterSim.endpoint,
      scope: { account: SIM_ACCOUNT_ID, region: SIM_REGION },
      fingerprintKey: FINGERPRINT_KEY,
      passes: PASSES,
    });
    return { ...result, maxRssBytes };
  } finally {
    await beforeSim.close();
    await afterSim.close();
  }
};

export const renderDiffTable = (run: DiffRun): string =>
  renderTable(
    ['figure', 'value'],
    [
      ['stages (all collected and normalized twice)', int(run.stages)],
      ['changed stages diffed', int(run.changedStages)],
      ['drifts / field changes found', `${int(run.drifts)} / ${int(run.changes)}`],
      [
        `diffStages per changed stage (the scan's path), median of ${PASSES}`,
        `${run.perStageMs.toFixed(0)} ms = ${int((run.changedStages / run.perStageMs) * 1000)} changed stages/s`,
      ],
      [
        `diffStageSets over the set (the diff command's path), median of ${PASSES}`,
        `${run.setMs.toFixed(0)} ms = ${int((run.changedStages / run.setMs) * 1000)} changed stages/s`,
      ],
      ['peak RSS of the worker (both snapshot sets held)', megabytes(run.maxRssBytes)],
    ],
  );
