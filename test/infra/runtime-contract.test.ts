import { existsSync, readFileSync } from 'node:fs';
import { DRIFT_STREAM_FILTER } from '../../shared/notify/stream-filter';
import { deliveryPk, PUBLISH_ENV as HANDLER_PUBLISH_ENV } from '../../shared/notify';
import {
  DELIVERY_PK_PREFIX,
  METRICS_NAMESPACE,
  PLANNER_ENTRY,
  PLANNER_SERVICE,
  PUBLISH_ENTRY,
  PUBLISH_ENV,
  PUBLISH_SERVICE,
  RESCAN_ENTRY,
  RESCAN_SERVICE,
  SNAPSHOT_ENTRY,
  SNAPSHOT_SERVICE,
} from '../../infra/runtime-contract';

// The construct refers to the handlers by path and by name only; these checks keep the names true.
describe('the contract between the construct and the handlers', () => {
  const snapshotSource = readFileSync(SNAPSHOT_ENTRY, 'utf8');
  const rescanSource = readFileSync(RESCAN_ENTRY, 'utf8');
  const plannerSource = readFileSync(PLANNER_ENTRY, 'utf8');
  const publishSource = readFileSync(PUBLISH_ENTRY, 'utf8');

  it('points at handler files that exist and export handler', () => {
    for (const entry of [SNAPSHOT_ENTRY, RESCAN_ENTRY, PLANNER_ENTRY, PUBLISH_ENTRY]) {
      expect(existsSync(entry)).toBe(true);
      expect(readFileSync(entry, 'utf8')).toMatch(/export const handler\b/);
    }
  });

  it('uses the namespace and service names the handlers emit their metrics under', () => {
    expect(snapshotSource).toContain(`namespace: '${METRICS_NAMESPACE}'`);
    expect(snapshotSource).toContain(`serviceName: '${SNAPSHOT_SERVICE}'`);
    expect(publishSource).toContain(`namespace: '${METRICS_NAMESPACE}'`);
    expect(publishSource).toContain(`serviceName: '${PUBLISH_SERVICE}'`);
  });

  it('logs rescans as the rescan service but counts their scan metrics under the snapshot service', () => {
    expect(rescanSource).toContain(`new Logger({ serviceName: '${RESCAN_SERVICE}' })`);
    expect(rescanSource).toContain(
      `new Metrics({ namespace: '${METRICS_NAMESPACE}', serviceName: '${SNAPSHOT_SERVICE}' })`,
    );
  });

  it('logs plans as the planner service and counts them under the snapshot service', () => {
    expect(plannerSource).toContain(`new Logger({ serviceName: '${PLANNER_SERVICE}' })`);
    expect(plannerSource).toContain(
      `new Metrics({ namespace: '${METRICS_NAMESPACE}', serviceName: '${SNAPSHOT_SERVICE}' })`,
    );
  });

  it('has both scanning handlers emit the scan metrics and report their failures to the failure queue', () => {
    for (const source of [snapshotSource, rescanSource]) {
      expect(source).toContain("import { emitScanMetrics } from './scan-metrics';");
      expect(source).toContain('createFailureReports(config.failureQueueUrl, logger)');
    }
  });

  it("sets the publish function's environment variables under the names it reads", () => {
    expect(PUBLISH_ENV).toEqual(HANDLER_PUBLISH_ENV);
  });

  it('scopes the publish function to the delivery marks it writes', () => {
    expect(deliveryPk('abc')).toBe(`${DELIVERY_PK_PREFIX}abc`);
  });

  it('filters the stream with the filter the publish function is written for', () => {
    expect(DRIFT_STREAM_FILTER).toEqual({
      eventName: ['INSERT'],
      dynamodb: { NewImage: { itemType: { S: ['DRIFT'] } } },
    });
  });
});
