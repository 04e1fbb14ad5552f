import {
  CloudTrailClient,
  CreateTrailCommand,
  PutEventSelectorsCommand,
  StartLoggingCommand,
  StopLoggingCommand,
} from '@aws-sdk/client-cloudtrail';
import { readTrailStatus, selectorsLogWriteManagementEvents } from '../../shared/attribution';
import type { MotoServer } from '../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../support/moto';

// The trail check of adaptive full scans against moto's CloudTrail (DescribeTrails with shadow
// trails, GetTrailStatus by ARN from another region, CreateTrail, StartLogging, PutEventSelectors).

let moto: MotoServer;
const clients = new Map<string, CloudTrailClient>();
const clientFor = (region: string): CloudTrailClient => {
  let client = clients.get(region);
  if (!client) {
    client = new CloudTrailClient({ region, endpoint: moto.endpoint, credentials: AWS_TEST_CREDENTIALS });
    clients.set(region, client);
  }
  return client;
};

const bucket = async (name: string) => {
  // moto's S3 in path style: CreateTrail requires the bucket to exist.
  const response = await fetch(`${moto.endpoint}/${name}`, { method: 'PUT' });
  if (!response.ok) throw new Error(`bucket ${name}: HTTP ${response.status}`);
};

beforeAll(async () => {
  moto = await startMoto();
});
afterAll(async () => {
  for (const client of clients.values()) client.destroy();
  await moto.stop();
});
beforeEach(async () => {
  await moto.reset();
  await bucket('trail-bucket');
});

describe('readTrailStatus (moto CloudTrail)', () => {
  it('finds no trail in an account without one', async () => {
    const status = await readTrailStatus(clientFor, 'eu-west-1');
    expect(status).toMatchObject({ logging: false, detail: 'no trail applies to eu-west-1', calls: 1 });
  });

  it('says a created trail is not logging until StartLogging, and then that it logs', async () => {
    const home = clientFor('us-east-1');
    await home.send(new CreateTrailCommand({ Name: 'monitor-trail', S3BucketName: 'trail-bucket' }));
    expect((await readTrailStatus(clientFor, 'us-east-1')).logging).toBe(false);
    await home.send(new StartLoggingCommand({ Name: 'monitor-trail' }));
    const status = await readTrailStatus(clientFor, 'us-east-1');
    expect(status).toMatchObject({ logging: true, calls: 3 });
    expect(status.detail).toContain('trail/monitor-trail');
    // A single-region trail of us-east-1 logs nothing of eu-west-1.
    expect((await readTrailStatus(clientFor, 'eu-west-1')).logging).toBe(false);
    await home.send(new StopLoggingCommand({ Name: 'monitor-trail' }));
    expect(await readTrailStatus(clientFor, 'us-east-1')).toMatchObject({ logging: false });
  });

  it('counts a multi-region trail in every region (its shadow trail), asked by ARN', async () => {
    const home = clientFor('us-east-1');
    await home.send(
      new CreateTrailCommand({ Name: 'org-trail', S3BucketName: 'trail-bucket', IsMultiRegionTrail: true }),
    );
    await home.send(new StartLoggingCommand({ Name: 'org-trail' }));
    const status = await readTrailStatus(clientFor, 'eu-west-1');
    expect(status.logging).toBe(true);
    expect(status.detail).toBe(
      'arn:aws:cloudtrail:us-east-1:123456789012:trail/org-trail logs management events',
    );
  });

  it('refuses a trail whose selectors log read-only management events only', async () => {
    const home = clientFor('us-east-1');
    await home.send(new CreateTrailCommand({ Name: 'reads-only', S3BucketName: 'trail-bucket' }));
    await home.send(new StartLoggingCommand({ Name: 'reads-only' }));
    await home.send(
      new PutEventSelectorsCommand({
        TrailName: 'reads-only',
        EventSelectors: [{ ReadWriteType: 'ReadOnly', IncludeManagementEvents: true }],
      }),
    );
    const status = await readTrailStatus(clientFor, 'us-east-1');
    expect(status.logging).toBe(false);
    expect(status.detail).toContain('does not log write management events');
  });

  it('answers "not logging" with the error when a call fails', async () => {
    const failing = () =>
      ({
        send: () => Promise.reject(Object.assign(new Error('denied'), { name: 'AccessDeniedException' })),
      }) as unknown as CloudTrailClient;
    expect(await readTrailStatus(failing, 'eu-west-1')).toMatchObject({
      logging: false,
      detail: 'the trail check failed (AccessDeniedException: denied)',
    });
  });
});

describe('selectorsLogWriteManagementEvents', () => {
  it.each([
    ['CloudTrail default (no selectors)', undefined, undefined, true],
    ['All', [{ ReadWriteType: 'All' as const, IncludeManagementEvents: true }], undefined, true],
    ['WriteOnly', [{ ReadWriteType: 'WriteOnly' as const }], undefined, true],
    ['ReadOnly', [{ ReadWriteType: 'ReadOnly' as const }], undefined, false],
    [
      'data events only',
      [{ ReadWriteType: 'All' as const, IncludeManagementEvents: false }],
      undefined,
      false,
    ],
    [
      'advanced: management',
      undefined,
      [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Management'] }] }],
      true,
    ],
    [
      'advanced: read-only management',
      undefined,
      [
        {
          FieldSelectors: [
            { Field: 'eventCategory', Equals: ['Management'] },
            { Field: 'readOnly', Equals: ['true'] },
          ],
        },
      ],
      false,
    ],
    [
      'advanced: data events',
      undefined,
      [{ FieldSelectors: [{ Field: 'eventCategory', Equals: ['Data'] }] }],
      false,
    ],
  ])('%s', (_, basic, advanced, expected) => {
    expect(selectorsLogWriteManagementEvents(basic, advanced)).toBe(expected);
  });
});
