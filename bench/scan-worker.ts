/**
 * Worker: one scan of one account + region, by the product's `runScan` or by the naive
 * baseline, against a simulator and dynalite that the parent runs. Started by run-all.ts.
 */
import { systemClock } from '../shared/collect';
import type { ScanDeps } from '../shared/scan';
import { runScan } from '../shared/scan';
import { DynamoSnapshotStore } from '../shared/store';
import { workerMain } from './child-process';
import type { DynamoCost } from './dynamo-meter';
import { meterDynamo } from './dynamo-meter';
import type { NaiveOperation } from './naive-scanner';
import { runNaiveScan } from './naive-scanner';
import type { ControlPlaneProbe } from './scan-clients';
import { apiGatewayClients, dynamoClient } from './scan-clients';

export interface ScanWorkerInput {
  readonly scanner: 'stage-drift' | 'naive';
  readonly scope: { readonly account: string; readonly region: string };
  readonly apiEndpoint: string;
  readonly dynamoEndpoint: string;
  readonly tableName: string;
  /** ISO time of the scan. */
  readonly now: string;
  /** Naive only: control-plane calls in flight; absent = all at once. */
  readonly naiveConcurrency?: number;
  /** The collector's budget (stage-drift only). */
  readonly budget: { readonly ratePerSecond: number; readonly burst: number; readonly concurrency: number };
  readonly fingerprintKey: string;
}

export interface ScanWorkerResult {
  /** The whole scan: collect, compare, diff, store, run record. */
  readonly durationMs: number;
  /** From the start to the last control-plane answer. */
  readonly collectMs: number;
  readonly stagesRead: number;
  readonly stagesChanged: number;
  readonly events: number;
  readonly baseline: boolean;
  readonly failures: number;
  /** A few failures, `operation apiId: errorName`, for the report. */
  readonly failureSample: readonly string[];
  /** Calls by operation as the scanner counted them (stage-drift: retries included). */
  readonly callsByOperation: Record<string, number>;
  /** Distinct calls: sends minus retries (the naive scanner cannot see the SDK's own retries). */
  readonly distinctCalls: number;
  /** Re-sends the scanner made itself (stage-drift only; the SDK's are counted by the simulator). */
  readonly retries: number;
  readonly dynamo: DynamoCost;
}

const scanWithStageDrift = async (input: ScanWorkerInput): Promise<ScanWorkerResult> => {
  const probe: ControlPlaneProbe = { lastAnswerAt: 0 };
  const clients = apiGatewayClients(input.apiEndpoint, probe, 'collector');
  const dynamo = dynamoClient(input.dynamoEndpoint);
  const meter = meterDynamo(dynamo);
  const deps: ScanDeps = {
    clientsFor: () => clients,
    store: new DynamoSnapshotStore(dynamo, { tableName: input.tableName }),
    clock: systemClock,
    collect: input.budget,
    diff: { fingerprintKey: input.fingerprintKey },
  };
  const started = performance.now();
  const summary = await runScan(deps, { scopes: [input.scope], now: new Date(input.now) });
  const durationMs = performance.now() - started;
  const scope = summary.scopes[0]!;
  const { retries } = scope.calls;
  const byOperation: Record<string, number> = Object.fromEntries(
    Object.entries(scope.calls).filter(([name]) => name !== 'throttled' && name !== 'retries'),
  );
  const sends = Object.values(byOperation).reduce((sum, n) => sum + n, 0);
  return {
    durationMs,
    collectMs: probe.lastAnswerAt - started,
    stagesRead: scope.stagesRead,
    stagesChanged: scope.stagesChanged,
    events: summary.events.length,
    baseline: scope.baseline,
    failures: scope.failures.length,
    failureSample: scope.failures
      .slice(0, 5)
      .map((f) => `${f.kind} ${'apiId' in f ? (f.apiId ?? '') : ''}: ${f.errorName}`),
    callsByOperation: byOperation,
    distinctCalls: sends - retries,
    retries,
    dynamo: meter.cost(),
  };
};

const scanNaively = async (input: ScanWorkerInput): Promise<ScanWorkerResult> => {
  const probe: ControlPlaneProbe = { lastAnswerAt: 0 };
  const { restClient, v2Client } = apiGatewayClients(input.apiEndpoint, probe, 'sdk-default');
  const dynamo = dynamoClient(input.dynamoEndpoint);
  const meter = meterDynamo(dynamo);
  const started = performance.now();
  const result = await runNaiveScan(
    {
      restClient,
      v2Client,
      dynamo,
      tableName: input.tableName,
      ...(input.naiveConcurrency === undefined ? {} : { concurrency: input.naiveConcurrency }),
    },
    input.scope,
    new Date(input.now),
  );
  const durationMs = performance.now() - started;
  const calls = Object.values(result.calls).reduce((sum, n) => sum + n, 0);
  return {
    durationMs,
    collectMs: probe.lastAnswerAt - started,
    stagesRead: result.stagesRead,
    // Every stage read is rewritten: the naive scanner cannot tell a change from none.
    stagesChanged: result.stagesRead,
    events: 0,
    baseline: false,
    failures: result.failures.length,
    failureSample: result.failures
      .slice(0, 5)
      .map((f) => `${f.operation} ${f.apiId ?? ''}${f.stageName ? `/${f.stageName}` : ''}: ${f.errorName}`),
    callsByOperation: result.calls satisfies Record<NaiveOperation, number>,
    distinctCalls: calls,
    retries: 0,
    dynamo: meter.cost(),
  };
};

workerMain<ScanWorkerInput, ScanWorkerResult>((input) =>
  input.scanner === 'naive' ? scanNaively(input) : scanWithStageDrift(input),
);
