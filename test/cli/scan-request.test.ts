import { parseScanRequest } from '../../cli/commands/scan-request';
import type { ScanCommandOptions } from '../../cli/commands/scan-request';
import { UsageError } from '../../cli/errors';
import type { CliIo } from '../../cli/io';

const ioWith = (env: Record<string, string> = {}): CliIo => ({
  stdout: () => undefined,
  stderr: () => undefined,
  readFile: () => Promise.reject(new Error('no files here')),
  env,
});

const options = (extra: Partial<ScanCommandOptions> = {}): ScanCommandOptions => ({
  region: ['eu-west-1'],
  format: 'text',
  ...extra,
});

const noProfile = () => Promise.resolve(undefined);

describe('parseScanRequest', () => {
  it('turns the options into a request for the embedded store of the caller account', async () => {
    // Act
    const request = await parseScanRequest(options({ quiet: true }), ioWith(), noProfile);

    // Assess
    expect(request.config.regions).toEqual(['eu-west-1']);
    expect(request.destination).toEqual({ kind: 'store', dir: expect.any(String) });
    expect(request.targets).toBeUndefined();
    expect(request.quiet).toBe(true);
    expect(request.endpoint).toBeUndefined();
  });

  it('names the table, the member accounts (once each) and the endpoint used for messages', async () => {
    // Act
    const request = await parseScanRequest(
      options({ table: 'drift', account: ['111111111111', '111111111111'], externalId: 'drift-2026' }),
      ioWith({ AWS_ENDPOINT_URL: 'http://127.0.0.1:5000' }),
      noProfile,
    );

    // Assess
    expect(request.destination).toEqual({ kind: 'table', tableName: 'drift' });
    expect(request.targets).toEqual({
      accounts: ['111111111111'],
      roleName: expect.any(String),
      externalId: 'drift-2026',
    });
    expect(request.endpoint).toBe('http://127.0.0.1:5000');
  });

  it('takes the region from AWS_REGION, then the profile, asking the profile only when needed', async () => {
    // Prepare
    const profile = jest.fn(() => Promise.resolve('ap-south-1'));

    // Act
    const fromEnv = await parseScanRequest(
      options({ region: [] }),
      ioWith({ AWS_REGION: 'us-east-2' }),
      profile,
    );
    const called = profile.mock.calls.length;
    const fromProfile = await parseScanRequest(options({ region: [] }), ioWith(), profile);

    // Assess
    expect(fromEnv.config.regions).toEqual(['us-east-2']);
    expect(called).toBe(0);
    expect(fromProfile.config.regions).toEqual(['ap-south-1']);
  });

  it.each([
    ['--store with --table', options({ store: '/tmp/x', table: 't' }), '--store and --table are exclusive'],
    [
      '--role-name without --account',
      options({ roleName: 'Reader' }),
      '--role-name and --external-id go with --account',
    ],
    ['a malformed account', options({ account: ['42'] }), '--account'],
    ['no region anywhere', options({ region: [] }), 'no region: pass --region eu-west-1'],
    ['an unknown region', options({ region: ['moon-1'] }), '--region'],
    ['a bad rate', options({ requestsPerSecond: -1 }), '--requests-per-second'],
  ])('refuses %s with a UsageError that names it', async (_label, given, message) => {
    // Act
    const parsing = parseScanRequest(given, ioWith(), noProfile);

    // Assess
    await expect(parsing).rejects.toBeInstanceOf(UsageError);
    await expect(parseScanRequest(given, ioWith(), noProfile)).rejects.toThrow(message);
  });
});
