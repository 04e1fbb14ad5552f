/**
 * Worker: builds every function's bundle exactly as deployed, by synthesizing the project's own
 * `MonitorFunction` (infra/monitor-function.ts: its local bundling, which runs
 * infra/bundle/bundle-function.ts with the SDK size plugins, not a copy of them) into a temporary
 * cloud assembly, one app per function so each assembly holds one bundle. Returns the path of
 * each `index.mjs`.
 */
import { App, Duration, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { MonitorFunction } from '../infra/monitor-function';
import {
  PLANNER_ENTRY,
  PLANNER_SERVICE,
  PUBLISH_ENTRY,
  PUBLISH_SERVICE,
  RESCAN_ENTRY,
  RESCAN_SERVICE,
  SNAPSHOT_ENTRY,
  SNAPSHOT_SERVICE,
} from '../infra/runtime-contract';
import { workerMain } from './child-process';

export interface BundleWorkerInput {
  readonly outdir: string;
}

/** The monitor's functions (the planner exists in fan-out mode, the rescan function with event-driven rescans). */
export type BundleName = 'snapshot' | 'planner' | 'rescan' | 'publish';

export interface BundleWorkerResult {
  /** Function name -> path of its bundled `index.mjs`. */
  readonly bundles: Record<BundleName, string>;
}

const FUNCTIONS: readonly { name: BundleName; entry: string; serviceName: string }[] = [
  { name: 'snapshot', entry: SNAPSHOT_ENTRY, serviceName: SNAPSHOT_SERVICE },
  { name: 'planner', entry: PLANNER_ENTRY, serviceName: PLANNER_SERVICE },
  { name: 'rescan', entry: RESCAN_ENTRY, serviceName: RESCAN_SERVICE },
  { name: 'publish', entry: PUBLISH_ENTRY, serviceName: PUBLISH_SERVICE },
];

const synthesize = (outdir: string, fn: (typeof FUNCTIONS)[number]): string => {
  const app = new App({ outdir, context: { 'aws:cdk:bundling-stacks': ['*'] } });
  const stack = new Stack(app, 'StageDriftBundleBench');
  new MonitorFunction(stack, 'Function', {
    entry: fn.entry,
    description: `bench build of ${fn.name}`,
    serviceName: fn.serviceName,
    timeout: Duration.minutes(1),
    memorySize: 512,
    environment: {},
    logRetention: RetentionDays.ONE_DAY,
  });
  app.synth();
  const assets = readdirSync(outdir).filter((entry) => entry.startsWith('asset.'));
  if (assets.length !== 1) throw new Error(`expected one asset in ${outdir}, found ${assets.join(', ')}`);
  return path.join(outdir, assets[0]!, 'index.mjs');
};

workerMain<BundleWorkerInput, BundleWorkerResult>((input) => {
  const built = Object.fromEntries(
    FUNCTIONS.map((fn) => [fn.name, synthesize(path.join(input.outdir, fn.name), fn)]),
  ) as BundleWorkerResult['bundles'];
  return Promise.resolve({ bundles: built });
});
