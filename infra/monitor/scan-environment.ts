import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { encodeEnvironment } from '../../shared/config/encode-environment';
import type { MonitorSettings } from '../monitor-settings';

/** The settings the two scanning functions (snapshot, rescan) are built from. */
export type ScanSettings = Pick<
  MonitorSettings,
  'scan' | 'regions' | 'iamRegions' | 'logRetention' | 'securityHubFindings' | 'driftMetrics'
>;

/**
 * The settings both scanning functions read (`ENV` of shared/config): the table, budget, regions,
 * diff, encoded by the settings table. In this order, which is the template's.
 */
export const scanEnvironment = (settings: ScanSettings, table: ITable): Record<string, string> => {
  const { scan } = settings;
  return encodeEnvironment({
    table: table.tableName,
    requestsPerSecond: scan.requestsPerSecond,
    burst: scan.burst,
    concurrency: scan.concurrency,
    retentionDays: scan.retentionDays,
    regions: settings.regions,
    severityOverrides: scan.severityOverrides,
    ignore: scan.ignore,
    postureRules: scan.postureRules,
    revealVariables: scan.revealVariables,
    outOfBand: scan.outOfBand,
    // Left out when off (unsetAtDefault): the template of a monitor without findings is unchanged.
    securityHubFindings: settings.securityHubFindings,
    driftMetrics: settings.driftMetrics,
  });
};
