import { AssumeRoleCommand, STSClient } from '@aws-sdk/client-sts';
import { mockClient } from 'aws-sdk-client-mock';
import { MemberCredentials, ScopeAccessError } from '../../../shared/credentials';

const ROLE = 'arn:aws:iam::111111111111:role/StageDriftReader';
const HOUR = 3_600_000;

const stsError = (name: string, status: number) =>
  Object.assign(new Error(`${name} happened`), { name, $metadata: { httpStatusCode: status } });

const credentials = (expiresAt: number) => ({
  Credentials: {
    AccessKeyId: 'AKIA',
    SecretAccessKey: 'secret',
    SessionToken: 'token',
    Expiration: new Date(expiresAt),
  },
});

describe('MemberCredentials', () => {
  const sts = mockClient(STSClient);
  afterEach(() => sts.reset());

  it('assumes each role once, with the external id, until shortly before the credentials expire', async () => {
    // Prepare
    let now = 0;
    sts.on(AssumeRoleCommand).resolves(credentials(HOUR));
    const cache = new MemberCredentials({ sts: new STSClient({}), now: () => now });

    // Act
    await cache.credentialsFor(ROLE, 'ext-1');
    await cache.credentialsFor(ROLE, 'ext-1');
    now = HOUR - 60_000; // within the 5-minute margin
    await cache.credentialsFor(ROLE, 'ext-1');

    // Assess
    const calls = sts.commandCalls(AssumeRoleCommand);
    expect(calls).toHaveLength(2);
    expect(calls[0]!.args[0].input).toMatchObject({
      RoleArn: ROLE,
      ExternalId: 'ext-1',
      RoleSessionName: 'stage-drift',
    });
  });

  it('turns a refusal into a ScopeAccessError and forgets it, so the next task asks again', async () => {
    // Prepare
    sts.on(AssumeRoleCommand).rejectsOnce(stsError('AccessDenied', 403)).resolves(credentials(HOUR));
    const cache = new MemberCredentials({ sts: new STSClient({}) });

    // Act + Assess
    const refused = await cache.credentialsFor(ROLE).catch((error: unknown) => error);
    expect(refused).toBeInstanceOf(ScopeAccessError);
    expect(refused).toMatchObject({ errorName: 'AccessDenied', message: expect.stringContaining(ROLE) });
    await expect(cache.credentialsFor(ROLE)).resolves.toMatchObject({ accessKeyId: 'AKIA' });
  });

  it.each([
    ['throttling', stsError('Throttling', 400)],
    ['a server error', stsError('InternalFailure', 500)],
    ['a network error', new Error('socket hang up')],
  ])('rethrows %s as it is, for a retry', async (_, error) => {
    sts.on(AssumeRoleCommand).rejects(error);
    const refused = await new MemberCredentials({ sts: new STSClient({}) })
      .credentialsFor(ROLE)
      .catch((e: unknown) => e);
    expect(refused).not.toBeInstanceOf(ScopeAccessError);
  });
});
