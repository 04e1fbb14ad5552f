import type { Command } from 'commander';
import { Option } from 'commander';
import type { AckOptions } from './commands/ack';
import type { FailuresOptions } from './commands/failures';
import type { RevertOptions } from './commands/revert';
import { DEFAULT_STORE_DIR } from './defaults';

/** What the commands that respond to a drift need of the program main.ts builds. */
export interface RespondProgram {
  readonly program: Command;
  readonly exitCodesHelp: string;
  /** Load the command's implementation (lazily) and run it. */
  readonly runAck: (eventId: string, options: AckOptions) => Promise<void>;
  readonly runRevert: (apiId: string, stageName: string, options: RevertOptions) => Promise<void>;
  readonly runFailures: (options: FailuresOptions) => Promise<void>;
}

const REVERT_HELP = `
The target: by default the version before the stage's latest drift event; --to picks the version
in force at a time (ISO-8601, a version's capturedAt from \`history\`, or 24h, 7d ago).

Always prints the plan first: the field changes (labels and severities as in drift events), the
calls (v1 UpdateStage patch operations, v2 UpdateStage, DeleteRouteSettings, CreateStage for a
deleted stage, TagResource/UntagResource, wafv2 AssociateWebACL) with the equivalent \`aws\` command
lines, and what no call can put back. Stage variable values print as fingerprints unless
--show-secrets. Without --yes it asks on a terminal and refuses elsewhere (exit 2). After the calls
it re-reads the stage and diffs it against the target: "converged" (exit 0, recorded as a REVERTED
event that history shows and the next scan takes as the stage's state), or the fields that still
differ (exit 1). The deployed monitor never reverts by itself: this runs with your credentials
(the IAM policy it needs is in the README, "Put it back").`;

/** `stage-drift ack`, `revert` and `failures`: responding to a drift, and to the monitor's own failures. */
export const addRespondCommands = ({
  program,
  exitCodesHelp,
  runAck,
  runRevert,
  runFailures,
}: RespondProgram): void => {
  program
    .command('failures')
    .description("Read the monitor's failure queue: what failed and was not retried further.")
    .option('--queue-url <url>', 'the stack output FailureQueueUrl (default: STAGE_DRIFT_FAILURE_QUEUE_URL)')
    .option('-r, --region <region>', "the queue's region (default: the one in its URL)")
    .option('--max <n>', 'read at most this many messages (1 to 1000)', '100')
    .option('--delete', 'delete the messages printed (the alarm goes back to OK once the queue is empty)')
    .addOption(new Option('--format <format>', 'text or JSON').choices(['text', 'json']).default('text'))
    .addHelpText(
      'after',
      `
One line per message, oldest first: what a scan or rescan could not read, a drift event a channel
refused, a scheduled run that failed or expired, a stream batch not processed, a CloudTrail event
that failed its rescans (docs/deploy.md, "The failure queue"). Reading hides the messages for two
minutes and deletes none; DeadLettersAlarm stays on until they are deleted (--delete).

Examples:
  stage-drift failures --queue-url https://sqs.eu-west-1.amazonaws.com/123456789012/StageDrift-MonitorFailureQueue
  stage-drift failures --format json > failures.json
  stage-drift failures --delete
${exitCodesHelp}`,
    )
    .action(runFailures);

  program
    .command('ack')
    .description('Acknowledge a drift event: who, when and why, stored on the event (no new alert).')
    .argument('<eventId>', 'the event id, or its first 8 or more hex digits (the ID column of `events`)')
    .option('--note <text>', 'why it is fine, or what is being done about it')
    .option('--by <name>', 'who acknowledges it (default: your ARN, from sts:GetCallerIdentity)')
    .option('--store <dir>', `embedded store directory (default: ${DEFAULT_STORE_DIR})`)
    .option('--table <name>', 'a deployed stage-drift DynamoDB table instead')
    .option('-r, --region <region>', 'the region of --table (and of STS)')
    .addHelpText(
      'after',
      `
Examples:
  stage-drift ack 3f9a1c2e --note 'planned: tracing on for the incident'
  stage-drift ack 3f9a1c2e7b4d4e0f9a8b7c6d5e4f3a2b --by alice --table StageDrift-SnapshotTable --region eu-west-1
${exitCodesHelp}`,
    )
    .action(runAck);

  program
    .command('revert')
    .description('Put a stage back to an earlier version: plan, confirm, apply, verify.')
    .argument('<apiId>', 'the API id')
    .argument('<stageName>', 'the stage name')
    .option(
      '--to <when>',
      "the version in force at this time (default: the one before the stage's latest drift)",
    )
    .option('--dry-run', 'print the plan and exit 0')
    .option('-y, --yes', 'apply without asking (needed off a terminal)')
    .option('--show-secrets', 'print stage variable values in the plan instead of their fingerprints')
    .option('--by <name>', 'who reverts, for the record (default: your ARN, from sts:GetCallerIdentity)')
    .option('--store <dir>', `embedded store directory (default: ${DEFAULT_STORE_DIR})`)
    .option('--table <name>', 'a deployed stage-drift DynamoDB table instead')
    .option('-r, --region <region>', "the stage's region (and of --table)")
    .option('--account <id>', "the stage's account, when the store holds several")
    .addOption(
      new Option('--format <format>', 'the plan as text or JSON').choices(['text', 'json']).default('text'),
    )
    .addHelpText(
      'after',
      `${REVERT_HELP}

Examples:
  stage-drift revert a1b2c3 prod --dry-run
  stage-drift revert a1b2c3 prod --to 2026-11-20T08:00:00Z
  stage-drift revert a1b2c3 prod --table StageDrift-SnapshotTable --region eu-west-1 --yes
${exitCodesHelp}`,
    )
    .action(runRevert);
};
