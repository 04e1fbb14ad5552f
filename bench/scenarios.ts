import type { GenerateFleetOptions } from '../test/support/simulator';

/** The account's API Gateway management quota per region (not raisable). */
export const ACCOUNT_QUOTA = { ratePerSecond: 10, burst: 40 } as const;

export interface CollectorBudget {
  readonly ratePerSecond: number;
  readonly burst: number;
  readonly concurrency: number;
}

/** The collector's budget in the bench: the whole quota, so the scan runs at the physical limit. */
export const COLLECTOR_BUDGET: CollectorBudget = { ...ACCOUNT_QUOTA, concurrency: 4 };

/** Tasks in flight in the fan-out: the snapshot function's SQS event source maxConcurrency. */
export const FAN_OUT_CONCURRENCY = 10;

export interface FanOutShape {
  readonly accounts: number;
  readonly regions: readonly string[];
  /** Each scope's fleet. */
  readonly fleet: Omit<GenerateFleetOptions, 'seed'>;
}

export interface BenchProfile {
  readonly name: 'full' | 'quick';
  /** The collector's budget (`--collector-rate`, `--collector-burst` override it). */
  readonly budget: CollectorBudget;
  readonly small: GenerateFleetOptions;
  readonly maximal: GenerateFleetOptions;
  /** Share of the maximal account's stages changed before scenario (d). */
  readonly changedFraction: number;
  readonly fanOut: FanOutShape;
  /** The fleet whose stages are all changed for the diff throughput figure. */
  readonly diff: GenerateFleetOptions;
}

const REGIONS = ['eu-west-1', 'us-east-1', 'us-west-2', 'ap-southeast-2'];

/** Realistic method settings: `*\/*` plus four method-level overrides (REST), or route settings (v2). */
const METHOD_SETTINGS = 5;

export const FULL: BenchProfile = {
  name: 'full',
  budget: COLLECTOR_BUDGET,
  small: { restApis: 10, httpApis: 10, stagesPerApi: 3, methodSettingsPerStage: METHOD_SETTINGS, seed: 7 },
  // The service quotas: 600 regional REST APIs, 600 HTTP APIs, 10 stages per API.
  maximal: {
    restApis: 600,
    httpApis: 600,
    stagesPerApi: 10,
    methodSettingsPerStage: METHOD_SETTINGS,
    seed: 42,
  },
  changedFraction: 0.01,
  fanOut: {
    accounts: 50,
    regions: REGIONS,
    fleet: { restApis: 25, httpApis: 25, stagesPerApi: 2, methodSettingsPerStage: METHOD_SETTINGS },
  },
  diff: { restApis: 1000, httpApis: 1000, stagesPerApi: 5, methodSettingsPerStage: METHOD_SETTINGS, seed: 3 },
};

export const QUICK: BenchProfile = {
  name: 'quick',
  budget: COLLECTOR_BUDGET,
  small: FULL.small,
  maximal: { ...FULL.maximal, restApis: 60, httpApis: 60 },
  changedFraction: 0.01,
  fanOut: {
    accounts: 5,
    regions: REGIONS.slice(0, 2),
    fleet: { restApis: 10, httpApis: 10, stagesPerApi: 2, methodSettingsPerStage: METHOD_SETTINGS },
  },
  diff: { ...FULL.diff, restApis: 100, httpApis: 100 },
};
