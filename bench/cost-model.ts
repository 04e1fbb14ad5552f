/**
 * The monthly cost model of `npm run bench -- --only=efficiency`: what the synthesized template
 * holds (alarms, KMS keys, secrets, the functions' memory, SQS event source mappings) times the
 * measured usage of the day simulation (bench/efficiency.ts), at the prices below. The ONE place the
 * prices live. Before free tiers; us-east-1 list prices, read 2026-06-01 from the pages named.
 */
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { StageDriftStack } from '../infra/stage-drift-stack';

export const PRICES = {
  date: '2026-06-01',
  region: 'us-east-1',
  /** aws.amazon.com/lambda/pricing: Arm, per GB-second and per request. */
  lambdaArmGbSecond: 0.0000133334,
  lambdaRequest: 0.2 / 1_000_000,
  /**
   * aws.amazon.com/cloudwatch/pricing: standard-resolution alarm, per ALARM METRIC and month: a
   * metric-math alarm is billed for each metric its expression reads.
   */
  alarmMetricMonth: 0.1,
  /** aws.amazon.com/cloudwatch/pricing: custom metric, first 10,000, per month, prorated by the hour. */
  customMetricMonth: 0.3,
  /** aws.amazon.com/kms/pricing: customer-managed key, per month (requests: thousands, cents). */
  kmsKeyMonth: 1,
  /** aws.amazon.com/secrets-manager/pricing: per secret, per month. */
  secretMonth: 0.4,
  /** aws.amazon.com/sqs/pricing: standard and FIFO requests, per request (first million free). */
  sqsRequest: 0.4 / 1_000_000,
  /** aws.amazon.com/eventbridge/pricing: Scheduler invocations, per invocation. */
  schedulerInvocation: 1 / 1_000_000,
  /** aws.amazon.com/dynamodb/pricing/on-demand: write and read request units. */
  dynamoWriteUnit: 0.625 / 1_000_000,
  dynamoReadUnit: 0.125 / 1_000_000,
  /** aws.amazon.com/cloudwatch/pricing: Logs ingestion, per GB. */
  logsGb: 0.5,
} as const;

export const HOURS_PER_MONTH = 730;
export const DAYS_PER_MONTH = 30.4;

/**
 * What the template and the simulation cannot give. Idle SQS event source pollers per mapping,
 * each long-polling 20 s (an empty receive every 20 s): AWS Lambda Developer Guide, "Configuring
 * scaling behavior for SQS event source mappings"
 * (docs.aws.amazon.com/lambda/latest/dg/services-sqs-scaling.html, read 2026-06-01): for a standard
 * queue Lambda long-polls until the queue is active, scales back to five concurrent batches when
 * traffic is low, and "can optimize to as few as 2 concurrent batches ... However, this
 * optimization isn't available when you enable the maximum concurrency setting". The events
 * mapping sets maximum concurrency (RESCAN_MAX_CONCURRENCY, infra/monitor/event-rescans.ts: it
 * keeps the rescans inside the account's management budget), so 5; AWS gives no exact idle
 * count, so this stays an estimate from the documented scale-back.
 */
export const ASSUMPTIONS = {
  idlePollersPerMapping: 5,
  longPollSeconds: 20,
  /** Log bytes per invocation (the summary line and a few others). */
  logBytesPerInvocation: 3_000,
} as const;

/** What the cost model reads from the synthesized template. */
export interface TemplateCounts {
  readonly alarms: number;
  /** What alarms are billed by: one per plain alarm, one per metric a metric-math alarm reads. */
  readonly alarmMetrics: number;
  readonly kmsKeys: number;
  readonly secrets: number;
  readonly sqsEventSourceMappings: number;
  readonly schedules: number;
  /** Logical id prefix (the function's construct id) → MemorySize in MB. */
  readonly functionMemoryMb: Readonly<Record<string, number>>;
}

/** Synthesizes the StageDriftStack as test/infra does (no bundling) and counts its resources. */
export const readTemplate = (context: Record<string, unknown> = {}): TemplateCounts => {
  const app = new App({
    context: { 'aws:cdk:bundling-stacks': [], ...context },
    builtinCloudFormationValidation: false,
  });
  const template = Template.fromStack(new StageDriftStack(app, 'StageDrift'));
  const count = (type: string) => Object.keys(template.findResources(type)).length;
  const functions = template.findResources('AWS::Lambda::Function') as Record<
    string,
    { Properties?: { MemorySize?: number } }
  >;
  const mappings = Object.values(
    template.findResources('AWS::Lambda::EventSourceMapping') as Record<
      string,
      { Properties?: { EventSourceArn?: unknown } }
    >,
  ).filter((m) => JSON.stringify(m.Properties?.EventSourceArn ?? '').includes('Queue'));
  const alarmMetrics = Object.values(
    template.findResources('AWS::CloudWatch::Alarm') as Record<
      string,
      { Properties?: { Metrics?: { MetricStat?: unknown }[] } }
    >,
  ).reduce((n, alarm) => {
    const metrics = alarm.Properties?.Metrics;
    return n + (metrics === undefined ? 1 : metrics.filter((m) => m.MetricStat !== undefined).length);
  }, 0);
  const functionMemoryMb: Record<string, number> = {};
  for (const [id, resource] of Object.entries(functions)) {
    const name = /^Monitor([A-Za-z]+?)Function/.exec(id)?.[1]?.toLowerCase() ?? id;
    functionMemoryMb[name] = resource.Properties?.MemorySize ?? 128;
  }
  return {
    alarms: count('AWS::CloudWatch::Alarm'),
    alarmMetrics,
    kmsKeys: count('AWS::KMS::Key'),
    secrets: count('AWS::SecretsManager::Secret'),
    sqsEventSourceMappings: mappings.length,
    schedules: count('AWS::Scheduler::Schedule'),
    functionMemoryMb,
  };
};

/** A day's usage, measured by the simulation. */
export interface DailyUsage {
  /** Per function (snapshot, rescan, publish, planner): invocations and billed seconds. */
  readonly invocations: Readonly<Record<string, { readonly count: number; readonly seconds: number }>>;
  /** Custom metric-hours (one metric with data in one hour = 1). */
  readonly metricHours: number;
  readonly scheduleInvocations: number;
  readonly dynamoWriteUnits: number;
  readonly dynamoReadUnits: number;
}

export interface CostLine {
  readonly item: string;
  readonly arithmetic: string;
  readonly usd: number;
}

const usd = (n: number) => `$${n.toFixed(2)}`;

/** The month's cost, line by line, before free tiers. */
export const monthlyCost = (
  template: TemplateCounts,
  day: DailyUsage,
): { lines: CostLine[]; total: number } => {
  const lines: CostLine[] = [];
  for (const [fn, use] of Object.entries(day.invocations)) {
    const memoryGb = (template.functionMemoryMb[fn] ?? 128) / 1024;
    const gbSeconds = use.seconds * memoryGb * DAYS_PER_MONTH;
    const requests = use.count * DAYS_PER_MONTH;
    lines.push({
      item: `Lambda ${fn} (${template.functionMemoryMb[fn] ?? 128} MB from the template)`,
      arithmetic: `${Math.round(requests).toLocaleString('en-US')} invocations, ${Math.round(gbSeconds).toLocaleString('en-US')} GB-s`,
      usd: gbSeconds * PRICES.lambdaArmGbSecond + requests * PRICES.lambdaRequest,
    });
  }
  lines.push({
    item: 'CloudWatch alarms',
    arithmetic: `${template.alarms} in the template, reading ${template.alarmMetrics} metrics × ${usd(PRICES.alarmMetricMonth)}`,
    usd: template.alarmMetrics * PRICES.alarmMetricMonth,
  });
  const metricMonths = (day.metricHours * DAYS_PER_MONTH) / HOURS_PER_MONTH;
  lines.push({
    item: 'CloudWatch custom metrics (prorated hourly)',
    arithmetic: `${day.metricHours.toFixed(0)} metric-hours a day measured = ${metricMonths.toFixed(2)} metric-months × ${usd(PRICES.customMetricMonth)}`,
    usd: metricMonths * PRICES.customMetricMonth,
  });
  lines.push({
    item: 'KMS keys',
    arithmetic: `${template.kmsKeys} in the template × ${usd(PRICES.kmsKeyMonth)}`,
    usd: template.kmsKeys * PRICES.kmsKeyMonth,
  });
  lines.push({
    item: 'Secrets Manager',
    arithmetic: `${template.secrets} secrets in the template × ${usd(PRICES.secretMonth)}`,
    usd: template.secrets * PRICES.secretMonth,
  });
  const idleReceives =
    template.sqsEventSourceMappings *
    ASSUMPTIONS.idlePollersPerMapping *
    ((86_400 / ASSUMPTIONS.longPollSeconds) * DAYS_PER_MONTH);
  lines.push({
    item: 'SQS (idle long polls of the event source mappings)',
    arithmetic: `${template.sqsEventSourceMappings} mapping(s) × ${ASSUMPTIONS.idlePollersPerMapping} pollers (AWS: 5 at low traffic with maximum concurrency) × one 20 s receive = ${Math.round(idleReceives).toLocaleString('en-US')} requests`,
    usd: idleReceives * PRICES.sqsRequest,
  });
  lines.push({
    item: 'EventBridge Scheduler',
    arithmetic: `${Math.round(day.scheduleInvocations * DAYS_PER_MONTH).toLocaleString('en-US')} invocations`,
    usd: day.scheduleInvocations * DAYS_PER_MONTH * PRICES.schedulerInvocation,
  });
  lines.push({
    item: 'DynamoDB on demand',
    arithmetic: `${Math.round(day.dynamoWriteUnits * DAYS_PER_MONTH).toLocaleString('en-US')} write units, ${Math.round(day.dynamoReadUnits * DAYS_PER_MONTH).toLocaleString('en-US')} read units`,
    usd:
      DAYS_PER_MONTH *
      (day.dynamoWriteUnits * PRICES.dynamoWriteUnit + day.dynamoReadUnits * PRICES.dynamoReadUnit),
  });
  const invocations = Object.values(day.invocations).reduce((n, u) => n + u.count, 0) * DAYS_PER_MONTH;
  lines.push({
    item: 'CloudWatch Logs',
    arithmetic: `${Math.round(invocations).toLocaleString('en-US')} invocations × ~${ASSUMPTIONS.logBytesPerInvocation / 1000} KB (assumption)`,
    usd: ((invocations * ASSUMPTIONS.logBytesPerInvocation) / 1e9) * PRICES.logsGb,
  });
  return { lines, total: lines.reduce((n, line) => n + line.usd, 0) };
};
