/**
 * Worker: many accounts x regions through the fan-out path: one `ScanTask` per scope (as
 * `planScanTasks` makes them), each run by `runScanTask` as the snapshot function runs an SQS
 * message, at most `concurrency` at a time (the event source's `maxConcurrency`). Each scope has
 * its own simulator, so its own 10/s management budget, and each task its own token bucket. A
 * task that returns `continued` is run again with its `next` (as the queue would deliver it).
 * What is not exercised: SQS itself and role assumption (the clients are the scope's simulator).
 */
import type { CollectDeps } from '../shared/collect';
import { createLimiter, systemClock } from '../shared/collect';
import type { ScanScope, ScanTask, ScanTaskDeps, ScanTaskOutcome } from '../shared/scan';
import { planScanTasks, runScanTask } from '../shared/scan';
import { DynamoSnapshotStore } from '../shared/store';
import { workerMain } from './child-process';
import type { DynamoCost } from './dynamo-meter';
import { meterDynamo } from './dynamo-meter';
import type { ControlPlaneProbe } from './scan-clients';
import { apiGatewayClients, dynamoClient } from './scan-clients';

export interface FanOutWorkerInput {
  readonly scopes: readonly {
    readonly account: string;
    readonly region: string;
    readonly endpoint: string;
  }[];
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  readonly concurrency: number;
  readonly budget: { readonly ratePerSecond: number; readonly burst: number; readonly concurrency: number };
  readonly now: string;
  readonly fingerprintKey: string;
}

export interface FanOutWorkerResult {
  /** Per task: from its start to the last control-plane answer of its scope. */
  readonly collectMs: readonly number[];
  readonly path: string;
  /** Task invocations by outcome (a continued task is invoked again). */
  readonly outcomes: Partial<Record<ScanTaskOutcome, number>>;
  readonly wallMs: number;
  /** CPU time (user + system) of this process over the run: the simulated Lambdas share it. */
  readonly cpuMs: number;
  readonly scopeMs: readonly number[];
  readonly stagesRead: number;
  readonly stagesChanged: number;
  readonly events: number;
  readonly failures: number;
  readonly failedScopes: number;
  readonly distinctCalls: number;
  readonly retries: number;
  readonly throttled: number;
  readonly dynamo: DynamoCost;
}

/** User + system CPU milliseconds of this process since `start`. */
const cpuMsSince = (start: NodeJS.CpuUsage): number => {
  const { user, system } = process.cpuUsage(start);
  return (user + system) / 1000;
};

const scopeKey = (scope: ScanScope): string => `${scope.account}/${scope.region}`;

/** A Lambda invocation's time: the snapshot function's 15-minute timeout. */
const INVOCATION_MS = 15 * 60_000;

workerMain<FanOutWorkerInput, FanOutWorkerResult>(async (input) => {
  const probes = new Map<string, ControlPlaneProbe>(
    input.scopes.map((scope) => [scopeKey(scope), { lastAnswerAt: 0 }]),
  );
  const clients = new Map<string, CollectDeps>(
    input.scopes.map((scope) => [
      scopeKey(scope),
      apiGatewayClients(scope.endpoint, probes.get(scopeKey(scope))!, 'collector'),
    ]),
  );
  const dynamo = dynamoClient(input.dynamoEndpoint);
  const meter = meterDynamo(dynamo);
  const deps: ScanTaskDeps = {
    clientsFor: (scope: ScanScope) => clients.get(scopeKey(scope))!,
    store: new DynamoSnapshotStore(dynamo, { tableName: input.tableName }),
    clock: systemClock,
    collect: input.budget,
    diff: { fingerprintKey: input.fingerprintKey },
  };
  const limiter = createLimiter(input.concurrency);
  const totals = {
    stagesRead: 0,
    stagesChanged: 0,
    events: 0,
    failures: 0,
    failedScopes: 0,
    distinctCalls: 0,
    retries: 0,
    throttled: 0,
  };
  const outcomes: Partial<Record<ScanTaskOutcome, number>> = {};
  const scopeMs: number[] = [];
  const collectMs: number[] = [];
  const accounts = [...new Set(input.scopes.map((scope) => scope.account))].map((account) => ({ account }));
  const regions = [...new Set(input.scopes.map((scope) => scope.region))];
  const tasks = planScanTasks(accounts, regions);
  const now = new Date(input.now);

  /** One invocation of the snapshot function for one message. */
  const invoke = async (task: ScanTask): Promise<ScanTask | undefined> => {
    const result = await runScanTask(deps, task, { now, deadlineMs: systemClock.now() + INVOCATION_MS });
    outcomes[result.outcome] = (outcomes[result.outcome] ?? 0) + 1;
    for (const scope of result.summary.scopes) {
      const { throttled, retries, ...byOperation } = scope.calls;
      totals.stagesRead += scope.stagesRead;
      totals.stagesChanged += scope.stagesChanged;
      totals.failures += scope.failures.length;
      totals.failedScopes += scope.failures.length > 0 ? 1 : 0;
      totals.distinctCalls += Object.values(byOperation).reduce((sum, n) => sum + n, 0) - retries;
      totals.retries += retries;
      totals.throttled += throttled;
    }
    totals.events += result.summary.events.length;
    return result.next;
  };

  const started = performance.now();
  const cpuStarted = process.cpuUsage();
  await Promise.all(
    tasks.map((task) =>
      limiter.run(async () => {
        const taskStarted = performance.now();
        for (let next: ScanTask | undefined = task; next;) next = await invoke(next);
        scopeMs.push(performance.now() - taskStarted);
        collectMs.push(probes.get(scopeKey(task))!.lastAnswerAt - taskStarted);
      }),
    ),
  );
  return {
    path: 'runScanTask, one task per scope (planScanTasks)',
    outcomes,
    collectMs,
    wallMs: performance.now() - started,
    cpuMs: cpuMsSince(cpuStarted),
    scopeMs,
    ...totals,
    dynamo: meter.cost(),
  };
});
