/**
 * One scan of one account, by stage-drift or the naive baseline, in a worker process, against a
 * fresh simulator enforcing the account quota (so the account's budget is full at the start, as
 * between two scheduled runs) and the parent's dynalite.
 */
import { minimumCalls, totalSends } from '../test/collect/simulator-clients';
import type { DynaliteServer } from '../test/support/dynalite';
import type { Fleet, SimulatorCounts } from '../test/support/simulator';
import { SIM_ACCOUNT_ID, SIM_REGION, startSimulator } from '../test/support/simulator';
import { runWorker } from './child-process';
import type { CollectorBudget } from './scenarios';
import { ACCOUNT_QUOTA } from './scenarios';
import type { ScanWorkerInput, ScanWorkerResult } from './scan-worker';

export const FINGERPRINT_KEY = 'bench-fingerprint-key-0123456789abcdef';

export interface ScanRun extends ScanWorkerResult {
  readonly scanner: ScanWorkerInput['scanner'];
  /** How the report names this scanner. */
  readonly label: string;
  readonly maxRssBytes: number;
  /** What the account saw: every request, 429s included. */
  readonly server: SimulatorCounts;
  /** The fewest calls that read every stage. */
  readonly minimum: number;
  /** Stages in the fleet. */
  readonly stagesExpected: number;
  /** The calls this scanner makes when every call succeeds (computed from the fleet). */
  readonly completeScanCalls: number;
  /** `(minimum - burst) / rate` at the collector's budget, ms; 0 when every call fits in the burst. */
  readonly lowerBoundMs: number;
}

/** `(calls - burst) / rate`: the quickest the calls can go through a token bucket that starts full. */
export const lowerBoundMs = (calls: number, budget: { ratePerSecond: number; burst: number }): number =>
  (Math.max(0, calls - budget.burst) / budget.ratePerSecond) * 1000;

const pages = (items: number, size: number): number => Math.max(1, Math.ceil(items / size));

/** SDK default page size of GetRestApis, GetApis and v2 GetStages (the naive scanner sets none). */
const DEFAULT_PAGE = 25;

/**
 * The naive scanner's calls when none fails: API listings at the default page size, one
 * GetStages (v1) or GetStages pages (v2) per API, one GetStage per stage.
 */
export const naiveScanCalls = (fleet: Fleet): number =>
  pages(fleet.restApis.length, DEFAULT_PAGE) +
  fleet.restApis.reduce((sum, api) => sum + 1 + api.stages.length, 0) +
  pages(fleet.v2Apis.length, DEFAULT_PAGE) +
  fleet.v2Apis.reduce((sum, api) => sum + pages(api.stages.length, DEFAULT_PAGE) + api.stages.length, 0);

export const scanAccount = async (options: {
  readonly scanner: ScanWorkerInput['scanner'];
  readonly label: string;
  /** Naive only: calls in flight; absent = all at once. */
  readonly naiveConcurrency?: number;
  readonly fleet: Fleet;
  readonly dynamo: DynaliteServer;
  readonly tableName: string;
  readonly now: Date;
  readonly budget: CollectorBudget;
}): Promise<ScanRun> => {
  const sim = await startSimulator({ fleet: options.fleet, rateLimit: { ...ACCOUNT_QUOTA } });
  try {
    const { result, maxRssBytes } = await runWorker<ScanWorkerInput, ScanWorkerResult>('scan-worker.ts', {
      scanner: options.scanner,
      scope: { account: SIM_ACCOUNT_ID, region: SIM_REGION },
      apiEndpoint: sim.endpoint,
      dynamoEndpoint: options.dynamo.endpoint,
      tableName: options.tableName,
      now: options.now.toISOString(),
      budget: options.budget,
      fingerprintKey: FINGERPRINT_KEY,
      ...(options.naiveConcurrency === undefined ? {} : { naiveConcurrency: options.naiveConcurrency }),
    });
    const minimum = totalSends(minimumCalls(options.fleet));
    return {
      ...result,
      scanner: options.scanner,
      label: options.label,
      maxRssBytes,
      server: sim.counts,
      minimum,
      stagesExpected: [...options.fleet.restApis, ...options.fleet.v2Apis].reduce(
        (sum, api) => sum + api.stages.length,
        0,
      ),
      completeScanCalls: options.scanner === 'naive' ? naiveScanCalls(options.fleet) : minimum,
      lowerBoundMs: lowerBoundMs(minimum, options.budget),
    };
  } finally {
    await sim.close();
  }
};
