import { Duration } from 'aws-cdk-lib';
import type { ITable } from 'aws-cdk-lib/aws-dynamodb';
import { PolicyStatement } from 'aws-cdk-lib/aws-iam';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import {
  API_GATEWAY_READ_PATHS,
  apiGatewayArns,
  grantScanTableAccess,
  grantSecurityHubImport,
  grantSendTo,
} from '../grants';
import { FUNCTION_MEMORY_MB, MonitorFunction } from '../monitor-function';
import type { MonitorSettings } from '../monitor-settings';
import { acknowledgeKeyGrant, acknowledgeWildcardResource } from '../nag-acknowledgements';
import { SNAPSHOT_ENTRY, SNAPSHOT_SERVICE } from '../runtime-contract';
import type { ScanSettings } from './scan-environment';
import { scanEnvironment } from './scan-environment';

export interface ScannerProps {
  /** The scan's settings; with `fanOut`, the targets the function may scan. */
  readonly settings: ScanSettings &
    Pick<MonitorSettings, 'fanOut'> &
    Partial<Pick<MonitorSettings, 'fullScanInterval' | 'eventForwarders'>>;
  readonly table: ITable;
  /**
   * Fan-out only: the queue the function consumes tasks from and sends continuations to (the
   * consumer side is wired by FanOut).
   * @default - no task queue: the function scans this account when the schedule invokes it
   */
  readonly taskQueue?: IQueue;
  /** Where the function reports what a scan could not read (the monitor's failure queue, alarmed). */
  readonly failureQueue: IQueue;
}

/**
 * The snapshot function, created in `scope` as `SnapshotFunction`: the full scan of every API and
 * stage of the configured regions, against the last snapshots in the table. Its role lists the APIs
 * and reads their stages (apigateway:GET on those paths only), calls the store, and looks up
 * CloudTrail events for attribution. Reserved concurrency 1 (in fan-out mode `maxConcurrentScans`):
 * two scans of one scope never run at once (see StageDriftMonitor).
 */
export class Scanner {
  readonly snapshot: MonitorFunction;

  constructor(scope: Construct, props: ScannerProps) {
    const { settings, table } = props;
    const environment = scanEnvironment(settings, table);
    environment[ENV.failureQueueUrl] = props.failureQueue.queueUrl;
    const { fanOut } = settings;
    // Adaptive full scans (shared/scan/scan-mode.ts): set with event-driven rescans only.
    if (settings.fullScanInterval) {
      environment[ENV.fullScanInterval] = String(settings.fullScanInterval.toMinutes());
      // Left out when off: the template of a monitor without forwarders is unchanged.
      if (settings.eventForwarders) environment[ENV.eventForwarders] = 'true';
    }
    if (fanOut && props.taskQueue) {
      // The consumer's settings: the queue for continuations, the external id for AssumeRole, and
      // the targets, so a task naming an account, OU member or role not configured is refused.
      environment[ENV.taskQueueUrl] = props.taskQueue.queueUrl;
      environment[ENV.readerRoleName] = fanOut.readerRoleName;
      if (fanOut.externalId) environment[ENV.externalId] = fanOut.externalId;
      if (fanOut.targetAccounts.length > 0) environment[ENV.targetAccounts] = fanOut.targetAccounts.join(',');
      if (fanOut.targetOrganizationalUnit)
        environment[ENV.targetOrganizationalUnit] = fanOut.targetOrganizationalUnit;
    }

    const snapshot = new MonitorFunction(scope, 'SnapshotFunction', {
      entry: SNAPSHOT_ENTRY,
      description: 'stage-drift: scans API Gateway stages and records drift',
      serviceName: SNAPSHOT_SERVICE,
      timeout: Duration.minutes(15),
      memorySize: FUNCTION_MEMORY_MB.snapshot,
      environment,
      logRetention: settings.logRetention,
      // Two scans of one scope never run at once (see StageDriftMonitor). Fan-out: the tasks,
      // at most maxConcurrentScans (FIFO groups keep each scope to one); the planner has its own.
      reservedConcurrentExecutions: fanOut ? fanOut.maxConcurrentScans : 1,
    });

    const apiGatewayResources = apiGatewayArns(scope, settings.iamRegions, API_GATEWAY_READ_PATHS);
    snapshot.role.addToPrincipalPolicy(
      new PolicyStatement({
        sid: 'ReadApiGatewayStages',
        actions: ['apigateway:GET'],
        resources: apiGatewayResources,
      }),
    );
    grantScanTableAccess(snapshot.role, table);
    grantSendTo(snapshot.role, props.failureQueue);
    if (settings.securityHubFindings) grantSecurityHubImport(scope, snapshot.role, settings.iamRegions);
    // Attribution of the scheduled scan: who changed a stage, from CloudTrail event history
    // (shared/scan/attribute-drifts.ts). A rescan attributes from its triggering records instead.
    snapshot.allowOnEveryResource(
      'LookupEventsPolicy',
      { sid: 'LookupCloudTrailEvents', actions: ['cloudtrail:LookupEvents'] },
      'cloudtrail:LookupEvents has no resource-level permissions (the Service Authorization Reference ' +
        'lists no resource type for it), so it is granted on *; it reads event history only, for attribution.',
    );

    if (settings.fullScanInterval) {
      // Adaptive full scans: is a trail logging this region's management events (trail-status.ts)?
      snapshot.allowOnEveryResource(
        'TrailStatusPolicy',
        {
          sid: 'ReadTrailStatus',
          actions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetTrailStatus'],
        },
        'cloudtrail:DescribeTrails has no resource-level permission, and the trails asked about by ' +
          'GetTrailStatus and GetEventSelectors are whatever DescribeTrails lists (organization and ' +
          "multi-region trails of other accounts and regions); read-only trail metadata, no event's content.",
      );
    }

    for (const resource of apiGatewayResources.filter((r) => r.includes('*'))) {
      acknowledgeWildcardResource(
        snapshot,
        resource,
        'API Gateway names stages under their API id (/restapis/{id}/stages, /apis/{id}/stages). The scan ' +
          'lists every API first and then reads the stages of each, so the API id is a wildcard; the ' +
          'action is apigateway:GET only, in the configured regions only.',
      );
    }
    acknowledgeKeyGrant(snapshot, 'the snapshot table');
    this.snapshot = snapshot;
  }
}
