import type { PostureFormat, PostureRow } from '../format/posture-report';
import { controlInfo, postureRowOf, renderPosture } from '../format/posture-report';
import type { CliIo } from '../io';
import { EXIT, tableStyle } from '../io';
import type { StoreOptions } from '../open-store';
import { openStore } from '../open-store';
import type { EvaluatedStage, PostureFilter } from './posture-support';
import { isFailing, loadPostures, postureControlsOf } from './posture-support';

export interface PostureOptions extends StoreOptions, PostureFilter {
  readonly format: PostureFormat;
  readonly postureRules?: string;
}

export const toPostureRow = ({ entry, posture }: EvaluatedStage): PostureRow =>
  postureRowOf(entry.key, entry.apiName, entry.capturedAt, posture.results);

/** `stage-drift posture`: the stage × control matrix of the latest snapshots; exit 1 when a control fails. */
export const runPostureCommand = async (options: PostureOptions, io: CliIo): Promise<number> => {
  const controls = postureControlsOf(options.postureRules);
  const opened = await openStore({ ...options, tableRegion: options.region }, io, 'read');
  try {
    const stages = await loadPostures(opened.store, options, opened.describe, controls);
    io.stdout(
      renderPosture(stages.map(toPostureRow), controlInfo([...controls]), options.format, tableStyle(io)),
    );
    return stages.some((s) => isFailing(s.posture)) ? EXIT.drift : EXIT.ok;
  } finally {
    await opened.close();
  }
};
