import { Duration, Stack } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import { grantSendTo } from '../grants';
import { FUNCTION_MEMORY_MB, MonitorFunction } from '../monitor-function';
import type { FanOutSettings, MonitorSettings } from '../monitor-settings';
import { acknowledgeWildcardResource } from '../nag-acknowledgements';
import { PLANNER_ENTRY, PLANNER_SERVICE } from '../runtime-contract';

/**
 * The planner lists the OU tree and sends one message per account + region, ten per call: seconds
 * for thousands of tasks. Five minutes leaves room for Organizations' throttling retries.
 */
export const PLANNER_TIMEOUT = Duration.minutes(5);

export interface FanOutProps {
  /** The targets: accounts, the OU, the reader role, how many scans at once. */
  readonly fanOut: FanOutSettings;
  readonly settings: Pick<MonitorSettings, 'regions' | 'logRetention'>;
  /** Named in the planner's environment only: the shared settings loader requires it. */
  readonly table: ITable;
  /** One message per account + region task; the planner sends, the snapshot function consumes. */
  readonly taskQueue: IQueue;
  /** The scanning function: becomes the task queue's consumer. */
  readonly snapshot: MonitorFunction;
}

/**
 * Fan-out mode: the snapshot function as the consumer of the task queue (and the permissions that
 * takes: consume the queue, enqueue continuations, assume the reader roles), and the planner,
 * created in `scope` as `PlannerFunction`, which the schedule invokes instead.
 *
 * The planner lists the targets (the OU tree, with an OU) and enqueues one task per account +
 * region; its role can do nothing else: no API Gateway, table, CloudTrail or STS access, and only
 * SendMessage (with the key's producer actions: grants.ts) on the task queue. The scanning
 * function carries no Organizations client and its role no Organizations permission.
 */
export class FanOut {
  readonly planner: MonitorFunction;

  constructor(scope: Construct, props: FanOutProps) {
    consumeTasks(scope, props);
    this.planner = createPlanner(scope, props);
  }
}

/**
 * The consumer side: one task per invocation, at most `maxConcurrentScans` at once (FIFO groups
 * keep each scope to one); continuations (a chunk that ran out of time) go on the queue the tasks
 * came from; the reader roles of the target accounts, or of the OU's accounts, may be assumed.
 * Listing the OU is the planner's.
 */
const consumeTasks = (scope: Construct, { fanOut, taskQueue, snapshot }: FanOutProps): void => {
  snapshot.function.addEventSource(
    new SqsEventSource(taskQueue, {
      batchSize: 1,
      maxConcurrency: fanOut.maxConcurrentScans,
      reportBatchItemFailures: true,
    }),
  );
  grantSendTo(snapshot.role, taskQueue);

  grantAssumeReaderRoles(scope, snapshot, fanOut);
};

/**
 * Lets `fn` assume the reader role of the target accounts (but the stack's own), or of the OU's
 * accounts (any account, conditioned on `aws:ResourceOrgPaths`): the snapshot function for the
 * scans, the rescan function for the member accounts' forwarded events.
 */
export const grantAssumeReaderRoles = (
  scope: Construct,
  fn: MonitorFunction,
  fanOut: Pick<FanOutSettings, 'targetAccounts' | 'targetOrganizationalUnit' | 'readerRoleName'>,
): void => {
  const stack = Stack.of(scope);
  const roleArn = (account: string) => `arn:${stack.partition}:iam::${account}:role/${fanOut.readerRoleName}`;
  const accounts = fanOut.targetAccounts.filter((account) => account !== stack.account);
  if (accounts.length > 0) {
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeReaderRoles',
        actions: ['sts:AssumeRole'],
        resources: accounts.map(roleArn),
      }),
    );
  }
  if (fanOut.targetOrganizationalUnit) {
    const ou = fanOut.targetOrganizationalUnit;
    // The OU's accounts are known only at run time: the reader role in any account, but only
    // one that belongs to the OU (or a child OU) by its organization path.
    fn.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'AssumeReaderRolesInOrganizationalUnit',
        actions: ['sts:AssumeRole'],
        resources: [roleArn('*')],
        conditions: { 'ForAnyValue:StringLike': { 'aws:ResourceOrgPaths': [`*/${ou}/*`] } },
      }),
    );
    acknowledgeWildcardResource(
      fn,
      roleArn('*'),
      `The accounts of ${ou} are resolved at run time, so the account is a wildcard; the statement is ` +
        'sts:AssumeRole on the reader role name only, and only for a role whose account is in that OU ' +
        '(aws:ResourceOrgPaths). Each reader role also trusts only this account, with the external id.',
    );
  }
};

/**
 * The schedule's target. Reserved concurrency 1: one plan at a time (a retried tick enqueues
 * nothing twice anyway: the deduplication ids name the tick).
 */
const createPlanner = (
  scope: Construct,
  { fanOut, settings, table, taskQueue }: FanOutProps,
): MonitorFunction => {
  // The table's name only because the shared settings loader requires it; the role cannot touch it.
  const environment: Record<string, string> = {
    [ENV.table]: table.tableName,
    [ENV.taskQueueUrl]: taskQueue.queueUrl,
    [ENV.readerRoleName]: fanOut.readerRoleName,
  };
  if (settings.regions !== undefined) environment[ENV.regions] = settings.regions.join(',');
  if (fanOut.targetAccounts.length > 0) environment[ENV.targetAccounts] = fanOut.targetAccounts.join(',');
  if (fanOut.targetOrganizationalUnit)
    environment[ENV.targetOrganizationalUnit] = fanOut.targetOrganizationalUnit;

  const planner = new MonitorFunction(scope, 'PlannerFunction', {
    entry: PLANNER_ENTRY,
    description: 'stage-drift: plans one scan task per account and region (fan-out)',
    serviceName: PLANNER_SERVICE,
    timeout: PLANNER_TIMEOUT,
    memorySize: FUNCTION_MEMORY_MB.planner,
    environment,
    logRetention: settings.logRetention,
    reservedConcurrentExecutions: 1,
  });
  grantSendTo(planner.role, taskQueue);
  const ou = fanOut.targetOrganizationalUnit;
  if (ou) {
    planner.allowOnEveryResource(
      'ListOrganizationalUnitAccountsPolicy',
      {
        sid: 'ListOrganizationalUnitAccounts',
        actions: ['organizations:ListAccountsForParent', 'organizations:ListOrganizationalUnitsForParent'],
      },
      `organizations:ListAccountsForParent and ListOrganizationalUnitsForParent, called on ${ou} and the ` +
        'OUs below it to resolve their accounts, have no resource-level permissions (the Service ' +
        'Authorization Reference lists no resource type for them), so they are granted on *. Both are ' +
        'read-only and list account and OU ids and names only.',
    );
  }
  return planner;
};
