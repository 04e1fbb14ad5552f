import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import type { ApiType } from '../shared/model';
import { apiTypesOf, SEVERITIES } from '../shared/model';
import { toAwsUsageError } from './aws-errors';
import type * as AckCommand from './commands/ack';
import type * as RevertCommand from './commands/revert';
import type * as FailuresCommand from './commands/failures';
import type * as DiffCommand from './commands/diff';
import type * as EventsCommand from './commands/events';
import type { EventsOptions } from './commands/events';
import type * as HistoryCommand from './commands/history';
import type { HistoryOptions } from './commands/history';
import type * as PublishCommand from './commands/publish';
import type { PublishCommandOptions } from './commands/publish';
import type * as PostureCommand from './commands/posture';
import { parsePositiveInt } from './commands/query-support';
import type * as ReportCommand from './commands/report';
import type * as ScanCommand from './commands/scan';
import type { ScanCommandOptions } from './commands/scan';
import type * as ShowCommand from './commands/show';
import type { ShowOptions } from './commands/show';
import type * as StagesCommand from './commands/stages';
import type { StagesOptions } from './commands/stages';
import { DEFAULT_STORE_DIR, EXIT_CODES_HELP, OUTBOX_HELP } from './defaults';
import type { ReportFormat } from './format/drift-report';
import { REPORT_FORMATS } from './format/drift-report';
import type { CliIo } from './io';
import { addPostureCommands } from './posture-program';
import { addRespondCommands } from './respond-program';
import { EXIT, nowOf, processIo } from './io';

/*
 * Each command's implementation is loaded when that command runs, never at start: `--help` and
 * `diff` load neither the AWS SDK nor the embedded store (issue 14). What is imported above
 * (definitions, help text, option parsers) must stay that light: test/cli/lazy-loading.test.ts
 * checks it. `require`, not `import()`: the CLI is CommonJS, and under NodeNext an `import()`
 * stays a real ES import, which needs `.js` specifiers and which jest runs only with
 * --experimental-vm-modules.
 */
/* eslint-disable @typescript-eslint/no-require-imports -- loaded on first use, on purpose */
const commands = {
  diff: () => require('./commands/diff') as typeof DiffCommand,
  scan: () => require('./commands/scan') as typeof ScanCommand,
  publish: () => require('./commands/publish') as typeof PublishCommand,
  events: () => require('./commands/events') as typeof EventsCommand,
  history: () => require('./commands/history') as typeof HistoryCommand,
  ack: () => require('./commands/ack') as typeof AckCommand,
  revert: () => require('./commands/revert') as typeof RevertCommand,
  failures: () => require('./commands/failures') as typeof FailuresCommand,
  show: () => require('./commands/show') as typeof ShowCommand,
  stages: () => require('./commands/stages') as typeof StagesCommand,
  posture: () => require('./commands/posture') as typeof PostureCommand,
  report: () => require('./commands/report') as typeof ReportCommand,
};
/* eslint-enable @typescript-eslint/no-require-imports */

const collect = (value: string, previous: string[]): string[] => [...previous, value];
const parseNumber = (value: string): number => {
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n))
    throw new InvalidArgumentError(`expected a number, got "${value}"`);
  return n;
};

/** Commander's errors as one line: `error: unknown option '--sinse'\n(Did you mean --since?)`. */
const oneLineError = (text: string): string =>
  `stage-drift: ${text
    .replace(/^error: /, '')
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean)
    .join(' ')} (run with --help for usage)\n`;

/** The alert channels of `scan` and `publish`. */
const withPublishOptions = (command: Command): Command =>
  command
    .option('--sns-topic-arn <arn>', 'publish each drift event to this SNS topic')
    .option(
      '--slack-webhook-url <url>',
      'post drift alerts to this Slack incoming webhook (prefer the STAGE_DRIFT_SLACK_WEBHOOK_URL env var)',
    )
    .addOption(
      new Option('--slack-min-severity <s>', 'lowest severity sent to Slack (default MEDIUM)').choices(
        SEVERITIES,
      ),
    );

const buildProgram = (io: CliIo, setExit: (code: number) => void): Command => {
  const program = new Command('stage-drift')
    .description('Drift monitor for Amazon API Gateway stages (REST, HTTP and WebSocket APIs).')
    .version('0.1.0')
    .configureOutput({
      writeOut: io.stdout,
      writeErr: io.stderr,
      outputError: (text, write) => write(oneLineError(text)),
    })
    .exitOverride()
    .addHelpText(
      'after',
      `
Examples:
  stage-drift scan --region eu-west-1            # the first scan is a baseline, later ones report drift
  stage-drift events --since 24h
  stage-drift history a1b2c3 prod
  stage-drift diff before.json after.json
  stage-drift <command> --help                   # options and examples of one command
${EXIT_CODES_HELP}`,
    );

  program
    .command('diff')
    .description(
      'Diff two `get-stages` (or `get-stage`) JSON documents offline and rank the drift by severity.',
    )
    .argument('<before>', 'JSON file: the earlier stages document')
    .argument('<after>', 'JSON file: the later stages document')
    .addOption(new Option('-f, --format <format>', 'output format').choices(REPORT_FORMATS).default('text'))
    .addOption(
      new Option('--api-type <type>', 'API type of v2 documents when it cannot be inferred').choices(
        apiTypesOf('V2'),
      ),
    )
    .option('--reveal-variable <name>', 'show the values of this stage variable (repeatable)', collect, [])
    .option(
      '--ignore-path <pattern>',
      "ignore changes under a dot path pattern, e.g. 'tags.**' (repeatable)",
      collect,
      [],
    )
    .option(
      '--allow-partial',
      'diff a page of get-stages (it has a NextToken) or one stage against a list: stages one side lacks are not reported as created or deleted',
    )
    .addHelpText(
      'after',
      `
Inputs: the output of \`aws apigateway get-stages\` ({"item":[...]}), \`aws apigatewayv2 get-stages\`
({"Items":[...]}), the raw REST form ({"items":[...]} or HAL {"_embedded":{"item":[...]}}), or one stage.
A page of a listing (NextToken) or one stage against a list is refused unless --allow-partial.
HTTP vs WebSocket is decided once for both documents (a WebSocket-only member on either side).
Members stage-drift does not know are not compared and are named on stderr.
Stage variable values are shown as keyed fingerprints; set STAGE_DRIFT_FINGERPRINT_KEY to make them
comparable across runs.

Examples:
  aws apigateway get-stages --rest-api-id a1b2c3 > before.json   # ... later: > after.json
  stage-drift diff before.json after.json
  stage-drift diff examples/rest/before.json examples/rest/after.json --format json | jq '.drifts[].severity'
  stage-drift diff examples/http/before.json examples/http/after.json --format markdown
${EXIT_CODES_HELP}`,
    )
    .action(
      async (
        before: string,
        after: string,
        options: {
          format: ReportFormat;
          apiType?: ApiType;
          revealVariable: string[];
          ignorePath: string[];
          allowPartial?: boolean;
        },
      ) => {
        setExit(await commands.diff().runDiffCommand(before, after, options, io));
      },
    );

  const scan = program
    .command('scan')
    .description('Snapshot every API Gateway stage of the account and report drift since the last scan.')
    .option(
      '-r, --region <region>',
      'region to scan (repeatable; default: AWS_REGION or the profile region)',
      collect,
      [],
    )
    .option('--store <dir>', `embedded store directory (default: ${DEFAULT_STORE_DIR})`)
    .option('--table <name>', 'scan into a deployed stage-drift DynamoDB table instead of the embedded store')
    .addOption(new Option('-f, --format <format>', 'output format').choices(['text', 'json']).default('text'))
    .option(
      '--requests-per-second <n>',
      'management-API budget of this scan (default 3; the account has 10/s)',
      parseNumber,
    )
    .option('--concurrency <n>', 'control-plane calls in flight (default 4)', parseNumber)
    .addOption(
      new Option(
        '--out-of-band <mode>',
        'attribute drift from CloudTrail and leave out (suppress) or lower to INFO (downgrade) changes made by CloudFormation or Terraform',
      ).choices(['suppress', 'downgrade']),
    )
    .option(
      '--account <id>',
      "account to scan (repeatable; default: your credentials' account); others through their reader role",
      collect,
      [],
    )
    .option('--role-name <name>', 'the reader role to assume in each --account (default StageDriftReader)')
    .option('--external-id <id>', "the reader role's external id (or STAGE_DRIFT_EXTERNAL_ID)")
    .option(
      '-q, --quiet',
      'no progress line on the terminal (also off with NO_COLOR or when stderr is piped)',
    )
    .option(
      '--security-hub',
      'import the posture changes as Security Hub findings in your account (securityhub:BatchImportFindings)',
    );
  withPublishOptions(scan)
    .addHelpText(
      'after',
      `
Credentials come from the default AWS chain (AWS_PROFILE, env vars, SSO, instance roles).
AWS_ENDPOINT_URL is honoured, so the same command runs against moto or LocalStack.
The first scan of an account and region is a baseline; later scans report drift against it.
With --account, every other account is read through its StageDriftReaderRole (docs/multi-account.md);
an account whose role refuses you is reported and skipped (exit 3), never taken for empty.

Examples:
  stage-drift scan --region eu-west-1
  stage-drift scan --region eu-west-1 --region us-east-1 --format json | jq '.events[] | {stageName, severity}'
  stage-drift scan --table StageDrift-SnapshotTable --region eu-west-1
  stage-drift scan --region eu-west-1 --out-of-band suppress   # needs cloudtrail:LookupEvents
  stage-drift scan --region eu-west-1 --security-hub           # findings for failing controls, fixes resolve them
  stage-drift scan --region eu-west-1 --account 111122223333 --account 444455556666 --external-id drift-2026
  STAGE_DRIFT_SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... stage-drift scan --sns-topic-arn arn:aws:sns:eu-west-1:123456789012:drift
  AWS_ENDPOINT_URL=http://127.0.0.1:5000 stage-drift scan --region us-east-1 --store /tmp/sd
${OUTBOX_HELP}
${EXIT_CODES_HELP}`,
    )
    .action(async (options: ScanCommandOptions) => {
      setExit(await commands.scan().runScanCommand(options, io));
    });

  withPublishOptions(
    program
      .command('publish')
      .description('Send the alerts still pending (an earlier scan could not deliver them), oldest first.')
      .option('--store <dir>', `embedded store directory (default: ${DEFAULT_STORE_DIR})`)
      .option('--table <name>', 'the outbox of a deployed stage-drift DynamoDB table instead')
      .option('-r, --region <region>', 'the region of --table'),
  )
    .addHelpText(
      'after',
      `
Examples:
  stage-drift publish --sns-topic-arn arn:aws:sns:eu-west-1:123456789012:drift
  STAGE_DRIFT_SLACK_WEBHOOK_URL=https://hooks.slack.com/services/... stage-drift publish --store /tmp/sd
${OUTBOX_HELP}
${EXIT_CODES_HELP}`,
    )
    .action(async (options: PublishCommandOptions) =>
      setExit(await commands.publish().runPublishCommand(options, io)),
    );

  const queryCommand = (name: string, description: string, formats: readonly string[]) =>
    program
      .command(name)
      .description(description)
      .option('--store <dir>', `embedded store directory (default: ${DEFAULT_STORE_DIR})`)
      .option('--table <name>', 'read a deployed stage-drift DynamoDB table instead')
      .option('-r, --region <region>', 'only this region (also the region of --table)')
      .option('--account <id>', 'only this account')
      .addOption(
        // The default is one of the choices: `show` prints JSON only.
        new Option('-f, --format <format>', 'output format')
          .choices(formats)
          .default(formats.includes('text') ? 'text' : formats[0]),
      );

  queryCommand('events', 'List drift events, newest first.', ['text', 'json', 'markdown'])
    .option('--since <when>', 'from this time: 24h, 7d, 30m, 2w or ISO-8601 (default: the retention period)')
    .option('--until <when>', 'up to this time (default: now)')
    .addOption(new Option('--severity <min>', 'only this severity and worse').choices(SEVERITIES))
    .option('--api <id>', 'only this API')
    .option('--stage <name>', 'only this stage name')
    .option('--limit <n>', 'at most n events', parsePositiveInt, 50)
    .option(
      '--status <s>',
      'only open, acknowledged or reverted events (repeatable, or comma-separated)',
      collect,
      [],
    )
    .addHelpText(
      'after',
      `
Examples:
  stage-drift events --since 24h
  stage-drift events --severity HIGH --region eu-west-1 --format markdown
  stage-drift events --api a1b2c3 --stage prod --format json | jq '.events[0].changes'
  stage-drift events --status open              # not acknowledged, not reverted
${EXIT_CODES_HELP}`,
    )
    .action(async (options: EventsOptions) =>
      setExit(await commands.events().runEventsCommand(options, io, nowOf(io))),
    );

  queryCommand('history', 'Every version of one stage, newest first, with what changed in each.', [
    'text',
    'json',
  ])
    .argument('<apiId>', 'the API id (REST, HTTP or WebSocket)')
    .argument('<stageName>', 'the stage name')
    .addHelpText(
      'after',
      `
Examples:
  stage-drift history a1b2c3 prod
  stage-drift history a1b2c3 prod --region eu-west-1 --format json
${EXIT_CODES_HELP}`,
    )
    .action(async (apiId: string, stageName: string, options: HistoryOptions) =>
      setExit(await commands.history().runHistoryCommand(apiId, stageName, options, io)),
    );

  queryCommand('show', 'The stage as it was at a time (default: now), as canonical JSON.', ['json'])
    .argument('<apiId>', 'the API id')
    .argument('<stageName>', 'the stage name')
    .option('--at <when>', 'the time: ISO-8601, or 24h, 7d, 30m, 2w ago (default: now)')
    .option('--show-secrets', 'print stage variable values instead of their fingerprints')
    .addHelpText(
      'after',
      `
Examples:
  stage-drift show a1b2c3 prod
  stage-drift show a1b2c3 prod --at 2026-11-01T12:00:00Z | jq '.config.methodSettings'
  stage-drift show a1b2c3 prod --at 7d            # as it was a week ago
  stage-drift show a1b2c3 prod --show-secrets     # stage variable values instead of fingerprints
${EXIT_CODES_HELP}`,
    )
    .action(async (apiId: string, stageName: string, options: ShowOptions) =>
      setExit(await commands.show().runShowCommand(apiId, stageName, options, io, nowOf(io))),
    );

  queryCommand('stages', 'The latest snapshot of every stage, one line each.', ['text', 'json', 'markdown'])
    .option('--api <id>', 'only this API')
    .addHelpText(
      'after',
      `
Examples:
  stage-drift stages
  stage-drift stages --region eu-west-1 --format json | jq -r '.stages[] | select(.lastSeverity=="HIGH") | .stageName'
${EXIT_CODES_HELP}`,
    )
    .action(async (options: StagesOptions) => setExit(await commands.stages().runStagesCommand(options, io)));

  addRespondCommands({
    program,
    exitCodesHelp: EXIT_CODES_HELP,
    runAck: async (eventId, options) => setExit(await commands.ack().runAckCommand(eventId, options, io)),
    runRevert: async (apiId, stageName, options) =>
      setExit(await commands.revert().runRevertCommand(apiId, stageName, options, io)),
    runFailures: async (options) => setExit(await commands.failures().runFailuresCommand(options, io)),
  });

  addPostureCommands({
    program,
    queryCommand,
    exitCodesHelp: EXIT_CODES_HELP,
    runPosture: async (options) => setExit(await commands.posture().runPostureCommand(options, io)),
    runReport: async (options) => setExit(await commands.report().runReportCommand(options, io, nowOf(io))),
  });

  return program;
};

/** Runs the CLI; returns the exit code. Errors become one line on stderr. */
export const main = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  let exitCode: number = EXIT.ok;
  const program = buildProgram(io, (code) => {
    exitCode = code;
  });
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return exitCode;
  } catch (error) {
    if (error instanceof CommanderError) {
      // Help and version end here too, with exit code 0; commander already printed the message.
      return error.exitCode === 0 ? EXIT.ok : EXIT.usage;
    }
    if (error instanceof InvalidArgumentError) {
      io.stderr(`stage-drift: ${error.message}\n`);
      return EXIT.usage;
    }
    // A missing table, no credentials, an unreachable endpoint: one line that says what to fix.
    const endpoint = io.env.AWS_ENDPOINT_URL;
    const usage = toAwsUsageError(error, { doing: 'reading the store', ...(endpoint ? { endpoint } : {}) });
    if (usage) {
      io.stderr(`stage-drift: ${usage.message}\n`);
      return EXIT.usage;
    }
    throw error;
  }
};
