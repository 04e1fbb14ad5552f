import type { FanOutConfig } from '../../shared/config';
import type { ScanTaskDeps, ScanTaskResult } from '../../shared/scan';
import { runScanTask } from '../../shared/scan';
import type { TaskQueue } from './task-queue';
import { continuationMessage, parseTask } from './task-queue';

export interface ConsumeDeps extends ScanTaskDeps {
  readonly queue: TaskQueue;
}

/**
 * One task message: scans its scope until the deadline and enqueues the continuation, if any,
 * before returning (so a lost continuation fails the message, which SQS then delivers again).
 * Throws `TaskMessageError` for a body that does not parse.
 */
export const consumeTask = async (
  deps: ConsumeDeps,
  body: string,
  fanOut: Pick<FanOutConfig, 'externalId'>,
  options: { now: Date; deadlineMs: number },
): Promise<ScanTaskResult> => {
  const task = parseTask(body, fanOut.externalId);
  const result = await runScanTask(deps, task, options);
  if (result.next) await deps.queue.send([continuationMessage(result.next)]);
  return result;
};
