/**
 * Event-driven rescan latency in the sandbox: a stage mutated in the control-plane simulator, a
 * CloudTrail-shaped EventBridge event for it, then runTargetedScan (2 control-plane calls, the
 * compare and the writes into dynalite) -> the stored drift event read back from the table (as
 * the stream would hand it over) -> publishEvents to a local Slack stand-in. Prints the median of
 * several runs, in ms, per part. The parts AWS adds (CloudTrail -> EventBridge delivery, the SQS
 * batching window, the DynamoDB stream -> Lambda hop) are not measurable here: docs/event-driven.md.
 *
 * Run: npx tsx bench/event-latency.ts
 */
import { performance } from 'node:perf_hooks';
import type { DriftEventRecord } from '../shared/store';
import { DynamoSnapshotStore } from '../shared/store';
import { publishEvents, SlackWebhookSender } from '../shared/notify';
import { runScan, runTargetedScan } from '../shared/scan';
import { systemClock } from '../shared/collect';
import { clientsFor } from '../test/collect/simulator-clients';
import { startDynalite } from '../test/support/dynalite';
import { SIM_ACCOUNT_ID, SIM_REGION, startSimulator } from '../test/support/simulator';
import { fixtureEventFor } from '../test/scan/cloudtrail-events';
import { REST_ORDERS, scanFleet, stageOf } from '../test/scan/scan-fleet';
import { startFakeSlack } from '../test/notify/fake-slack';

const RUNS = 15;
const SCOPE = { account: SIM_ACCOUNT_ID, region: SIM_REGION };

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};

const main = async (): Promise<void> => {
  const dynamo = await startDynalite();
  const sim = await startSimulator({ fleet: scanFleet() });
  const clients = clientsFor(sim);
  const slack = await startFakeSlack();
  const client = dynamo.client();
  await dynamo.createTable('event-latency');
  const store = new DynamoSnapshotStore(client, { tableName: 'event-latency' });
  const deps = {
    clientsFor: () => clients,
    store,
    clock: systemClock,
    collect: { ratePerSecond: 3, burst: 10 }, // the deployed defaults
    diff: { fingerprintKey: 'event-latency-bench' },
  };
  const sender = new SlackWebhookSender({ webhookUrl: slack.webhookUrl, minIntervalMs: 0 });
  const publishDeps = { slack: { sender, minSeverity: 'INFO' as const } };

  let now = Date.UTC(2026, 0, 1, 0, 0);
  await runScan(deps, { scopes: [SCOPE], now: new Date(now) }); // the baseline
  const parts = {
    rescan: [] as number[],
    read: [] as number[],
    publish: [] as number[],
    total: [] as number[],
  };
  for (let run = 0; run < RUNS; run += 1) {
    // A console change: execution logging toggled, then its CloudTrail event.
    const prod = stageOf(sim.fleet, REST_ORDERS, 'prod');
    const settings = prod.methodSettings as Record<string, Record<string, unknown>>;
    settings['*/*'] = { ...settings['*/*'], loggingLevel: run % 2 === 0 ? 'OFF' : 'INFO' };
    now += 60_000;
    const event = fixtureEventFor('rest-update-stage-console', {
      apiId: REST_ORDERS,
      stageName: 'prod',
      at: new Date(now - 30_000),
    });

    const t0 = performance.now();
    const result = await runTargetedScan(deps, { events: [event], now: new Date(now) });
    const t1 = performance.now();
    const ids = new Set(result.summary.events.map((e) => e.id));
    const { events } = await store.listEvents({
      since: new Date(now).toISOString(),
      until: new Date(now).toISOString(),
    });
    const stored: DriftEventRecord[] = events.filter((e) => ids.has(e.id));
    const t2 = performance.now();
    const published = await publishEvents(publishDeps, stored);
    const t3 = performance.now();
    if (
      stored.length !== 1 ||
      published.counts.published !== 1 ||
      stored[0]!.attribution?.status !== 'attributed'
    ) {
      throw new Error(
        `run ${run}: expected one attributed event published, got ${JSON.stringify(published.counts)}`,
      );
    }
    parts.rescan.push(t1 - t0);
    parts.read.push(t2 - t1);
    parts.publish.push(t3 - t2);
    parts.total.push(t3 - t0);
  }
  const fmt = (values: number[]) =>
    `${median(values).toFixed(1)} ms (min ${Math.min(...values).toFixed(1)}, max ${Math.max(...values).toFixed(1)})`;
  console.log(`event-latency: median of ${RUNS} runs (simulator + dynalite + local Slack stand-in)`);
  console.log(`  targeted rescan (2 control-plane calls, compare, writes): ${fmt(parts.rescan)}`);
  console.log(`  stored drift event read back:                           ${fmt(parts.read)}`);
  console.log(`  publish to Slack stand-in:                              ${fmt(parts.publish)}`);
  console.log(`  total, event in hand -> alert delivered:                ${fmt(parts.total)}`);
  console.log(
    `  control-plane calls per rescan: ${sim.counts.byOperation.GetRestApi ?? 0} GetRestApi + ${sim.counts.byOperation.GetStages} GetStages over ${RUNS} runs (+1 baseline)`,
  );

  clients.destroy();
  await slack.stop();
  await sim.close();
  await dynamo.stop();
};

main().catch((error: unknown) => {
  console.error(error);
  process.exitCode = 1;
});
