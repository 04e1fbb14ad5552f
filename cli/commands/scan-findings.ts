import type { FindingsImportSummary } from '../../shared/findings';
import { describeFindingsImport, exportPostureFindings } from '../../shared/findings';
import { compilePostureRules, DEFAULT_CONTROLS } from '../../shared/posture';
import { systemClock } from '../../shared/runtime';
import type { CliIo } from '../io';
import type { ScanCommandDeps } from './scan-deps';
import type { ScanRequest } from './scan-request';
import type { ScanOutcome } from './scan-run';

/**
 * `--security-hub`: the scan's posture changes (a baseline's every stage, else what moved) as
 * findings in the caller's account, in each stage's region. Reported on one line (stdout for
 * text, stderr beside JSON), failures as warnings: never fails the scan.
 */
export const fileScanFindings = async (
  deps: Pick<ScanCommandDeps, 'securityHub'>,
  request: Pick<ScanRequest, 'config' | 'format' | 'securityHub'>,
  outcome: ScanOutcome,
  io: CliIo,
): Promise<FindingsImportSummary | undefined> => {
  if (!request.securityHub || !deps.securityHub) return undefined;
  if (!outcome.caller) {
    io.stderr('stage-drift: warning: Security Hub: STS named no account, so no findings were imported\n');
    return undefined;
  }
  const summary = await exportPostureFindings(
    {
      clientFor: deps.securityHub.clientFor,
      target: outcome.caller,
      clock: systemClock,
      controls: [...DEFAULT_CONTROLS, ...compilePostureRules(request.config.postureRules ?? [])],
    },
    outcome.summary.postureChanges ?? [],
    new Date(outcome.summary.startedAt),
  );
  const line = `${describeFindingsImport(summary)}\n`;
  if (request.format === 'json') io.stderr(line);
  else io.stdout(line);
  for (const warning of summary.warnings) io.stderr(`stage-drift: warning: ${warning}\n`);
  return summary;
};
