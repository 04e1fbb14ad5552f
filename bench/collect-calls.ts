/**
 * Calls per full scan against the control-plane simulator: made vs the minimum
 * (pages of GetRestApis + one GetStages per REST API + pages of GetApis + pages of v2 GetStages).
 * Run: npx tsx bench/collect-calls.ts [restApis] [httpApis] [stagesPerApi]   (npm run bench runs everything)
 */
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import { COLLECTOR_CLIENT_CONFIG, collectStages } from '../shared/collect';
import { generateFleet, startSimulator } from '../test/support/simulator';

const [restApis = 600, httpApis = 600, stagesPerApi = 10] = process.argv.slice(2).map(Number);

const run = async () => {
  const fleet = generateFleet({ restApis, httpApis, stagesPerApi, methodSettingsPerStage: 5, seed: 42 });
  const sim = await startSimulator({ fleet });
  const config = {
    endpoint: sim.endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'bench', secretAccessKey: 'bench' },
    ...COLLECTOR_CLIENT_CONFIG,
  };
  const restClient = new APIGatewayClient(config);
  const v2Client = new ApiGatewayV2Client(config);
  try {
    const started = performance.now();
    // Budget lifted so the figure is about call count, not pacing (pacing is its own benchmark).
    const result = await collectStages(
      { restClient, v2Client },
      { ratePerSecond: 10_000, burst: 10_000, concurrency: 8 },
    );
    const seconds = (performance.now() - started) / 1000;
    const pages = (n: number, size: number) => Math.max(1, Math.ceil(n / size));
    const minimum =
      pages(fleet.restApis.length, 500) +
      fleet.restApis.length +
      pages(fleet.v2Apis.length, 100) +
      fleet.v2Apis.reduce((sum, api) => sum + pages(api.stages.length, 100), 0);
    const made = sim.counts.total;
    const stages = result.stages.length;
    const rows: [string, string][] = [
      ['fleet', `${restApis} REST + ${httpApis} HTTP APIs, ${stagesPerApi} stages each`],
      ['stages read', String(stages)],
      ['calls made (server-side count)', String(made)],
      ['calls minimum', String(minimum)],
      ['calls made / minimum', (made / minimum).toFixed(2)],
      ['by operation', JSON.stringify(sim.counts.byOperation)],
      ['failures', String(result.failures.length)],
      ['collect wall time (budget lifted)', `${seconds.toFixed(2)} s`],
      ['wall time at the default 3 req/s budget (lower bound)', `${((made - 10) / 3 / 60).toFixed(1)} min`],
    ];
    const width = Math.max(...rows.map(([k]) => k.length));
    console.log(`| ${'figure'.padEnd(width)} | value |\n|${'-'.repeat(width + 2)}|-------|`);
    for (const [k, v] of rows) console.log(`| ${k.padEnd(width)} | ${v} |`);
    if (made !== minimum || result.failures.length > 0) process.exitCode = 1;
  } finally {
    restClient.destroy();
    v2Client.destroy();
    await sim.close();
  }
};

void run();
