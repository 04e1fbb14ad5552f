import { randomBytes } from 'node:crypto';
import type { ApiType } from '../../shared/model';
import { diffStageSets } from '../../shared/diff';
import { parseStagesDocument } from '../../shared/normalize';
import type { ReportFormat } from '../format/drift-report';
import { renderDriftReport } from '../format/drift-report';
import type { CliIo } from '../io';
import { EXIT, UsageError } from '../io';
import { loadStagesFile } from './load-stages-file';

export interface DiffCommandOptions {
  readonly format: ReportFormat;
  readonly apiType?: ApiType;
  readonly revealVariable: readonly string[];
  readonly ignorePath: readonly string[];
}

/** `stage-drift diff <before> <after>`: exit 0 no drift, 1 drift, 2 bad input. */
export const runDiffCommand = async (
  beforePath: string,
  afterPath: string,
  options: DiffCommandOptions,
  io: CliIo,
): Promise<number> => {
  const parse = { ...(options.apiType ? { apiType: options.apiType } : {}) };
  const before = await loadStagesFile(beforePath, io, (doc) => parseStagesDocument(doc, parse));
  const after = await loadStagesFile(afterPath, io, (doc) => parseStagesDocument(doc, parse));
  if ((before.apiType === 'REST') !== (after.apiType === 'REST')) {
    throw new UsageError(
      `${beforePath} holds ${before.apiType} stages but ${afterPath} holds ${after.apiType} stages: diff two documents of the same API`,
    );
  }
  const drifts = diffStageSets(before.stages, after.stages, {
    // A keyed fingerprint: set STAGE_DRIFT_FINGERPRINT_KEY to compare fingerprints across runs.
    fingerprintKey: io.env.STAGE_DRIFT_FINGERPRINT_KEY ?? randomBytes(32).toString('hex'),
    revealVariables: options.revealVariable,
    ignore: { paths: options.ignorePath },
  });
  io.stdout(renderDriftReport(drifts, options.format));
  return drifts.length > 0 ? EXIT.drift : EXIT.ok;
};
