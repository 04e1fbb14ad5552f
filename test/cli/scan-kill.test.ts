import { APIGatewayClient, UpdateStageCommand } from '@aws-sdk/client-api-gateway';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';
import { createRestApiWithStage } from '../support/moto-rest-api';
import { createPrng } from '../support/simulator/prng';
import type { BinRun } from './bin-process';
import { MOTO_ACCOUNT, runBin, tempDir, TEST_REGION } from './bin-process';
import type { KillingProxy, KillPlan } from './killing-proxy';
import { startKillingProxy } from './killing-proxy';
import type { ReceivedAlert } from './sns-inbox';
import { snsInbox } from './sns-inbox';

// `kill -9` in the middle of `stage-drift scan --sns-topic-arn`: whatever the point (during the
// collect, between the store's writes, between two publishes), the reruns alert every drift
// event exactly once. The kill points are seeded (KILL_SEED, else a fixed seed); the assertions
// count alerts and events, never time.

const SEED = Number(process.env.KILL_SEED ?? 20_261_113);
const STAGES = 6;
const ROUNDS = 3;
/** Attempts of one round before the test gives up (each later one runs to its end). */
const MAX_ATTEMPTS = 6;

let moto: MotoServer;
let proxy: KillingProxy;

beforeAll(async () => {
  moto = await startMoto();
  proxy = await startKillingProxy(moto.endpoint);
});

afterAll(async () => {
  await proxy?.close();
  await moto?.stop();
});

it('alerts every drift event exactly once after scans killed with SIGKILL at seeded points', async () => {
  // Prepare: six REST stages, a topic with a queue, a baseline
  const prng = createPrng(SEED);
  const rest = new APIGatewayClient({
    endpoint: moto.endpoint,
    region: TEST_REGION,
    credentials: AWS_TEST_CREDENTIALS,
  });
  const apiIds: string[] = [];
  for (let i = 0; i < STAGES; i += 1)
    apiIds.push(await createRestApiWithStage(rest, { name: `api-${i}` }, { stageName: 'prod' }));
  const inbox = snsInbox(moto.endpoint, TEST_REGION, MOTO_ACCOUNT, 'drift-kill');
  await inbox.create();
  const store = tempDir();
  const args = ['scan', '--store', store, '--sns-topic-arn', inbox.topicArn];
  const env = { AWS_ENDPOINT_URL: proxy.endpoint };
  const scan = (plan?: KillPlan): Promise<BinRun> =>
    runBin(args, env, { onSpawn: (c) => proxy.watch(c, plan) });
  const baselineStarted = Date.now();
  expect((await scan()).code).toBe(0);
  // Kill points must fall inside a run: a timed kill within the time a whole run took here, a
  // counted one before its last request (a round's run makes the baseline's calls plus its publishes,
  // less the one-time writes; measured: 15 of 16 with moto 5.2).
  const fullRunMs = Date.now() - baselineStarted;
  // The baseline publishes its posture summary, once; the rounds below count drift alerts only.
  expect((await inbox.take()).map((a) => a.attributes.change)).toEqual(['POSTURE_SUMMARY']);
  const requestsOfAFullRun = proxy.requests() + STAGES; // the baseline's calls, plus one publish each

  const alerts: ReceivedAlert[] = [];
  let kills = 0;
  let runs = 1;
  try {
    for (let round = 1; round <= ROUNDS; round += 1) {
      // Act: change every stage, then scan until a run is not killed
      for (const restApiId of apiIds) {
        await rest.send(
          new UpdateStageCommand({
            restApiId,
            stageName: 'prod',
            patchOperations: [{ op: 'replace', path: '/variables/round', value: `r${round}` }],
          }),
        );
      }
      const plans: KillPlan[] = [
        { atRequest: prng.int(1, requestsOfAFullRun - 1) },
        { afterMs: prng.int(Math.min(100, fullRunMs), Math.max(100, Math.floor(fullRunMs * 0.8))) },
        { atRequest: prng.int(1, requestsOfAFullRun - 1) },
      ];
      let last: BinRun | undefined;
      for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt += 1) {
        last = await scan(plans[attempt]);
        runs += 1;
        if (last.signal === 'SIGKILL') kills += 1;
        else break;
      }
      // Assess: the run that finished exited cleanly; one more run sends nothing
      expect(last?.signal).toBeNull();
      expect([0, 1]).toContain(last?.code);
      alerts.push(...(await inbox.take()));
      const check = await scan();
      runs += 1;
      expect(check.code).toBe(0);
      expect(await inbox.take()).toEqual([]);
    }

    // Assess: every stored drift event was alerted, each exactly once
    const listed = await runBin(['events', '--store', store, '--format', 'json', '--limit', '1000'], {});
    const eventIds = (JSON.parse(listed.stdout) as { events: { id: string }[] }).events.map((e) => e.id);
    expect(eventIds).toHaveLength(STAGES * ROUNDS);
    expect(alerts.map((a) => a.eventId).sort()).toEqual([...eventIds].sort());
    expect(kills).toBeGreaterThanOrEqual(ROUNDS);
    if (process.env.KILL_REPORT)
      process.stderr.write(
        `kill -9 test (seed ${SEED}): ${runs} runs, ${kills} killed, ${eventIds.length} events, ${alerts.length} alerts\n`,
      );
  } finally {
    rest.destroy();
    inbox.destroy();
  }
}, 240_000);
