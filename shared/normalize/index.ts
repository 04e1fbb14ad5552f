export { StageNormalizeError, StagesDocumentError } from './errors';
export { toIsoTimestamp } from './dates';
export type { NormalizeContext } from './stage-context';
export { normalizeRestStage } from './rest-stage';
export { normalizeV2Stage } from './v2-stage';
export { inferV2ApiType, parseStagesDocument } from './stages-document';
export type { ParsedStagesDocument, ParseStagesDocumentOptions } from './stages-document';
