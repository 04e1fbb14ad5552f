import type {
  AdvancedEventSelector,
  CloudTrailClient,
  EventSelector,
  Trail,
} from '@aws-sdk/client-cloudtrail';
import {
  DescribeTrailsCommand,
  GetEventSelectorsCommand,
  GetTrailStatusCommand,
} from '@aws-sdk/client-cloudtrail';

/**
 * Whether a CloudTrail trail logs a region's write management events: EventBridge receives
 * `AWS API Call via CloudTrail` events only then (EventBridge User Guide, "Events from AWS
 * services via CloudTrail"), so it is what adaptive full scans ask before relying on events.
 */
export interface TrailStatus {
  readonly logging: boolean;
  /** The trail that logs (its ARN), or why none does. */
  readonly detail: string;
  /** CloudTrail calls made (DescribeTrails, GetTrailStatus, GetEventSelectors). */
  readonly calls: number;
}

/** Pure: whether basic or advanced event selectors log write management events. */
export const selectorsLogWriteManagementEvents = (
  basic: readonly EventSelector[] | undefined,
  advanced: readonly AdvancedEventSelector[] | undefined,
): boolean => {
  if (advanced && advanced.length > 0) {
    return advanced.some((selector) => {
      const fields = selector.FieldSelectors ?? [];
      const category = fields.find((f) => f.Field === 'eventCategory');
      const readOnly = fields.find((f) => f.Field === 'readOnly');
      const management = category?.Equals?.includes('Management') === true;
      // Other fields (eventSource, eventName exclusions) are not read: a selector narrowed by them
      // is taken to log our calls, and the canary (a change no event announced) catches it if not.
      return management && !(readOnly?.Equals?.length === 1 && readOnly.Equals[0] === 'true');
    });
  }
  // No basic selectors at all: CloudTrail's default, every management event.
  if (basic === undefined || basic.length === 0) return true;
  return basic.some((s) => s.IncludeManagementEvents !== false && (s.ReadWriteType ?? 'All') !== 'ReadOnly');
};

/** The region a trail ARN lives in (`arn:aws:cloudtrail:<region>:...`). */
const regionOfArn = (arn: string | undefined): string | undefined => arn?.split(':')[3];

/**
 * The trail check of `region` (one account: the client's credentials): DescribeTrails (with
 * shadow trails, so multi-region and organization trails count), then for each trail that
 * applies, GetTrailStatus (is it logging) and GetEventSelectors in the trail's home region. `clientFor(region)` gives a client of that region. A failed call is a
 * trail not known to log (`logging: false`, the error in `detail`): the safe answer.
 */
export const readTrailStatus = async (
  clientFor: (region: string) => CloudTrailClient,
  region: string,
): Promise<TrailStatus> => {
  let calls = 0;
  try {
    const client = clientFor(region);
    calls += 1;
    const { trailList = [] } = await client.send(new DescribeTrailsCommand({ includeShadowTrails: true }));
    const applying = trailList.filter(
      (t: Trail) => t.IsMultiRegionTrail === true || (t.HomeRegion ?? region) === region,
    );
    if (applying.length === 0) return { logging: false, detail: `no trail applies to ${region}`, calls };
    const reasons: string[] = [];
    for (const trail of applying) {
      const name = trail.TrailARN ?? trail.Name ?? '';
      calls += 1;
      const status = await client.send(new GetTrailStatusCommand({ Name: name }));
      if (status.IsLogging !== true) {
        reasons.push(`${name} is not logging`);
        continue;
      }
      // Selectors are read unless the trail is an organization trail showing the default ones (a
      // member account may not read its selectors); `HasCustomEventSelectors` alone is not trusted
      // (moto leaves it false after PutEventSelectors).
      if (trail.HasCustomEventSelectors === true || trail.IsOrganizationTrail !== true) {
        const home = trail.HomeRegion ?? regionOfArn(trail.TrailARN) ?? region;
        calls += 1;
        const selectors = await clientFor(home).send(new GetEventSelectorsCommand({ TrailName: name }));
        if (!selectorsLogWriteManagementEvents(selectors.EventSelectors, selectors.AdvancedEventSelectors)) {
          reasons.push(`${name} does not log write management events`);
          continue;
        }
      }
      return { logging: true, detail: `${name} logs management events`, calls };
    }
    return { logging: false, detail: reasons.join('; '), calls };
  } catch (error) {
    const name = (error as { name?: string }).name ?? 'Error';
    return {
      logging: false,
      detail: `the trail check failed (${name}: ${(error as Error).message ?? ''})`.slice(0, 300),
      calls,
    };
  }
};
