import { sdkDefaultRegion } from '../../shared/clients';
import type { CliIo } from '../io';
import { createScanCommandDeps } from './scan-deps';
import type { ScanCommandOptions } from './scan-request';
import { parseScanRequest } from './scan-request';
import { reportScan, scanExitCode } from './scan-result';
import { fileScanFindings } from './scan-findings';
import { deliverScanEvents, scanAccounts } from './scan-run';

export type { ScanCommandOptions } from './scan-request';

/**
 * `stage-drift scan`: the scan use case on a laptop, into the embedded store or a deployed table.
 * Parse the options, build the deps, run the scan, report it and deliver its alerts.
 */
export const runScanCommand = async (options: ScanCommandOptions, io: CliIo): Promise<number> => {
  const request = await parseScanRequest(options, io, sdkDefaultRegion);
  const deps = await createScanCommandDeps(request, io);
  let finished = false;
  try {
    const outcome = await scanAccounts(deps, request, io);
    deps.progress?.stop(); // before the report, so it starts on a clean line
    finished = true;
    reportScan(outcome, request, io);
    await fileScanFindings(deps, request, outcome, io);
    const delivered = await deliverScanEvents(deps, outcome, io);
    return scanExitCode(outcome, delivered);
  } finally {
    // A scan that failed before its summary leaves no new, empty store behind.
    await deps.close({ discard: !finished });
  }
};
