import { randomBytes } from 'node:crypto';
import type { ApiType } from '../../shared/model';
import type { DiffOptions } from '../../shared/diff';
import { DiffConfigError, diffStageSets, validateDiffOptions } from '../../shared/diff';
import type { ReportFormat } from '../format/drift-report';
import { renderDriftReport } from '../format/drift-report';
import type { CliIo } from '../io';
import { UsageError } from '../errors';
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

/** The option a diff option's field came from, with the value given, e.g. `--ignore-path ""`. */
const optionOf = (field: string, options: DiffCommandOptions): string => {
  if (field === 'revealVariables') {
    return `--reveal-variable ${JSON.stringify(options.revealVariable.find((name) => name === '') ?? '')}`;
  }
  const at = /^ignore\.paths\[(\d+)\]$/.exec(field);
  return at === null ? field : `--ignore-path ${JSON.stringify(options.ignorePath[Number(at[1])] ?? '')}`;
};

/** The engine's options, checked before any file is read: a bad one is one line and exit 2. */
const checkedDiffOptions = (options: DiffCommandOptions, io: CliIo): DiffOptions => {
  const diffOptions: DiffOptions = {
    // A keyed fingerprint: set STAGE_DRIFT_FINGERPRINT_KEY to compare fingerprints across runs.
    fingerprintKey: io.env.STAGE_DRIFT_FINGERPRINT_KEY ?? randomBytes(32).toString('hex'),
    revealVariables: options.revealVariable,
    ignore: { paths: options.ignorePath },
  };
  try {
    validateDiffOptions(diffOptions);
  } catch (error) {
    if (!(error instanceof DiffConfigError)) throw error;
    const why = error.message.slice(error.field.length + 2);
    throw new UsageError(`${optionOf(error.field, options)}: ${why}`, { cause: error });
  }
  return diffOptions;
};

/** `stage-drift diff <before> <after>`: exit 0 no drift, 1 drift, 2 bad input. */
export const runDiffCommand = async (
  beforePath: string,
  afterPath: string,
  options: DiffCommandOptions,
  io: CliIo,
): Promise<number> => {
  const diffOptions = checkedDiffOptions(options, io);
  const { before, after } = await loadDiffInputs(
    beforePath,
    afterPath,
    { ...(options.apiType ? { apiType: options.apiType } : {}), allowPartial: options.allowPartial === true },
    io,
  );
  const drifts = diffStageSets(before, after, diffOptions);
  io.stdout(renderDriftReport(drifts, options.format));
  return drifts.length > 0 ? EXIT.drift : EXIT.ok;
};
