export { StageNormalizeError, StagesDocumentError } from './errors';
export { toIsoTimestamp } from './dates';
export type { NormalizeWarning } from './field-readers';
export type { NormalizeContext } from './stage-context';
export { normalizeRestStage } from './rest-stage';
export { normalizeV2Stage } from './v2-stage';
export { renormalizeSnapshot } from './renormalize';
export type { StageNormalizer } from './stage-normalizers';
export { STAGE_NORMALIZERS } from './stage-normalizers';
export { parseStagesDocument } from './stages-document';
export type {
  ParsedStagesDocument,
  ParseStagesDocumentOptions,
  StagesDocumentWarning,
  V2ProtocolEvidence,
} from './stages-document';
export { parseStagesDocumentPair } from './stages-document-pair';
export type { LabelledStagesDocument, ParsedStagesDocumentPair } from './stages-document-pair';
