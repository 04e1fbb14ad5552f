import type { ApiType, StageSnapshot } from '../../shared/model';
import { parseStagesDocumentPair, StagesDocumentError } from '../../shared/normalize';
import type { ParsedStagesDocument, ParsedStagesDocumentPair } from '../../shared/normalize';
import type { CliIo } from '../io';
import { UsageError } from '../errors';
import { loadStagesFile } from './load-stages-file';

export interface DiffInputOptions {
  /** HTTP or WEBSOCKET, when the documents cannot tell. */
  readonly apiType?: ApiType;
  /** Diff a page of a `get-stages` listing, or one stage against a list, on what both sides hold. */
  readonly allowPartial: boolean;
}

/** The stages of the two documents that may be compared, keyed alike. */
export interface DiffInputs {
  readonly before: readonly StageSnapshot[];
  readonly after: readonly StageSnapshot[];
}

interface Side {
  readonly path: string;
  readonly parsed: ParsedStagesDocument;
}

const PAGE_OF_SEVERAL =
  'this document is one page of several (it carries a NextToken); fetch all pages (the AWS CLI does by default) or pass --allow-partial';

/** A document that cannot be complete is refused: what it lacks would read as deletions. */
const refuseIncomplete = (before: Side, after: Side): void => {
  const page = [before, after].find((side) => side.parsed.nextToken !== undefined);
  if (page) throw new UsageError(`${page.path}: ${PAGE_OF_SEVERAL}`);
  if (before.parsed.single !== after.parsed.single) {
    const [one, list] = before.parsed.single ? [before, after] : [after, before];
    throw new UsageError(
      `${one.path} is one stage (get-stage) but ${list.path} is a list of stages (get-stages): ` +
        'diff two documents of the same kind, or pass --allow-partial to compare only the stages both hold',
    );
  }
};

/**
 * With --allow-partial: a stage that only one side holds is compared (CREATED or DELETED) only
 * when the other side is complete. A page (NextToken) is not; one stage against a list is a
 * part of it, and then only the stages both hold are compared.
 */
const comparable = (before: Side, after: Side): DiffInputs => {
  const mixed = before.parsed.single !== after.parsed.single;
  const complete = (side: Side): boolean => !mixed && side.parsed.nextToken === undefined;
  const names = (side: Side): Set<string> => new Set(side.parsed.stages.map((s) => s.key.stageName));
  const keep = (side: Side, other: Side): StageSnapshot[] => {
    if (complete(other)) return side.parsed.stages;
    const held = names(other);
    return side.parsed.stages.filter((stage) => held.has(stage.key.stageName));
  };
  return { before: keep(before, after), after: keep(after, before) };
};

const printWarnings = (io: CliIo, side: Side): void => {
  for (const warning of side.parsed.warnings) {
    io.stderr(`warning: ${side.path}: stage ${JSON.stringify(warning.stage)}: ${warning.message}\n`);
  }
};

/**
 * Reads the two documents of `stage-drift diff`, keys their stages under one API type, prints
 * a warning for each member the model does not know, and returns what may be compared: all of
 * it, or with `allowPartial` what both sides can speak for.
 *
 * @throws UsageError (exit 2) naming the file and what to fix.
 */
export const loadDiffInputs = async (
  beforePath: string,
  afterPath: string,
  options: DiffInputOptions,
  io: CliIo,
): Promise<DiffInputs> => {
  const beforeDocument = await loadStagesFile(beforePath, io, (document) => document);
  const afterDocument = await loadStagesFile(afterPath, io, (document) => document);
  let pair: ParsedStagesDocumentPair;
  try {
    pair = parseStagesDocumentPair(
      { label: beforePath, document: beforeDocument },
      { label: afterPath, document: afterDocument },
      options.apiType ? { apiType: options.apiType } : {},
    );
  } catch (error) {
    if (error instanceof StagesDocumentError) throw new UsageError(error.message, { cause: error });
    throw error;
  }
  const before: Side = { path: beforePath, parsed: pair.before };
  const after: Side = { path: afterPath, parsed: pair.after };
  if (!options.allowPartial) refuseIncomplete(before, after);
  printWarnings(io, before);
  printWarnings(io, after);
  return comparable(before, after);
};
