/**
 * The baseline the README compares against: the scanner one writes without thinking about the
 * account's shared management budget.
 *
 * - Lists the APIs (GetRestApis and GetApis at the SDK's default page sizes), then, for every
 *   API, lists its stages for their names (GetStages) and reads each stage again by name
 *   (GetStage): the list-then-describe pattern. Either one call at a time (the rate of a `for`
 *   loop with `await`) or everything at once (`Promise.all`, bounded only by the SDK's socket pool).
 * - SDK clients with their default retries (standard mode, 3 attempts), no client-side budget.
 * - Rewrites every snapshot it read on every scan: one PutItem per stage, changed or not.
 *
 * A call that fails after the SDK's retries is a failure; the stages behind it are not read.
 */
import type { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { GetRestApisCommand, GetStageCommand, GetStagesCommand } from '@aws-sdk/client-api-gateway';
import type { ApiGatewayV2Client } from '@aws-sdk/client-apigatewayv2';
import {
  GetApisCommand,
  GetStageCommand as GetV2StageCommand,
  GetStagesCommand as GetV2StagesCommand,
} from '@aws-sdk/client-apigatewayv2';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { PutItemCommand } from '@aws-sdk/client-dynamodb';
import { createLimiter } from '../shared/collect';

export type NaiveOperation =
  'GetRestApis' | 'GetStages' | 'GetStage' | 'GetApis' | 'GetStagesV2' | 'GetStageV2';

export interface NaiveScanDeps {
  /** Built with the SDK defaults: no `maxAttempts`, so standard retries, 3 attempts. */
  readonly restClient: APIGatewayClient;
  readonly v2Client: ApiGatewayV2Client;
  readonly dynamo: DynamoDBClient;
  readonly tableName: string;
  /** Control-plane calls in flight: 1 = one at a time; `undefined` = all at once. */
  readonly concurrency?: number;
}

export interface NaiveFailure {
  readonly operation: NaiveOperation;
  readonly apiId?: string;
  readonly stageName?: string;
  readonly errorName: string;
}

export interface NaiveScanResult {
  readonly stagesRead: number;
  /** Calls the scanner made (the SDK's own retries are not in here: the simulator counts them). */
  readonly calls: Record<NaiveOperation, number>;
  readonly failures: readonly NaiveFailure[];
  readonly itemsWritten: number;
}

interface ReadStage {
  readonly apiType: 'REST' | 'V2';
  readonly apiId: string;
  readonly stageName: string;
  /** The GetStage answer (its `$metadata` is dropped before storing). */
  readonly stage: object;
}

/** Runs one naive scan of one account + region. */
export const runNaiveScan = async (
  deps: NaiveScanDeps,
  scope: { readonly account: string; readonly region: string },
  now: Date,
): Promise<NaiveScanResult> => {
  const calls: Record<NaiveOperation, number> = {
    GetRestApis: 0,
    GetStages: 0,
    GetStage: 0,
    GetApis: 0,
    GetStagesV2: 0,
    GetStageV2: 0,
  };
  const failures: NaiveFailure[] = [];
  const limiter = deps.concurrency === undefined ? undefined : createLimiter(deps.concurrency);
  /** One call; a failure is recorded and yields `undefined`. */
  const call = async <T>(
    operation: NaiveOperation,
    where: { apiId?: string; stageName?: string },
    send: () => Promise<T>,
  ): Promise<T | undefined> => {
    calls[operation] += 1;
    try {
      return await (limiter ? limiter.run(send) : send());
    } catch (error) {
      failures.push({ operation, ...where, errorName: error instanceof Error ? error.name : 'Error' });
      return undefined;
    }
  };

  const restIds: string[] = [];
  for (let position: string | undefined, first = true; first || position; first = false) {
    const page = await call('GetRestApis', {}, () =>
      deps.restClient.send(new GetRestApisCommand({ position })),
    );
    if (!page) break;
    restIds.push(...(page.items ?? []).map((api) => api.id ?? ''));
    position = page.position;
  }
  const v2Ids: string[] = [];
  for (let token: string | undefined, first = true; first || token; first = false) {
    const page = await call('GetApis', {}, () =>
      deps.v2Client.send(new GetApisCommand({ NextToken: token })),
    );
    if (!page) break;
    v2Ids.push(...(page.Items ?? []).map((api) => api.ApiId ?? ''));
    token = page.NextToken;
  }

  const readRest = async (apiId: string): Promise<ReadStage[]> => {
    const listed = await call('GetStages', { apiId }, () =>
      deps.restClient.send(new GetStagesCommand({ restApiId: apiId })),
    );
    const names = (listed?.item ?? []).map((stage) => stage.stageName ?? '');
    const read = await Promise.all(
      names.map((stageName) =>
        call('GetStage', { apiId, stageName }, () =>
          deps.restClient.send(new GetStageCommand({ restApiId: apiId, stageName })),
        ),
      ),
    );
    return read.flatMap((stage, i) =>
      stage ? [{ apiType: 'REST', apiId, stageName: names[i]!, stage }] : [],
    );
  };

  const readV2 = async (apiId: string): Promise<ReadStage[]> => {
    const names: string[] = [];
    for (let token: string | undefined, first = true; first || token; first = false) {
      const page = await call('GetStagesV2', { apiId }, () =>
        deps.v2Client.send(new GetV2StagesCommand({ ApiId: apiId, NextToken: token })),
      );
      if (!page) break;
      names.push(...(page.Items ?? []).map((stage) => stage.StageName ?? ''));
      token = page.NextToken;
    }
    const read = await Promise.all(
      names.map((stageName) =>
        call('GetStageV2', { apiId, stageName }, () =>
          deps.v2Client.send(new GetV2StageCommand({ ApiId: apiId, StageName: stageName })),
        ),
      ),
    );
    return read.flatMap((stage, i) => (stage ? [{ apiType: 'V2', apiId, stageName: names[i]!, stage }] : []));
  };

  const stages = (await Promise.all([...restIds.map(readRest), ...v2Ids.map(readV2)])).flat();

  // Full rewrite: every stage read is put again, whether it changed or not.
  const capturedAt = now.toISOString();
  await Promise.all(
    stages.map(({ apiType, apiId, stageName, stage }) => {
      const body: Record<string, unknown> = { ...stage };
      delete body.$metadata;
      return deps.dynamo.send(
        new PutItemCommand({
          TableName: deps.tableName,
          Item: {
            PK: { S: `NAIVE#${scope.account}#${scope.region}` },
            SK: { S: `${apiType}#${apiId}#${stageName}` },
            capturedAt: { S: capturedAt },
            snapshot: { S: JSON.stringify(body) },
          },
        }),
      );
    }),
  );
  return { stagesRead: stages.length, calls, failures, itemsWritten: stages.length };
};
