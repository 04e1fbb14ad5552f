export type { IgnoreConfig, SeverityOverrideConfig, StageDriftConfig } from './config';
export {
  DEFAULT_CONFIG,
  resolveConfig,
  validateEnum,
  validateNumber,
  validateRegions,
  validateRevealVariables,
} from './config';
export { ConfigError } from './errors';
export type { EnvConfig } from './env-config';
export { loadConfigFromEnv } from './env-config';
export type { Env } from './environment';
export { decodeEnv, loadTableName, readEnv } from './environment';
export type { EnvNames, EnvSettingName, EnvSpec, SettingName, SettingReader, SettingSpec } from './settings';
export type { EnvValue } from './encode-environment';
export { encodeEnvironment } from './encode-environment';
export { ENV, envName, numberRange, PUBLISH_ENV, SETTING_NAMES, SETTINGS, settingSpec } from './settings';
export type { ArnKind, ParsedArn } from './aws-names';
export { ARN_SHAPES, isArn, isFifoArn, parseArn, TABLE_NAME } from './aws-names';
export { isKnownRegion, KNOWN_REGIONS, partitionOf } from './regions';
export type { FanOutConfig, MemberAccountsConfig } from './fan-out-config';
export {
  DEFAULT_READER_ROLE_NAME,
  readerRoleArn,
  validateAccountIds,
  validateExternalId,
  validateMonitorAccountId,
  validateOrganizationalUnitId,
  validateRoleName,
  validateStandardQueueUrl,
  validateTaskQueueUrl,
} from './fan-out-config';
