import { MetricUnit } from '@aws-lambda-powertools/metrics';
import { createSecurityHubClients } from '../../shared/clients/security-hub-clients';
import type { EnvConfig } from '../../shared/config';
import { partitionOf } from '../../shared/config';
import type { FindingsImportSummary } from '../../shared/findings';
import { describeFindingsImport, exportPostureFindings } from '../../shared/findings';
import { systemClock } from '../../shared/runtime';
import type { FindingsExport } from './findings-export';

/** Loaded by findings-export.ts only when the setting is on: its own chunk of the bundle. */
/**
 * `STAGE_DRIFT_SECURITY_HUB`: after a scan, its posture changes as Security Hub findings in the
 * function's own account (`securityhub:BatchImportFindings` on the default product). Never
 * throws: failures are counted (`SecurityHubImportFailures`) and logged as a warning, the scan's
 * outcome stands. Undefined when the setting is off (no client is built).
 */
export const createFindingsExportNow = (config: EnvConfig): FindingsExport => {
  const clients = createSecurityHubClients();
  const partition = partitionOf(config.regions[0] ?? 'us-east-1');
  return async (summary, { account, controls }, { metrics, logger }) => {
    let result: FindingsImportSummary;
    try {
      result = await exportPostureFindings(
        {
          clientFor: clients.clientFor,
          target: { account, partition },
          clock: systemClock,
          ...(controls ? { controls } : {}),
        },
        summary.postureChanges ?? [],
        new Date(summary.startedAt),
      );
    } catch (error) {
      // exportPostureFindings counts its failures; anything else is a bug, still not the scan's failure.
      logger.warn('Security Hub import failed', { error: (error as Error).message });
      metrics.addMetric('SecurityHubImportFailures', MetricUnit.Count, 1);
      metrics.publishStoredMetrics();
      return { securityHubImported: 0, securityHubFailures: 1 };
    }
    if (result.imported > 0)
      metrics.addMetric('SecurityHubFindingsImported', MetricUnit.Count, result.imported);
    if (result.failed > 0) metrics.addMetric('SecurityHubImportFailures', MetricUnit.Count, result.failed);
    metrics.publishStoredMetrics();
    if (result.warnings.length > 0) {
      logger.warn('Security Hub import incomplete', {
        summary: describeFindingsImport(result),
        failed: result.failed,
        ...(result.firstErrorCode ? { firstErrorCode: result.firstErrorCode } : {}),
        otherAccounts: result.otherAccounts,
        warnings: result.warnings,
      });
    }
    return { securityHubImported: result.imported, securityHubFailures: result.failed };
  };
};
