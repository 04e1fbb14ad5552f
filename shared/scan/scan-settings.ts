import type { StageDriftConfig } from '../config';
import type { DiffOptions } from '../diff';
import { validateDiffOptions } from '../diff';
import { compilePostureRules, DEFAULT_CONTROLS } from '../posture';
import type { ScanDeps } from './scan-types';

/**
 * The scan's collect and diff settings from the validated configuration: one mapping for the
 * Lambdas and the CLI. The fingerprint key comes from the store (`loadOrCreateFingerprintKey`).
 */
export const scanSettingsFrom = (
  config: StageDriftConfig,
  fingerprintKey: string,
): Required<Pick<ScanDeps, 'collect' | 'diff' | 'outOfBand' | 'postureControls'>> => {
  const diff: DiffOptions = {
    fingerprintKey,
    revealVariables: config.revealVariables,
    severityOverrides: config.severityOverrides,
    ignore: config.ignore,
  };
  validateDiffOptions(diff); // resolveConfig checked the patterns already; this checks the key
  return {
    collect: {
      ratePerSecond: config.requestsPerSecond,
      burst: config.burst,
      concurrency: config.concurrency,
      throttleDeadlineMs: config.throttleDeadlineSeconds * 1000,
    },
    diff,
    outOfBand: config.outOfBand,
    // resolveConfig checked the rules; compiled here, they are controls of the same shape.
    postureControls: [...DEFAULT_CONTROLS, ...compilePostureRules(config.postureRules)],
  };
};
