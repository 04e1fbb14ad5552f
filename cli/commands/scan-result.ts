import { renderScanJson, renderScanText } from '../format/scan-report';
import type { CliIo } from '../io';
import { EXIT } from '../io';
import type { ScanRequest } from './scan-request';
import type { ScanOutcome } from './scan-run';

/** The scan's report on stdout (text or JSON), then each account not scanned on stderr. */
export const reportScan = (outcome: ScanOutcome, request: Pick<ScanRequest, 'format'>, io: CliIo): void => {
  io.stdout(request.format === 'json' ? renderScanJson(outcome.summary) : renderScanText(outcome.summary));
  for (const line of outcome.refused) io.stderr(`not scanned: ${line}\n`);
};

/** Undelivered alerts first, then a partial scan (a refused account, a failed API), then drift. */
export const scanExitCode = (outcome: ScanOutcome, delivered: boolean): number => {
  if (!delivered) return EXIT.notDelivered;
  const { summary, refused } = outcome;
  if (refused.length > 0 || summary.scopes.some((s) => s.failures.length > 0)) return EXIT.partial;
  return summary.events.length > 0 ? EXIT.drift : EXIT.ok;
};
