import { createRevertClients } from '../../shared/clients/revert-clients';
import type { DiffOptions } from '../../shared/diff';
import { diffConfigs, fingerprintValue } from '../../shared/diff';
import type { StageSnapshot } from '../../shared/model';
import { configAsJson } from '../../shared/model';
import type { RevertCallDeps } from '../../shared/revert/apply';
import { applyStep, readLiveStage } from '../../shared/revert/apply';
import { operationOf } from '../../shared/revert/commands';
import { ApiGoneError, RevertPlanError } from '../../shared/revert/errors';
import { planRevert } from '../../shared/revert/plan';
import type { RevertPlan } from '../../shared/revert/types';
import { loadOrCreateFingerprintKey } from '../../shared/store';
import { toAwsUsageError } from '../aws-errors';
import { readCallerIdentity } from '../caller-identity';
import { UsageError } from '../errors';
import { renderRevertPlan, revertPlanJson } from '../format/revert-plan';
import { formatValue } from '../format/values';
import type { CliIo } from '../io';
import { EXIT, nowOf, useColour } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import { findStage } from './query-support';
import { recordRevert } from './revert-record';
import { resolveRevertTarget } from './revert-target';

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
    const maps = [
      c.variables,
      c.stageVariables,
      (c.canarySettings as Record<string, unknown> | undefined)?.stageVariableOverrides,
    ];
    return maps.flatMap((m) => (m !== null && typeof m === 'object' ? Object.keys(m) : []));
  });

/** Who runs the revert, and a check that the credentials are the stage's account. */
const identify = async (
  options: RevertOptions,
  account: string,
  region: string,
  io: CliIo,
): Promise<string> => {
  if (options.by !== undefined) return options.by;
  const caller = await readCallerIdentity(region, io);
  if (caller.account !== account)
    throw new UsageError(
      `the stage is in account ${account}, and your credentials are for ${caller.account} (${caller.arn}): use credentials of ${account} (AWS_PROFILE)`,
    );
  return caller.arn;
};

const applyPlan = async (deps: RevertCallDeps, plan: RevertPlan, io: CliIo): Promise<boolean> => {
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
      return false;
    }
  }
  return true;
};

/**
 * `stage-drift revert <apiId> <stageName> [--to TIME]`: puts a stage back to an earlier stored
 * version. Plans (always printed), asks (or refuses off a terminal without --yes), applies,
 * re-reads and verifies; a converged revert is recorded as a REVERTED event.
 * Exit 0: converged (or dry run, or nothing to do); 1: still differs after applying; 2: bad input.
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
  try {
    const { key, versions } = await findStage(opened.store, apiId, stageName, options, opened.describe);
    const target = await resolveRevertTarget(opened.store, key, versions, options.to, now);
    const fingerprintKey = await loadOrCreateFingerprintKey(opened.client, opened.tableName);
    clients = createRevertClients({ region: key.region });
    const endpoint = io.env.AWS_ENDPOINT_URL;
    const aws = (doing: string) => (error: unknown) => {
      if (error instanceof ApiGoneError || error instanceof RevertPlanError)
        throw new UsageError(error.message, { cause: error });
      throw toAwsUsageError(error, { doing, ...(endpoint ? { endpoint } : {}) }) ?? error;
    };
    const current = await readLiveStage(clients, key, target.snapshot.apiName).catch(
      aws(`reading ${apiId} ${stageName}`),
    );
    const secrets = options.showSecrets === true;
    const diffOptions: DiffOptions = {
      fingerprintKey,
      revealVariables: secrets ? variableNames(current, target.snapshot) : [],
    };
    const plan = (() => {
      try {
        return planRevert(current, target.snapshot, diffOptions);
      } catch (error) {
        return aws('planning')(error);
      }
    })();
    const show = secrets
      ? (_name: string, value: string) => value
      : (_name: string, value: string) =>
          formatValue({ redacted: true, fingerprint: fingerprintValue(value, fingerprintKey) });
    if (options.format === 'json')
      io.stdout(
        `${JSON.stringify(revertPlanJson(plan, { show, targetVersion: target.capturedAt }), null, 2)}\n`,
      );
    else
      io.stdout(
        renderRevertPlan(plan, {
          show,
          secretsShown: secrets,
          colour: useColour(io),
          targetVersion: target.capturedAt,
        }),
      );
    if (options.dryRun) return EXIT.ok;
    if (plan.steps.length === 0) return plan.manual.length === 0 ? EXIT.ok : EXIT.drift;
    if (!options.yes) {
      if (io.confirm === undefined)
        throw new UsageError(
          'refusing to change the stage without consent: pass --yes (or run on a terminal to confirm), or --dry-run for the plan only',
        );
      const agreed = await io.confirm(
        `Make these ${plan.steps.length} call${plan.steps.length === 1 ? '' : 's'} to ${key.apiId} ${key.stageName} in ${key.account} ${key.region}? [y/N] `,
      );
      if (!agreed) {
        io.stderr('stage-drift: not reverted (not confirmed)\n');
        return EXIT.usage;
      }
    }
    const by = await identify(options, key.account, key.region, io);
    const applied = await applyPlan(clients, plan, io);
    const after = await readLiveStage(clients, key, target.snapshot.apiName).catch(
      aws(`re-reading ${apiId} ${stageName}`),
    );
    const left =
      after === undefined
        ? undefined
        : diffConfigs(configAsJson(after), configAsJson(target.snapshot), key.apiType, diffOptions);
    if (after === undefined || left === undefined || left.length > 0) {
      const lines =
        after === undefined
          ? ['  the stage does not exist']
          : left!.map((c) => `  ${c.label}: now ${formatValue(c.before)}, target ${formatValue(c.after)}`);
      io.stdout(
        `not converged: ${after === undefined ? 'the stage is still missing' : `${left!.length} field${left!.length === 1 ? '' : 's'} still differ${left!.length === 1 ? 's' : ''}`}\n${lines.join('\n')}\n`,
      );
      return EXIT.drift;
    }
    io.stdout(
      `converged: ${key.apiId} ${key.stageName} is at the version of ${target.capturedAt}${applied ? '' : ' (after a failed call)'}\n`,
    );
    try {
      const record = await recordRevert(opened, {
        after,
        by,
        at: nowOf(io).toISOString(),
        toVersion: target.capturedAt,
        undone: target.undone,
        diffOptions: { fingerprintKey },
      });
      const undid = record.marks?.marked.length ?? 0;
      io.stdout(
        `recorded: event ${record.write.eventId ?? '(none)'} (REVERTED by ${by})${undid > 0 ? `; ${undid} drift event${undid === 1 ? '' : 's'} marked reverted` : ''}\n`,
      );
    } catch (error) {
      const detail = error instanceof Error ? error.message : String(error);
      io.stderr(
        `stage-drift: the stage is reverted, but the record could not be written (${detail}); the next scan records the change\n`,
      );
    }
    return plan.manual.length === 0 ? EXIT.ok : EXIT.drift;
  } finally {
    clients?.destroy();
    await opened.close();
  }
};
