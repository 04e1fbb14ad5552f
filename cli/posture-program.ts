import type { Command } from 'commander';
import type { PostureOptions } from './commands/posture';
import type { ReportOptions } from './commands/report';
import { DEFAULT_STORE_DIR } from './defaults';

/** What the posture commands need of the program main.ts builds. */
export interface PostureProgram {
  readonly program: Command;
  /** A command with the query commands' store, region, account and format options. */
  readonly queryCommand: (name: string, description: string, formats: readonly string[]) => Command;
  readonly exitCodesHelp: string;
  /** Load the command's implementation (lazily) and run it. */
  readonly runPosture: (options: PostureOptions) => Promise<void>;
  readonly runReport: (options: ReportOptions) => Promise<void>;
}

/** `stage-drift posture` and `stage-drift report --html`. */
export const addPostureCommands = ({
  program,
  queryCommand,
  exitCodesHelp,
  runPosture,
  runReport,
}: PostureProgram): void => {
  const postureRulesHelp =
    'a JSON file of your own posture rules, the `postureRules` setting\'s form (README "Posture")';
  queryCommand(
    'posture',
    'The stage × control matrix of the latest snapshots (Security Hub controls and your rules); exit 1 when a control fails.',
    ['text', 'json', 'markdown'],
  )
    .option('--api <id>', 'only this API')
    .option('--failing', 'only the stages that fail a control')
    .option('--posture-rules <file>', postureRulesHelp)
    .addHelpText(
      'after',
      `
Cells: ✓ pass, ✗ FAIL, – not applicable. The last line sums it up, e.g.
"3 stages, 2 failing: APIGateway.1 ×1, APIGateway.3 ×1". Exit 1 when a shown stage fails a control
(a CI gate), 0 when none does.

Examples:
  stage-drift posture
  stage-drift posture --failing --region eu-west-1 --format markdown >> "$GITHUB_STEP_SUMMARY"
  stage-drift posture --format json | jq '.stages[] | select(any(.controls[]; .status=="FAILED")) | .stageName'
  stage-drift posture --table StageDrift-SnapshotTable --posture-rules posture-rules.json
${exitCodesHelp}`,
    )
    .action(runPosture);

  program
    .command('report')
    .description(
      "Write one self-contained HTML page: the posture matrix, a drift timeline, each stage's history.",
    )
    .requiredOption('--html <file>', 'the HTML file to write')
    .option('--since <when>', 'the drift window: from 24h, 7d, 30m, 2w ago or an ISO-8601 time (default 30d)')
    .option('--store <dir>', `embedded store directory (default: ${DEFAULT_STORE_DIR})`)
    .option('--table <name>', 'read a deployed stage-drift DynamoDB table instead')
    .option('-r, --region <region>', 'only this region (also the region of --table)')
    .option('--account <id>', 'only this account')
    .option('--api <id>', 'only this API')
    .option('--failing', 'only the stages that fail a control')
    .option('--posture-rules <file>', postureRulesHelp)
    .addHelpText(
      'after',
      `
The page loads nothing from the network (inline CSS, SVG and script; a CSP forbids the rest), so it
opens from disk, an S3 link or a CI artifact. Stage variable values appear only as fingerprints.

Examples:
  stage-drift report --html report.html
  stage-drift report --html review.html --since 7d --region eu-west-1
  stage-drift report --html report.html --table StageDrift-SnapshotTable --since 2026-11-01
${exitCodesHelp}`,
    )
    .action(runReport);
};
