export type { IgnoreConfig, SeverityOverrideConfig, StageDriftConfig } from './config';
export { DEFAULT_CONFIG, resolveConfig, validateNumber, validateRegions } from './config';
export { ConfigError } from './errors';
export type { EnvConfig } from './env-config';
export { ENV, loadConfigFromEnv } from './env-config';
export { isKnownRegion, KNOWN_REGIONS } from './regions';
export type { FanOutConfig } from './fan-out-config';
export {
  DEFAULT_READER_ROLE_NAME,
  readerRoleArn,
  validateAccountIds,
  validateExternalId,
  validateOrganizationalUnitId,
  validateRoleName,
  validateTaskQueueUrl,
} from './fan-out-config';
