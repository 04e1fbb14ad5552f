import type { ApiType, StageSnapshot } from '../../shared/model';
import { normalizeRestStage, normalizeV2Stage, parseStagesDocument } from '../../shared/normalize';
import {
  httpDefaultStageCli,
  seed000SdkStage,
  seed001SdkStage,
  seed002HalDocument,
  seed004WireStage,
} from '../normalize/seed-documents';

/**
 * Stages for the posture tests: the seed pages' AWS shapes (test/normalize/seed-documents.ts),
 * changed as a test needs, then normalized by the repository's own normalizers, so a control is
 * evaluated on exactly the snapshot a scan stores.
 */

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Draft = Record<string, any>;

const ACCOUNT = '123456789012';
const REGION = 'us-east-1';

const normalize = (apiType: ApiType, stage: Draft, apiId: string, name: string): StageSnapshot => {
  const context = { account: ACCOUNT, region: REGION, api: { apiId, apiType, name } };
  return apiType === 'REST' ? normalizeRestStage(stage, context) : normalizeV2Stage(stage, context);
};

/**
 * Seed 000/003's `prod` stage (SDK v3 shape): every control passes. `*\/*` logs INFO and caches
 * encrypted, `~1pets/GET` logs ERROR and does not cache; a client certificate, X-Ray, a web ACL
 * and an access log destination are set.
 */
export const restStage = (change: (stage: Draft) => void = () => undefined): StageSnapshot => {
  const stage = seed000SdkStage() as Draft;
  change(stage);
  return normalize('REST', stage, 'a1b2c3d4e5', 'pets');
};

/** Seed 002's sample response (`GET /restapis/{id}/stages`, HAL): `beta` and `prod`, nothing configured. */
export const halStages = (): StageSnapshot[] =>
  parseStagesDocument(seed002HalDocument(), {
    apiType: 'REST',
    account: ACCOUNT,
    region: REGION,
    apiId: 'vakw79api0',
    apiName: 'hello',
  }).stages;

/**
 * Seed 001's WebSocket stage `production` (SDK shape): default route ERROR, `sendMessage` INFO,
 * `$connect` without a level of its own (it inherits ERROR), access logs to `ws-access`.
 */
export const websocketStage = (change: (stage: Draft) => void = () => undefined): StageSnapshot => {
  const stage = seed001SdkStage() as Draft;
  change(stage);
  return normalize('WEBSOCKET', stage, 'ws0123abcd', 'chat');
};

/** Seed 004: the same WebSocket stage in the v2 JSON wire form. */
export const websocketWireStage = (): StageSnapshot =>
  normalize('WEBSOCKET', seed004WireStage(), 'ws0123abcd', 'chat');

/** An HTTP API `$default` stage as `aws apigatewayv2 get-stages` prints it: no access logs. */
export const httpStage = (change: (stage: Draft) => void = () => undefined): StageSnapshot => {
  const stage = httpDefaultStageCli() as Draft;
  change(stage);
  return normalize('HTTP', stage, 'h1t2t3p4q5', 'orders');
};

/** An access log destination as `aws apigatewayv2 get-stages` prints it (AWS CLI example). */
export const HTTP_ACCESS_LOGS = {
  DestinationArn: 'arn:aws:logs:us-east-1:123456789012:log-group:http-access',
  Format: '$context.requestId $context.routeKey $context.status',
};
