import type { Logger } from '@aws-lambda-powertools/logger';
import { SQSClient, SendMessageCommand } from '@aws-sdk/client-sqs';
import type { ScanFailureContext, ScanFailureReport, ScanSummary } from '../../shared/scan';
import { scanFailureReport } from '../../shared/scan';

/** Where the scanning functions report what they could not read: the monitor's failure queue. */
export interface FailureReports {
  /** Sends `report`; throws when it could not be sent (the caller fails its invocation then). */
  send(report: ScanFailureReport): Promise<void>;
  /** Sends the report of `summary`'s failures, if it has any (throws as `send`). */
  sendFailuresOf(summary: Pick<ScanSummary, 'scopes'>, context: ScanFailureContext): Promise<void>;
}

/**
 * The failure queue on SQS (`STAGE_DRIFT_FAILURE_QUEUE_URL`), whose alarm pages on its first
 * message; without a queue (a function run by hand), the report is logged only. Every report is
 * also logged, so the log group has it whether or not the queue took it.
 */
export const createFailureReports = (queueUrl: string | undefined, logger: Logger): FailureReports => {
  let client: SQSClient | undefined;
  const reports: FailureReports = {
    async sendFailuresOf(summary, context) {
      const report = scanFailureReport(summary, context);
      if (report) await reports.send(report);
    },
    async send(report) {
      logger.error('scan failure reported', {
        source: report.source,
        scopes: report.scopes.map((s) => `${s.account}/${s.region}`),
        ...(report.error ? { error: report.error } : {}),
        failureQueue: queueUrl ? 'sent' : 'none configured',
      });
      if (!queueUrl) return;
      client ??= new SQSClient({});
      await client.send(
        new SendMessageCommand({
          QueueUrl: queueUrl,
          MessageBody: JSON.stringify(report),
          MessageAttributes: {
            kind: { DataType: 'String', StringValue: report.kind },
            source: { DataType: 'String', StringValue: report.source },
          },
        }),
      );
    },
  };
  return reports;
};
