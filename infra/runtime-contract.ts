import * as path from 'node:path';

/**
 * What the construct and the Lambda handlers must agree on, in one place: entry points,
 * environment variable names and the metrics the alarms watch. Infra refers to the handlers by
 * path only; `test/infra/runtime-contract.test.ts` checks these names against the handler sources.
 */
const ROOT = path.join(__dirname, '..');

export const PROJECT_ROOT = ROOT;

/** Each function's asset holds one bundle, `index.mjs` (infra/bundle), exporting `handler`. */
export const BUNDLE_FILE = 'index.mjs';
export const BUNDLE_HANDLER = 'index.handler';

/** The scheduled scan, and in fan-out mode the consumer of the task queue. */
export const SNAPSHOT_ENTRY = path.join(ROOT, 'lambdas', 'snapshot', 'handler.ts');
/**
 * Fan-out mode only: the schedule's target, which resolves the targets (Organizations) and
 * enqueues one task per account + region. A function of its own, so the scanning function
 * carries no Organizations client and its role no Organizations permission.
 */
export const PLANNER_ENTRY = path.join(ROOT, 'lambdas', 'snapshot', 'planner-handler.ts');
/**
 * The event-driven rescans: a handler of their own next to the scan's, reusing its modules but
 * not the fan-out or the CloudTrail lookup, so its bundle carries no SQS, Organizations or
 * CloudTrail client.
 */
export const RESCAN_ENTRY = path.join(ROOT, 'lambdas', 'snapshot', 'rescan-handler.ts');
export const PUBLISH_ENTRY = path.join(ROOT, 'lambdas', 'publish', 'handler.ts');

/**
 * The prebuilt bundles of an installed package (`npm run package`, infra/package): one directory
 * per function, `<package>/dist/assets/<name>/index.mjs`, next to the compiled construct
 * (`dist/infra/*.js`). A consumer's app deploys these as they are: no bundling, no TypeScript,
 * no esbuild at the consumer.
 */
export const PREBUILT_ASSETS_DIR = path.join(ROOT, 'assets');
export const FUNCTION_BUNDLES = [
  { name: 'snapshot', entry: SNAPSHOT_ENTRY },
  { name: 'planner', entry: PLANNER_ENTRY },
  { name: 'rescan', entry: RESCAN_ENTRY },
  { name: 'publish', entry: PUBLISH_ENTRY },
] as const;

/**
 * Whether the construct runs from this repository's TypeScript sources (tsx, ts-jest: the
 * functions are bundled from source at synth, so a code change is tested without repackaging)
 * or compiled, from an installed package (the prebuilt bundles are used).
 */
export const RUNS_FROM_SOURCE = __filename.endsWith('.ts');

/**
 * Environment variables the publish function reads and the scanning functions read: derived from
 * the settings table (shared/config/settings.ts), the one definition the handlers load them by.
 */
export { ENV, PUBLISH_ENV } from '../shared/config/settings';

/** Partition key prefix of the publish function's delivery marks (`shared/notify/delivery-log.ts`). */
export const DELIVERY_PK_PREFIX = 'DELIVERY#';

/** Embedded-metric-format namespace of every function (Powertools `namespace`). */
export const METRICS_NAMESPACE = 'StageDrift';
/**
 * Powertools `serviceName`s; Powertools adds it to every metric as the `service` dimension.
 * The rescan function logs as `stage-drift-rescan` but emits its scan metrics under
 * `SNAPSHOT_SERVICE`: one set of scan metrics (no second set of custom metrics to pay for). Its
 * log group tells the two apart.
 */
export const SNAPSHOT_SERVICE = 'stage-drift-snapshot';
export const RESCAN_SERVICE = 'stage-drift-rescan';
/** Logs as the planner; its one metric, `TasksPlanned`, is under `SNAPSHOT_SERVICE` (as the rescans' are). */
export const PLANNER_SERVICE = 'stage-drift-planner';
export const PUBLISH_SERVICE = 'stage-drift-publish';
