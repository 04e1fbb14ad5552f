import { CloudTrailClient, LookupEventsCommand } from '@aws-sdk/client-cloudtrail';
import { mockClient } from 'aws-sdk-client-mock';
import { COLLECTOR_CLIENT_CONFIG } from '../../shared/collect';
import { ScopeAccessError } from '../../shared/credentials';
import { ManualClock } from '../../shared/runtime';
import { cloudTrailAttribution } from '../../shared/scan';
import { asLookupEvent, fixtureEventFor } from './cloudtrail-events';

const OWN = '123456789012';
const MEMBER = '111122223333';
const WINDOW = { start: new Date('2025-03-04T10:00:00Z'), end: new Date('2025-03-04T10:30:00Z') };
const region = 'us-east-1';

const newClient = () =>
  new CloudTrailClient({
    region,
    credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    ...COLLECTOR_CLIENT_CONFIG,
  });

describe("the scheduled scan's CloudTrail lookup in member accounts (the reader role's LookupEvents)", () => {
  const own = newClient();
  const member = newClient();
  const ownMock = mockClient(own);
  const memberMock = mockClient(member);
  const clock = new ManualClock({ start: Date.parse('2025-03-04T10:31:00Z') });
  afterEach(() => {
    ownMock.reset();
    memberMock.reset();
  });
  afterAll(() => {
    ownMock.restore();
    memberMock.restore();
    own.destroy();
    member.destroy();
  });

  it("looks up a member account's records with the member's client, never the monitor's own", async () => {
    // Prepare
    const event = fixtureEventFor('rest-update-stage-console', {
      apiId: 'a1b2c3d4e5',
      at: new Date('2025-03-04T10:04:41Z'),
    });
    event.detail.recipientAccountId = MEMBER;
    memberMock.on(LookupEventsCommand).resolves({ Events: [asLookupEvent(event)] });
    const asked: string[] = [];
    const attribution = cloudTrailAttribution(
      OWN,
      () => own,
      clock,
      (account, r) => {
        asked.push(`${account}/${r}`);
        return account === MEMBER ? member : undefined;
      },
    );

    // Act
    const result = await attribution.lookup({ account: MEMBER, region }, WINDOW);

    // Assess
    expect(asked).toEqual([`${MEMBER}/${region}`]);
    expect(result.records.map((r) => r.eventID)).toEqual([event.detail.eventID]);
    expect(result.failures).toEqual([]);
    expect(ownMock.commandCalls(LookupEventsCommand)).toHaveLength(0);
    expect(memberMock.commandCalls(LookupEventsCommand).length).toBeGreaterThan(0);
  });

  it('leaves the drift unattributed, counting no failure, when the reader role may not call LookupEvents', async () => {
    // Prepare: a reader role deployed without attribution: true.
    memberMock.on(LookupEventsCommand).rejects(
      Object.assign(new Error('User is not authorized to perform: cloudtrail:LookupEvents'), {
        name: 'AccessDeniedException',
        $metadata: { httpStatusCode: 400 },
      }),
    );
    const attribution = cloudTrailAttribution(
      OWN,
      () => own,
      clock,
      () => member,
    );

    // Act
    const result = await attribution.lookup({ account: MEMBER, region }, WINDOW);

    // Assess
    expect(result).toMatchObject({ records: [], complete: false, failures: [] });
    expect(result.incompleteReason).toBe(
      `the reader role of ${MEMBER} may not call cloudtrail:LookupEvents (StageDriftReaderRole attribution: true grants it)`,
    );
  });

  it('says why when the reader role cannot be assumed, and keeps the old reason without member clients', async () => {
    const refused = cloudTrailAttribution(
      OWN,
      () => own,
      clock,
      () => {
        const client = newClient();
        mockClient(client)
          .on(LookupEventsCommand)
          .rejects(new ScopeAccessError('AssumeRole refused', 'AccessDenied'));
        return client;
      },
    );
    expect((await refused.lookup({ account: MEMBER, region }, WINDOW)).incompleteReason).toBe(
      `the reader role of ${MEMBER} could not be assumed for the lookup`,
    );
    const ownOnly = cloudTrailAttribution(OWN, () => own, clock);
    expect((await ownOnly.lookup({ account: MEMBER, region }, WINDOW)).incompleteReason).toBe(
      `attribution covers the monitor's own account only, not ${MEMBER}`,
    );
  });
});
