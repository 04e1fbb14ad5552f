import { SQSClient } from '@aws-sdk/client-sqs';
import { createAttributionClients, createScopeClientCache } from '../../shared/clients';
import type { CollectDeps } from '../../shared/collect';
import type { EnvConfig, FanOutConfig } from '../../shared/config';
import type { ScanDeps, ScanScope, ScanTask } from '../../shared/scan';
import { systemClock } from '../../shared/runtime';
import { cloudTrailAttribution } from '../../shared/scan';
import type { ConsumeDeps, TaskScopePolicy } from './fan-out';
import { MemberCredentials } from '../../shared/credentials';
import { createAdaptiveScans } from './adaptive-deps';
import { memberTrailClients } from './member-attribution';
import { createOwnAccountDeps } from './own-account-deps';
import { SqsTaskQueue } from './task-queue';

export interface SnapshotDeps {
  readonly deps: ScanDeps;
  readonly account: string;
  /** Set in fan-out mode (`STAGE_DRIFT_TASK_QUEUE_URL`): the task consumer's (the planner has its own function). */
  readonly fanOut?: {
    readonly config: FanOutConfig;
    readonly consume: ConsumeDeps;
    /** What a task message may name (checked before anything is scanned). */
    readonly policy: TaskScopePolicy;
  };
}

/**
 * Clients for a task: the function's own for its own account, else clients signed with the
 * member account's reader role. The role is assumed first, so a refusal fails the task before
 * any budget is spent (`ScopeAccessError`); the clients then renew the credentials themselves.
 */
const taskClients = (
  credentials: MemberCredentials,
  own: (scope: ScanScope) => CollectDeps,
): ((task: ScanTask) => Promise<CollectDeps>) => {
  const members = createScopeClientCache({ members: credentials });
  return async (task) => {
    const { roleArn, externalId, region } = task;
    if (roleArn === undefined) return own(task);
    await credentials.credentialsFor(roleArn, externalId);
    return members.clientsFor(region, { roleArn, externalId });
  };
};

/** Everything the snapshot handler needs, built once per container. */
export const createScanDeps = async (config: EnvConfig): Promise<SnapshotDeps> => {
  const own = await createOwnAccountDeps(config);
  const { sts, clientsFor } = own;
  const members = config.fanOut ? new MemberCredentials({ sts }) : undefined;
  // Adaptive full scans (STAGE_DRIFT_FULL_SCAN_INTERVAL): a full scan only when due (scan-mode.ts).
  const adaptive = createAdaptiveScans(config, {
    ownAccount: own.account,
    monitorRegion: process.env.AWS_REGION,
    ...(members ? { members } : {}),
    eventForwarders: config.eventForwarders === true,
  });
  // Attribution of a scheduled scan: one LookupEvents lookup per scope (cloudtrail:LookupEvents).
  const deps: ScanDeps = {
    ...own.deps,
    // Member accounts' lookups through their reader roles (cloudtrail:LookupEvents with attribution: true).
    attribution: cloudTrailAttribution(
      own.account,
      createAttributionClients().clientFor,
      systemClock,
      config.fanOut && members ? memberTrailClients(config.fanOut, own, members) : undefined,
    ),
    ...(adaptive ? { adaptive } : {}),
  };
  if (!config.fanOut) return { account: own.account, deps };

  // Continuations of a scope that ran out of time go back on the task queue.
  const queue = new SqsTaskQueue(new SQSClient({}), config.fanOut.taskQueueUrl);
  return {
    account: own.account,
    deps,
    fanOut: {
      config: config.fanOut,
      policy: {
        ownAccount: own.account,
        partition: own.partition,
        regions: config.regions,
        fanOut: config.fanOut,
      },
      consume: {
        ...deps,
        queue,
        clientsForTask: taskClients(members ?? new MemberCredentials({ sts }), clientsFor),
      },
    },
  };
};
