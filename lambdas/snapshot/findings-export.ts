import type { EnvConfig } from '../../shared/config';
import type { PostureControl } from '../../shared/posture';
import type { ScanSummary } from '../../shared/scan';
import type { ScanTelemetry } from './scan-metrics';

/** What a handler's summary line says of the import. */
export interface FindingsTotals {
  readonly securityHubImported: number;
  readonly securityHubFailures: number;
}

export type FindingsExport = (
  summary: ScanSummary,
  scope: { readonly account: string; readonly controls?: readonly PostureControl[] },
  telemetry: ScanTelemetry,
) => Promise<FindingsTotals>;

/**
 * `STAGE_DRIFT_SECURITY_HUB`: after a scan, its posture changes as Security Hub findings in the
 * function's own account (`securityhub:BatchImportFindings` on the default product). Never
 * throws: failures are counted (`SecurityHubImportFailures`) and logged as a warning, the scan's
 * outcome stands. Undefined when the setting is off. The export and its SDK client are loaded on
 * first use (findings-export-run.ts, a chunk of its own), so a function without the setting does
 * not parse them at init.
 */
export const createFindingsExport = (config: EnvConfig): FindingsExport | undefined => {
  if (!config.securityHubFindings) return undefined;
  let loaded: Promise<FindingsExport> | undefined;
  return async (...args) => {
    loaded ??= import('./findings-export-run.js').then(({ createFindingsExportNow }) =>
      createFindingsExportNow(config),
    );
    return (await loaded)(...args);
  };
};
