import { OrganizationsClient } from '@aws-sdk/client-organizations';
import { SQSClient } from '@aws-sdk/client-sqs';
import type { FanOutConfig } from '../../shared/config';
import { listActiveAccounts } from './organization-accounts';
import type { PlanDeps } from './plan-run';
import { SqsTaskQueue } from './task-queue';

/** What the planner builds once per container; its own account comes with each invocation. */
export type PlannerDeps = Omit<PlanDeps, 'ownAccount' | 'partition'>;

/**
 * The planner's clients: SQS for the task queue, and Organizations, built on first use (only a
 * monitor with a target OU calls it). No STS, API Gateway or DynamoDB client.
 */
export const createPlannerDeps = (fanOut: FanOutConfig): PlannerDeps => {
  let organizations: OrganizationsClient | undefined;
  return {
    queue: new SqsTaskQueue(new SQSClient({}), fanOut.taskQueueUrl),
    listOrganizationAccounts: (ouId) => {
      // Organizations is a global service with one endpoint, in us-east-1 (aws-cn and GovCloud: their own).
      organizations ??= new OrganizationsClient({});
      return listActiveAccounts(organizations, ouId);
    },
  };
};

const FUNCTION_ARN = /^arn:(aws[a-z-]*):lambda:[a-z0-9-]+:(\d{12}):function:/;

/**
 * The account and partition the function runs in, read from the ARN it was invoked with: no
 * `sts:GetCallerIdentity`, so the planner carries no STS client.
 */
export const functionIdentity = (invokedFunctionArn: string): Pick<PlanDeps, 'ownAccount' | 'partition'> => {
  const match = FUNCTION_ARN.exec(invokedFunctionArn);
  if (!match) {
    throw new Error(`the invoked function ARN ${JSON.stringify(invokedFunctionArn)} names no account`);
  }
  return { partition: match[1]!, ownAccount: match[2]! };
};
