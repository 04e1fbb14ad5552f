import type {
  BatchImportFindingsCommand,
  BatchImportFindingsCommandOutput,
} from '@aws-sdk/client-securityhub';
import type { PostureChange, PostureControl } from '../posture';
import type { Clock } from '../runtime';
import type { AwsSecurityFinding, FindingsTarget } from './asff';
import { buildFindings } from './asff';
import { BatchImportFindings } from './batch-import-command';
import { FindingsImportError } from './errors';

/** BatchImportFindings takes at most 100 findings a request. */
export const BATCH_IMPORT_LIMIT = 100;

/** What the import needs of a Security Hub client (`SecurityHubClient` has it). */
export interface SecurityHubSender {
  send(command: BatchImportFindingsCommand): Promise<BatchImportFindingsCommandOutput>;
}

export interface FindingsExportDeps {
  /** The Security Hub client of a region (findings go to their stage's region). */
  readonly clientFor: (region: string) => SecurityHubSender;
  /** The importing account and its partition: only its stages' findings are imported. */
  readonly target: FindingsTarget;
  /** `CreatedAt`/`UpdatedAt` when no capture time is given. */
  readonly clock: Clock;
  /** @default DEFAULT_CONTROLS */
  readonly controls?: readonly PostureControl[];
}

export interface FindingsImportSummary {
  /** Findings Security Hub accepted. */
  readonly imported: number;
  /** Of those: by compliance status, and how many were archived (a deleted stage, a control that stopped applying). */
  readonly failedControls: number;
  readonly passedControls: number;
  readonly archived: number;
  /** Findings not imported: in `FailedFindings`, or in a request that failed as a whole. */
  readonly failed: number;
  /** The first error code, when `failed` > 0 (`InvalidInput`, `AccessDeniedException`, ...). */
  readonly firstErrorCode?: string;
  /** BatchImportFindings requests sent. */
  readonly calls: number;
  /** Findings of stages in other accounts, not built: the default product takes the caller's own only. */
  readonly otherAccounts: number;
  /** One line per failed request or batch with failed findings, for the log and the CLI. */
  readonly warnings: readonly string[];
}

const regionOf = (finding: AwsSecurityFinding): string => finding.ProductArn?.split(':')[3] ?? '';

const chunks = <T>(items: readonly T[], size: number): T[][] =>
  Array.from({ length: Math.ceil(items.length / size) }, (_, i) => items.slice(i * size, (i + 1) * size));

/** An SDK error as a FindingsImportError: its code, and whether trying again may help. */
const asImportError = (error: unknown): FindingsImportError => {
  if (error instanceof FindingsImportError) return error;
  const e = error as {
    name?: string;
    message?: string;
    $retryable?: unknown;
    $metadata?: { httpStatusCode?: number };
  };
  const status = e?.$metadata?.httpStatusCode;
  return new FindingsImportError(e?.name ?? 'Error', e?.message ?? String(error), {
    retryable: e?.$retryable !== undefined || status === 429 || (status !== undefined && status >= 500),
    cause: error,
  });
};

/**
 * Imports findings, grouped by region and in requests of {@link BATCH_IMPORT_LIMIT}. Never
 * throws: a request that fails counts its findings as failed, `FailedFindings` are counted, and
 * both are reported in `warnings` (a scan never fails because Security Hub did).
 */
export const importFindings = async (
  clientFor: (region: string) => SecurityHubSender,
  findings: readonly AwsSecurityFinding[],
): Promise<Omit<FindingsImportSummary, 'otherAccounts'>> => {
  const byRegion = new Map<string, AwsSecurityFinding[]>();
  for (const finding of findings) {
    const region = regionOf(finding);
    byRegion.set(region, [...(byRegion.get(region) ?? []), finding]);
  }
  let imported = 0;
  let failed = 0;
  let calls = 0;
  let failedControls = 0;
  let passedControls = 0;
  let archived = 0;
  let firstErrorCode: string | undefined;
  const warnings: string[] = [];
  const noteError = (code: string) => {
    firstErrorCode ??= code;
  };
  for (const [region, regional] of byRegion) {
    for (const batch of chunks(regional, BATCH_IMPORT_LIMIT)) {
      calls++;
      let refused: Set<string>;
      try {
        const output = await clientFor(region).send(new BatchImportFindings({ Findings: batch }));
        const failures = output.FailedFindings ?? [];
        refused = new Set(failures.map((f) => f.Id ?? ''));
        const count = Math.max(output.FailedCount ?? 0, failures.length);
        if (count > 0) {
          const [first] = failures;
          noteError(first?.ErrorCode ?? 'Unknown');
          failed += count;
          warnings.push(
            `Security Hub ${region}: ${count} of ${batch.length} findings refused` +
              (first
                ? ` (first: ${first.ErrorCode ?? 'Unknown'} ${first.ErrorMessage ?? ''}`.trimEnd() + ')'
                : ''),
          );
        }
      } catch (error) {
        const e = asImportError(error);
        noteError(e.code);
        failed += batch.length;
        warnings.push(
          `Security Hub ${region}: BatchImportFindings failed, ${batch.length} findings not imported (${e.code}: ${e.message})`,
        );
        continue;
      }
      for (const finding of batch) {
        if (refused.has(finding.Id ?? '')) continue;
        imported++;
        if (finding.RecordState === 'ARCHIVED') archived++;
        else if (finding.Compliance?.Status === 'FAILED') failedControls++;
        else passedControls++;
      }
    }
  }
  return {
    imported,
    failedControls,
    passedControls,
    archived,
    failed,
    ...(firstErrorCode === undefined ? {} : { firstErrorCode }),
    calls,
    warnings,
  };
};

/**
 * The Security Hub export of one scan (or one scope of it): the findings of what moved
 * (`buildFindings`), imported (`importFindings`). Never throws.
 */
export const exportPostureFindings = async (
  deps: FindingsExportDeps,
  changes: readonly PostureChange[],
  capturedAt: Date = new Date(deps.clock.now()),
): Promise<FindingsImportSummary> => {
  const { findings, otherAccounts } = buildFindings(changes, {
    ...deps.target,
    capturedAt,
    ...(deps.controls ? { controls: deps.controls } : {}),
  });
  const summary = await importFindings(deps.clientFor, findings);
  const warnings =
    otherAccounts > 0
      ? [
          ...summary.warnings,
          `Security Hub: ${otherAccounts} findings of other accounts' stages not imported ` +
            "(BatchImportFindings with the default product takes the calling account's findings only)",
        ]
      : summary.warnings;
  return { ...summary, otherAccounts, warnings };
};

/** `Security Hub: 7 findings imported (3 FAILED, 4 PASSED)`, and what failed. */
export const describeFindingsImport = (s: FindingsImportSummary): string => {
  const parts = [`${s.failedControls} FAILED`, `${s.passedControls} PASSED`];
  if (s.archived > 0) parts.push(`${s.archived} archived`);
  const failed = s.failed > 0 ? `; ${s.failed} failed (${s.firstErrorCode ?? 'Unknown'})` : '';
  return `Security Hub: ${s.imported} findings imported (${parts.join(', ')})${failed}`;
};

/** Every finding of an export a `FindingsImportSummary` adds up. */
export const addFindingsImports = (summaries: readonly FindingsImportSummary[]): FindingsImportSummary => {
  const sum = (
    field:
      'imported' | 'failedControls' | 'passedControls' | 'archived' | 'failed' | 'calls' | 'otherAccounts',
  ) => summaries.reduce((n, s) => n + s[field], 0);
  const firstErrorCode = summaries.find((s) => s.firstErrorCode !== undefined)?.firstErrorCode;
  return {
    imported: sum('imported'),
    failedControls: sum('failedControls'),
    passedControls: sum('passedControls'),
    archived: sum('archived'),
    failed: sum('failed'),
    ...(firstErrorCode === undefined ? {} : { firstErrorCode }),
    calls: sum('calls'),
    otherAccounts: sum('otherAccounts'),
    warnings: summaries.flatMap((s) => s.warnings),
  };
};
