import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { ENV } from '../../shared/config';
import type { MonitorSettings } from '../monitor-settings';

/** The settings the two scanning functions (snapshot, rescan) are built from. */
export type ScanSettings = Pick<MonitorSettings, 'scan' | 'regions' | 'iamRegions' | 'logRetention'>;

/** The settings both scanning functions read (`ENV` of shared/config): the table, budget, regions, diff. */
export const scanEnvironment = (settings: ScanSettings, table: ITable): Record<string, string> => {
  const { scan } = settings;
  const environment: Record<string, string> = {
    [ENV.table]: table.tableName,
    [ENV.requestsPerSecond]: String(scan.requestsPerSecond),
    [ENV.burst]: String(scan.burst),
    [ENV.concurrency]: String(scan.concurrency),
    [ENV.retentionDays]: String(scan.retentionDays),
  };
  if (settings.regions !== undefined) environment[ENV.regions] = settings.regions.join(',');
  if (scan.severityOverrides.length > 0)
    environment[ENV.severityOverrides] = JSON.stringify(scan.severityOverrides);
  if (Object.keys(scan.ignore).length > 0) environment[ENV.ignore] = JSON.stringify(scan.ignore);
  if (scan.revealVariables.length > 0) environment[ENV.revealVariables] = scan.revealVariables.join(',');
  if (scan.outOfBand !== 'off') environment[ENV.outOfBand] = scan.outOfBand;
  return environment;
};
