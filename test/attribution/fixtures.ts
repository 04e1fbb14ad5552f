import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CloudTrailRecord } from '../../shared/attribution';
import { parseCloudTrailRecord } from '../../shared/attribution';

const DIR = join(__dirname, 'fixtures');

/** Every fixture name (file name without `.json`), sorted. */
export const FIXTURE_NAMES: readonly string[] = readdirSync(DIR)
  .filter((file) => file.endsWith('.json'))
  .map((file) => file.slice(0, -'.json'.length))
  .sort();

export type FixtureEvent = Record<string, unknown> & { readonly detail: Record<string, unknown> };

/** The EventBridge event of one fixture, freshly parsed (safe to mutate). */
export const eventOf = (name: string): FixtureEvent =>
  JSON.parse(readFileSync(join(DIR, `${name}.json`), 'utf8')) as FixtureEvent;

/** The CloudTrail record inside one fixture. */
export const recordOf = (name: string): CloudTrailRecord => parseCloudTrailRecord(eventOf(name).detail);

/** A fixture's record with another time (and id, so several copies stay distinct). */
export const recordAt = (
  name: string,
  eventTime: string,
  eventID = `${name}@${eventTime}`,
): CloudTrailRecord => ({
  ...recordOf(name),
  eventTime,
  eventID,
});

/** The fixtures the stage-change rule must route to the snapshot Lambda. */
export const STAGE_CHANGE_FIXTURES = [
  'http-create-api-quick-cli',
  'http-create-stage-terraform',
  'http-delete-api-terraform',
  'http-untag-stage-sdk',
  'http-update-stage-console',
  'rest-create-deployment-cli',
  'rest-create-deployment-cloudformation',
  'rest-delete-rest-api-console',
  'rest-delete-stage-sdk',
  'rest-tag-stage-cli',
  'rest-update-stage-boto3',
  'rest-update-stage-console',
  'rest-update-stage-failed',
  'tag-domain-name-cli',
  'waf-associate-stage-terraform',
  'waf-disassociate-stage-console',
  'waf-regional-disassociate-stage-service',
] as const;

/** The fixtures the rule must leave alone. */
export const OTHER_FIXTURES = [
  'rest-create-rest-api-cli',
  'rest-get-stages-console',
  'waf-associate-alb-console',
] as const;
