// Security Hub findings of posture changes: the ASFF builder (pure) and the BatchImportFindings import.
export type { AwsSecurityFinding, BuildFindingsOptions, BuiltFindings, FindingsTarget } from './asff';
export {
  ASFF_SCHEMA_VERSION,
  buildFindings,
  defaultProductArn,
  FINDING_TYPE,
  findingId,
  generatorId,
  stageArn,
} from './asff';
export { FindingsImportError } from './errors';
export type { FindingsExportDeps, FindingsImportSummary, SecurityHubSender } from './import-findings';
export {
  addFindingsImports,
  BATCH_IMPORT_LIMIT,
  describeFindingsImport,
  exportPostureFindings,
  importFindings,
} from './import-findings';
