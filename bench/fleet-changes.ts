import type { Fleet } from '../test/support/simulator';

const IGNORE_TAG = 'stage-drift:ignore';

const ignored = (stage: Record<string, unknown>): boolean =>
  (stage.tags as Record<string, string> | undefined)?.[IGNORE_TAG] !== undefined;

/** REST: tracing flipped, a variable changed, or the `*\/*` method throttling lowered. */
const changeRestStage = (stage: Record<string, unknown>, n: number): void => {
  switch (n % 3) {
    case 0:
      stage.tracingEnabled = !(stage.tracingEnabled as boolean);
      return;
    case 1:
      stage.variables = { ...(stage.variables as object | undefined), release: `r${n}` };
      return;
    default: {
      const settings = stage.methodSettings as Record<string, Record<string, unknown>>;
      settings['*/*'] = { ...settings['*/*'], throttlingRateLimit: 7, throttlingBurstLimit: 7 };
    }
  }
};

/** v2: a stage variable changed, or the default route throttling lowered. */
const changeV2Stage = (stage: Record<string, unknown>, n: number): void => {
  if (n % 2 === 0) {
    stage.stageVariables = { ...(stage.stageVariables as object | undefined), release: `r${n}` };
    return;
  }
  stage.defaultRouteSettings = {
    ...(stage.defaultRouteSettings as object),
    throttlingRateLimit: 1,
    throttlingBurstLimit: 1,
  };
};

/**
 * Changes `fraction` of the fleet's stages in place, spread evenly over REST and v2 APIs and
 * over the kinds of change; stages tagged `stage-drift:ignore` are skipped so every change is
 * one drift event. Returns how many stages changed.
 */
export const changeFleet = (fleet: Fleet, fraction: number): number => {
  const rest = fleet.restApis.flatMap((api) => api.stages).filter((stage) => !ignored(stage));
  const v2 = fleet.v2Apis.flatMap((api) => api.stages).filter((stage) => !ignored(stage));
  const total =
    fleet.restApis.reduce((sum, api) => sum + api.stages.length, 0) +
    fleet.v2Apis.reduce((sum, api) => sum + api.stages.length, 0);
  const wanted = Math.max(1, Math.round(total * fraction));
  const fromRest = Math.min(rest.length, Math.round((wanted * rest.length) / (rest.length + v2.length)));
  const pick = <T>(items: readonly T[], count: number): T[] => {
    const step = items.length / Math.max(1, count);
    return Array.from({ length: count }, (_, i) => items[Math.floor(i * step)]!);
  };
  pick(rest, fromRest).forEach(changeRestStage);
  pick(v2, wanted - fromRest).forEach(changeV2Stage);
  return wanted;
};
