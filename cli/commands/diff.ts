import { randomBytes } from 'node:crypto';
import type { ApiType } from '../../shared/model';
import { diffStageSets } from '../../shared/diff';
import type { ReportFormat } from '../format/drift-report';
import { renderDriftReport } from '../format/drift-report';
import type { CliIo } from '../io';
import { EXIT } from '../io';
import { loadDiffInputs } from './diff-inputs';

export interface DiffCommandOptions {
  readonly format: ReportFormat;
  readonly apiType?: ApiType;
  readonly revealVariable: readonly string[];
  readonly ignorePath: readonly string[];
  /** Compare a page or one stage against a list on what both hold. @default false */
  readonly allowPartial?: boolean;
}

/** `stage-drift diff <before> <after>`: exit 0 no drift, 1 drift, 2 bad input. */
export const runDiffCommand = async (
  beforePath: string,
  afterPath: string,
  options: DiffCommandOptions,
  io: CliIo,
): Promise<number> => {
  const { before, after } = await loadDiffInputs(
    beforePath,
    afterPath,
    { ...(options.apiType ? { apiType: options.apiType } : {}), allowPartial: options.allowPartial === true },
    io,
  );
  const drifts = diffStageSets(before, after, {
    // A keyed fingerprint: set STAGE_DRIFT_FINGERPRINT_KEY to compare fingerprints across runs.
    fingerprintKey: io.env.STAGE_DRIFT_FINGERPRINT_KEY ?? randomBytes(32).toString('hex'),
    revealVariables: options.revealVariable,
    ignore: { paths: options.ignorePath },
  });
  io.stdout(renderDriftReport(drifts, options.format));
  return drifts.length > 0 ? EXIT.drift : EXIT.ok;
};
