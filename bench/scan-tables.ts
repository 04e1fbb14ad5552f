/** The per-scenario tables of the bench report. */
import type { GenerateFleetOptions } from '../test/support/simulator';
import type { ScanRun } from './account-scan';
import { lowerBoundMs } from './account-scan';
import { ACCOUNT_QUOTA } from './scenarios';
import type { DynamoCost } from './dynamo-meter';
import { totalWriteUnits } from './dynamo-meter';
import type { Row } from './report';
import { fraction, int, megabytes, ratio, renderTable, seconds } from './report';

export const fleetSize = (options: Omit<GenerateFleetOptions, 'seed'>) => {
  const apis = options.restApis + options.httpApis + (options.websocketApis ?? 0);
  const stagesPerApi = options.stagesPerApi ?? 3;
  return {
    apis,
    stages: apis * stagesPerApi,
    stagesPerApi,
    methodSettings: options.methodSettingsPerStage ?? 3,
  };
};

export const fleetRows = (options: Omit<GenerateFleetOptions, 'seed'>): Row[] => {
  const size = fleetSize(options);
  return [
    ['APIs', `${int(size.apis)} (${int(options.restApis)} REST + ${int(options.httpApis)} HTTP)`],
    ['stages', `${int(size.stages)} (${size.stagesPerApi} per API)`],
    [
      'method settings per stage',
      `${size.methodSettings} (REST: \`*/*\` + ${size.methodSettings - 1}; HTTP: default + ${size.methodSettings - 1} routes)`,
    ],
  ];
};

export const dynamoWrites = (cost: DynamoCost): string => {
  const computed = cost.gsiWriteUnitsComputed + cost.failedConditionalWriteUnitsComputed;
  return computed === 0
    ? `${int(cost.writeUnits)} WCU`
    : `${int(totalWriteUnits(cost))} WCU (${int(cost.writeUnits)} reported + ${int(cost.gsiWriteUnitsComputed)} GSI1` +
        ` + ${int(cost.failedConditionalWriteUnitsComputed)} refused conditional, computed from item sizes)`;
};

const perChanged = (cost: DynamoCost, changed: number): string =>
  changed === 0
    ? 'no change'
    : `${ratio(totalWriteUnits(cost) / changed, 1)} WCU, ${ratio(cost.readUnits / changed, 1)} RCU`;

const wallTime = (run: ScanRun): string =>
  run.lowerBoundMs === 0
    ? `${seconds(run.durationMs)} / 0 s (every call fits in the burst)`
    : `${seconds(run.durationMs)} / ${seconds(run.lowerBoundMs)} = ${ratio(run.durationMs / run.lowerBoundMs, 3)}`;

/** Calls of a scan in which no call fails, and how long they take at the account quota. */
const completeScan = (run: ScanRun): string => {
  const bound = lowerBoundMs(run.completeScanCalls, ACCOUNT_QUOTA);
  return `${int(run.completeScanCalls)} calls, >= ${seconds(bound)}${run.scanner === 'naive' ? ' (computed)' : ''}`;
};

const column = (run: ScanRun): string[] =>
  run.scanner === 'naive'
    ? [
        fraction(run.distinctCalls, run.minimum),
        completeScan(run),
        int(run.server.total),
        seconds(run.durationMs),
        seconds(run.collectMs),
        `${int(run.server.throttled)} / ${int(run.server.total - run.distinctCalls)} (SDK) / ${int(run.failures)}`,
        `${int(run.stagesRead)} (${ratio((run.stagesRead / Math.max(1, run.stagesExpected)) * 100, 0)}%)`,
        `${int(run.stagesChanged)} rewritten / -`,
        `${ratio(run.dynamo.readUnits, 1)} RCU`,
        dynamoWrites(run.dynamo),
        int(run.dynamo.itemsWritten),
        perChanged(run.dynamo, run.stagesChanged),
        megabytes(run.maxRssBytes),
      ]
    : [
        fraction(run.distinctCalls, run.minimum),
        completeScan(run),
        int(run.server.total),
        wallTime(run),
        `${seconds(run.collectMs)} (${run.lowerBoundMs === 0 ? '-' : ratio(run.collectMs / run.lowerBoundMs, 3)} of the bound)`,
        `${int(run.server.throttled)} / ${int(run.retries)} / ${int(run.failures)}`,
        `${int(run.stagesRead)} (${ratio((run.stagesRead / Math.max(1, run.stagesExpected)) * 100, 0)}%)`,
        `${int(run.stagesChanged)} / ${int(run.events)}${run.baseline ? ' (first scan: no events)' : ''}`,
        `${ratio(run.dynamo.readUnits, 1)} RCU`,
        dynamoWrites(run.dynamo),
        int(run.dynamo.itemsWritten),
        perChanged(run.dynamo, run.stagesChanged),
        megabytes(run.maxRssBytes),
      ];

const FIGURES = [
  'calls made / calls minimum',
  'a scan without failures: calls, lower bound at 10/s',
  'requests the account answered (429s included)',
  'wall time / lower bound',
  'of which collecting (to the last control-plane answer)',
  '429s seen / retries / scan failures',
  'stages read',
  'changed stages / drift events',
  'DynamoDB reads (dynalite-reported)',
  'DynamoDB writes',
  'items written',
  'DynamoDB units per changed stage',
  'peak RSS of the scanner process',
] as const;

/**
 * One scan by stage-drift and, when they ran, the naive baselines' scans of the same fleet,
 * side by side; the last column compares the first baseline with stage-drift.
 */
export const renderScanTable = (
  fleet: Omit<GenerateFleetOptions, 'seed'>,
  run: ScanRun,
  naives: readonly ScanRun[] = [],
): string => {
  const columns = [run, ...naives].map(column);
  const [reference] = naives;
  const size = fleetRows(fleet);
  const rows: Row[] = [
    ...size.map(([figure, value]) => [figure!, ...columns.map(() => value!), ...(reference ? [''] : [])]),
    ...FIGURES.map((figure, i) => [
      figure,
      ...columns.map((values) => values[i]!),
      ...(reference ? [naiveRatio(figure, run, reference)] : []),
    ]),
  ];
  return renderTable(
    [
      'figure',
      run.label,
      ...naives.map((naive) => naive.label),
      ...(reference ? [`${reference.label} ÷ ${run.label}`] : []),
    ],
    rows,
  );
};

/** The ratios the README quotes: calls, requests, wall time, failures, DynamoDB writes. */
const naiveRatio = (figure: (typeof FIGURES)[number], run: ScanRun, naive: ScanRun): string => {
  const times = (a: number, b: number) =>
    b === 0 ? (a === 0 ? '1.00x' : `${int(a)} vs 0`) : `${ratio(a / b)}x`;
  switch (figure) {
    case 'calls made / calls minimum':
      return times(naive.distinctCalls, run.distinctCalls);
    case 'a scan without failures: calls, lower bound at 10/s':
      return times(naive.completeScanCalls, run.completeScanCalls);
    case 'requests the account answered (429s included)':
      return times(naive.server.total, run.server.total);
    case 'wall time / lower bound':
      return times(naive.durationMs, run.durationMs);
    case '429s seen / retries / scan failures':
      return `failures: ${int(naive.failures)} vs ${int(run.failures)}`;
    case 'stages read':
      return times(naive.stagesRead, run.stagesRead);
    case 'DynamoDB writes':
      return times(totalWriteUnits(naive.dynamo), totalWriteUnits(run.dynamo));
    case 'items written':
      return times(naive.dynamo.itemsWritten, run.dynamo.itemsWritten);
    default:
      return '';
  }
};
