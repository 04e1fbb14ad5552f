import {
  createAttributionClients,
  createScopeClientCache,
  createScopeClients,
  createStsClient,
  scopeClientConfig,
} from '../../shared/clients';

const KEYS = { accessKeyId: 'AKIDSCOPE', secretAccessKey: 'scope-secret' } as const;
const MEMBER_KEYS = { accessKeyId: 'AKIDMEMBER', secretAccessKey: 'member-secret', sessionToken: 'tok' };
const ROLE = { roleArn: 'arn:aws:iam::111111111111:role/StageDriftReader', externalId: 'drift-2026' };

/** What an SDK client was built with, read back from its resolved config. */
const settingsOf = async (client: {
  config: {
    region: () => Promise<string>;
    maxAttempts: () => Promise<number>;
    credentials: () => Promise<unknown>;
    endpoint?: () => Promise<{ hostname?: string; port?: number; protocol?: string }>;
  };
}) => {
  const endpoint = await client.config.endpoint?.();
  return {
    region: await client.config.region(),
    maxAttempts: await client.config.maxAttempts(),
    credentials: await client.config.credentials(),
    endpoint: endpoint && `${endpoint.protocol}//${endpoint.hostname}:${endpoint.port}`,
  };
};

const memberCredentials = () => ({ credentialsFor: jest.fn(() => Promise.resolve(MEMBER_KEYS)) });

describe('createScopeClients', () => {
  it('builds both API Gateway clients with the region, credentials, endpoint and maxAttempts given', async () => {
    // Prepare
    const options = {
      region: 'eu-west-1',
      credentials: KEYS,
      endpoint: 'http://127.0.0.1:4566',
      maxAttempts: 2,
    };

    // Act
    const clients = createScopeClients(options);

    // Assess
    const expected = { region: 'eu-west-1', maxAttempts: 2, endpoint: 'http://127.0.0.1:4566' };
    expect(await settingsOf(clients.restClient)).toEqual({
      ...expected,
      credentials: expect.objectContaining(KEYS),
    });
    expect(await settingsOf(clients.v2Client)).toEqual({
      ...expected,
      credentials: expect.objectContaining(KEYS),
    });
    clients.destroy();
  });

  it('leaves retrying to the collector (maxAttempts 1) and the endpoint and credentials to the SDK by default', async () => {
    // Act
    const clients = createScopeClients({ region: 'ap-south-1' });

    // Assess
    expect(await clients.restClient.config.region()).toBe('ap-south-1');
    expect(await clients.restClient.config.maxAttempts()).toBe(1);
    expect(await clients.v2Client.config.maxAttempts()).toBe(1);
    expect(clients.restClient.config.endpoint).toBeUndefined();
    clients.destroy();
  });

  it.each([
    ['own account', { region: 'us-east-1' }, { region: 'us-east-1', maxAttempts: 1 }],
    [
      'assumed role',
      { region: 'eu-west-1', credentials: KEYS },
      { region: 'eu-west-1', maxAttempts: 1, credentials: KEYS },
    ],
    [
      'endpoint and attempts',
      { region: 'eu-west-1', endpoint: 'http://localhost:5000', maxAttempts: 1 },
      { region: 'eu-west-1', maxAttempts: 1, endpoint: 'http://localhost:5000' },
    ],
  ])('passes the SDK only the settings given (%s)', (_label, options, expected) => {
    expect(scopeClientConfig(options)).toStrictEqual(expected);
  });

  it('closes both clients on destroy', () => {
    // Prepare
    const clients = createScopeClients({ region: 'us-east-1' });
    const rest = jest.spyOn(clients.restClient, 'destroy');
    const v2 = jest.spyOn(clients.v2Client, 'destroy');

    // Act
    clients.destroy();

    // Assess
    expect(rest).toHaveBeenCalledTimes(1);
    expect(v2).toHaveBeenCalledTimes(1);
  });
});

describe('createScopeClientCache', () => {
  it('signs a member scope with its reader role, renewed through the member credentials', async () => {
    // Prepare
    const members = memberCredentials();
    const cache = createScopeClientCache({ members });

    // Act
    const clients = cache.clientsFor('eu-west-1', ROLE);

    // Assess
    expect(await settingsOf(clients.restClient)).toEqual({
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: expect.objectContaining(MEMBER_KEYS),
      endpoint: undefined,
    });
    expect(await clients.v2Client.config.credentials()).toEqual(expect.objectContaining(MEMBER_KEYS));
    expect(members.credentialsFor).toHaveBeenCalledWith(ROLE.roleArn, ROLE.externalId);
    cache.destroy();
  });

  it("builds the caller's own scope without the member credentials", async () => {
    // Prepare
    const members = memberCredentials();
    const cache = createScopeClientCache({ members, endpoint: 'http://127.0.0.1:5000', maxAttempts: 1 });

    // Act
    const clients = cache.clientsFor('us-east-1');

    // Assess
    expect(await clients.restClient.config.region()).toBe('us-east-1');
    expect(await clients.restClient.config.endpoint?.()).toMatchObject({ hostname: '127.0.0.1', port: 5000 });
    expect(members.credentialsFor).not.toHaveBeenCalled();
    cache.destroy();
  });

  it('builds one set of clients per role and region, and tells onCreate of each', () => {
    // Prepare
    const onCreate = jest.fn();
    const cache = createScopeClientCache({ members: memberCredentials(), onCreate });

    // Act
    const own = cache.clientsFor('us-east-1');
    const ownAgain = cache.clientsFor('us-east-1');
    const member = cache.clientsFor('us-east-1', ROLE);
    const memberAgain = cache.clientsFor('us-east-1', { ...ROLE });
    const otherRegion = cache.clientsFor('eu-west-1', ROLE);

    // Assess
    expect(ownAgain).toBe(own);
    expect(memberAgain).toBe(member);
    expect(new Set([own, member, otherRegion]).size).toBe(3);
    expect(onCreate.mock.calls.map(([clients]: unknown[]) => clients)).toEqual([own, member, otherRegion]);
    cache.destroy();
  });

  it('closes every set of clients it built on destroy', () => {
    // Prepare
    const cache = createScopeClientCache({ members: memberCredentials() });
    const sets = [cache.clientsFor('us-east-1'), cache.clientsFor('eu-west-1', ROLE)];
    const spies = sets.flatMap((set) => [
      jest.spyOn(set.restClient, 'destroy'),
      jest.spyOn(set.v2Client, 'destroy'),
    ]);

    // Act
    cache.destroy();

    // Assess
    for (const spy of spies) expect(spy).toHaveBeenCalledTimes(1);
  });

  it('refuses a role when it was given no member credentials to assume it with', () => {
    expect(() => createScopeClientCache().clientsFor('us-east-1', ROLE)).toThrow(
      `no member credentials to assume ${ROLE.roleArn} with`,
    );
  });
});

describe('createAttributionClients', () => {
  it('builds one CloudTrail client per region, with the scope settings (maxAttempts 1)', async () => {
    // Prepare
    const attribution = createAttributionClients({ credentials: KEYS, endpoint: 'http://127.0.0.1:4566' });

    // Act
    const first = attribution.clientFor('eu-west-1');
    const again = attribution.clientFor('eu-west-1');
    const other = attribution.clientFor('us-east-1');

    // Assess
    expect(again).toBe(first);
    expect(other).not.toBe(first);
    expect(await settingsOf(first)).toEqual({
      region: 'eu-west-1',
      maxAttempts: 1,
      credentials: expect.objectContaining(KEYS),
      endpoint: 'http://127.0.0.1:4566',
    });
    attribution.destroy();
  });
});

describe('createStsClient', () => {
  it("keeps the SDK's own retries (3 attempts) for the caller's clients, in the region given", async () => {
    // Act
    const sts = createStsClient({ region: 'eu-central-1' });

    // Assess
    expect(await sts.config.region()).toBe('eu-central-1');
    expect(await sts.config.maxAttempts()).toBe(3);
    sts.destroy();
  });
});
