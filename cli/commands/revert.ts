import { createRevertClients } from '../../shared/clients/revert-clients';
import type { DiffOptions } from '../../shared/diff';
import { fingerprintValue } from '../../shared/diff';
import type { StageKey, StageSnapshot } from '../../shared/model';
import { configAsJson } from '../../shared/model';
import type { RevertCallDeps } from '../../shared/revert/apply';
import { applyStep, readLiveStage } from '../../shared/revert/apply';
import type { ShowValue } from '../../shared/revert/commands';
import { operationOf } from '../../shared/revert/commands';
import { ApiGoneError, RevertPlanError } from '../../shared/revert/errors';
import { planRevert } from '../../shared/revert/plan';
import type { RevertPlan } from '../../shared/revert/types';
import { loadOrCreateFingerprintKey } from '../../shared/store';
import { toAwsUsageError } from '../aws-errors';
import type { CallerIdentity } from '../caller-identity';
import { readCallerIdentity } from '../caller-identity';
import { UsageError } from '../errors';
import { renderRevertPlan, revertPlanJson } from '../format/revert-plan';
import { escapeControlChars, formatValue, renderJsonDocument } from '../format/values';
import type { CliIo } from '../io';
import { EXIT, nowOf, useColour } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { findStage } from './query-support';
import { recordRevert } from './revert-record';
import { resolveRevertTarget } from './revert-target';
import { verifyRevert } from './revert-verify';

export interface RevertOptions extends StoreOptions {
  readonly to?: string;
  readonly region?: string;
  readonly account?: string;
  readonly dryRun?: boolean;
  readonly yes?: boolean;
  readonly showSecrets?: boolean;
  readonly by?: string;
  readonly format?: 'text' | 'json';
}

const variableNames = (...snapshots: ReadonlyArray<StageSnapshot | undefined>): string[] =>
  snapshots.flatMap((s) => {
    if (s === undefined) return [];
    const c = configAsJson(s) as Record<string, unknown>;
    const canary = c.canarySettings as Record<string, unknown> | undefined;
    return [c.variables, c.stageVariables, canary?.stageVariableOverrides].flatMap((m) =>
      m !== null && typeof m === 'object' ? Object.keys(m) : [],
    );
  });

/**
 * The caller, checked against the stage's account before anything is read: with another
 * account's credentials GetStage answers NotFound, which must not read as "the API is gone".
 * Without `--by` the caller is needed (for the record) unless this is a dry run; with `--by`, or
 * on a dry run, an STS that cannot answer only skips the check.
 */
const checkCaller = async (
  options: RevertOptions,
  key: StageKey,
  io: CliIo,
): Promise<CallerIdentity | undefined> => {
  let caller: CallerIdentity | undefined;
  try {
    caller = await readCallerIdentity(key.region, io);
  } catch (error) {
    if (options.by === undefined && !options.dryRun) throw error;
    return undefined;
  }
  if (caller.account !== key.account)
    throw new UsageError(
      `the stage is in account ${key.account}, and your credentials are for ${caller.account} (${caller.arn}): use credentials of ${key.account} (AWS_PROFILE)`,
    );
  return caller;
};

const applyPlan = async (deps: RevertCallDeps, plan: RevertPlan, io: CliIo): Promise<void> => {
  for (const [i, step] of plan.steps.entries()) {
    try {
      await applyStep(deps, plan.key, step);
      io.stderr(`  ${i + 1}/${plan.steps.length} ${operationOf(step)}: done\n`);
    } catch (error) {
      const detail = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
      io.stderr(
        `stage-drift: ${operationOf(step)} (call ${i + 1} of ${plan.steps.length}) failed: ${detail.split('\n')[0]}; ` +
          `${i === 0 ? 'nothing was changed' : `calls 1–${i} were applied`}. The stage is checked below.\n`,
      );
      return;
    }
  }
};

const consent = async (plan: RevertPlan, options: RevertOptions, io: CliIo): Promise<boolean> => {
  if (options.yes) return true;
  if (io.confirm === undefined)
    throw new UsageError(
      'refusing to change the stage without consent: pass --yes (or run on a terminal to confirm), or --dry-run for the plan only',
    );
  const { key } = plan;
  const n = plan.steps.length;
  return io.confirm(
    `Make these ${n} call${n === 1 ? '' : 's'} to ${key.apiId} ${key.stageName} in ${key.account} ${key.region}? [y/N] `,
  );
};

/**
 * `stage-drift revert <apiId> <stageName> [--to TIME]`: puts a stage back to an earlier stored
 * version. Plans (always printed), asks (or refuses off a terminal without --yes), applies,
 * re-reads and verifies; a revert that converged (but for what the plan listed as manual) is
 * recorded as a REVERTED event. Exit 0: converged, dry run or nothing to do; 1: something still
 * differs (manual work, or a call that failed); 2: bad input, refused or not confirmed.
 */
export const runRevertCommand = async (
  apiId: string,
  stageName: string,
  options: RevertOptions,
  io: CliIo,
): Promise<number> => {
  const now = nowOf(io);
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  let clients: ReturnType<typeof createRevertClients> | undefined;
  // In JSON mode stdout holds the plan alone; the outcome lines go to stderr.
  const say = options.format === 'json' ? io.stderr : io.stdout;
  try {
    const { key, versions } = await findStage(opened.store, apiId, stageName, options, opened.describe);
    const target = await resolveRevertTarget(opened.store, key, versions, options.to, now);
    const caller = await checkCaller(options, key, io);
    const fingerprintKey = await loadOrCreateFingerprintKey(opened.client, opened.tableName);
    clients = createRevertClients({ region: key.region });
    const endpoint = io.env.AWS_ENDPOINT_URL;
    const aws = (doing: string) => (error: unknown) => {
      if (error instanceof ApiGoneError || error instanceof RevertPlanError)
        throw new UsageError(error.message, { cause: error });
      throw toAwsUsageError(error, { doing, ...(endpoint ? { endpoint } : {}) }) ?? error;
    };
    const readStage = () =>
      readLiveStage(clients!, key, target.snapshot.apiName).catch(aws(`reading ${apiId} ${stageName}`));
    const current = await readStage();
    const secrets = options.showSecrets === true;
    const diffOptions: DiffOptions = {
      fingerprintKey,
      revealVariables: secrets ? variableNames(current, target.snapshot) : [],
    };
    let plan: RevertPlan;
    try {
      plan = planRevert(current, target.snapshot, diffOptions);
    } catch (error) {
      return aws('planning')(error);
    }
    const show: ShowValue = secrets
      ? (_name, value) => value
      : (_name, value) =>
          formatValue({ redacted: true, fingerprint: fingerprintValue(value, fingerprintKey) });
    io.stdout(
      options.format === 'json'
        ? renderJsonDocument(revertPlanJson(plan, { show, targetVersion: target.capturedAt }))
        : renderRevertPlan(plan, {
            show,
            secretsShown: secrets,
            colour: useColour(io),
            targetVersion: target.capturedAt,
          }),
    );
    if (options.dryRun) return EXIT.ok;
    if (plan.steps.length === 0) return plan.manual.length === 0 ? EXIT.ok : EXIT.drift;
    if (!(await consent(plan, options, io))) {
      io.stderr('stage-drift: not reverted (not confirmed)\n');
      return EXIT.usage;
    }
    // Not a dry run: without --by, checkCaller has the caller or has thrown.
    const by = options.by ?? caller!.arn;
    await applyPlan(clients, plan, io);

    const after = await readStage();
    if (after === undefined) {
      say('not converged: the stage is still missing\n');
      return EXIT.drift;
    }
    const { unexpected, manual } = verifyRevert(after, target.snapshot, plan.manual, diffOptions);
    if (unexpected.length > 0) {
      const n = unexpected.length;
      say(
        `not converged: ${n} field${n === 1 ? '' : 's'} still differ${n === 1 ? 's' : ''}\n` +
          unexpected
            .map(
              (c) =>
                `  ${escapeControlChars(c.label)}: now ${formatValue(c.before)}, target ${formatValue(c.after)}\n`,
            )
            .join(''),
      );
      return EXIT.drift;
    }
    say(
      `converged: ${key.apiId} ${key.stageName} is at the version of ${target.capturedAt}` +
        `${manual.length === 0 ? '' : `, but for ${manual.length} field${manual.length === 1 ? '' : 's'} listed to do by hand`}\n`,
    );
    try {
      const newest = versions[0];
      const record = await recordRevert(opened, {
        after,
        by,
        at: nowOf(io).toISOString(),
        toVersion: target.capturedAt,
        ...(newest === undefined ? {} : { fromVersion: newest.capturedAt }),
        undone: target.undone,
        diffOptions: { fingerprintKey },
      });
      const undid = record.marks?.marked.length ?? 0;
      say(
        `recorded: event ${record.write.eventId ?? '(none)'} (REVERTED by ${by})` +
          `${undid > 0 ? `; ${undid} drift event${undid === 1 ? '' : 's'} marked reverted` : ''}\n`,
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      io.stderr(
        `stage-drift: the stage is reverted, but the record could not be written (${detail}); the next scan records the change\n`,
      );
    }
    return manual.length === 0 ? EXIT.ok : EXIT.drift;
  } finally {
    clients?.destroy();
    await opened.close();
  }
};
