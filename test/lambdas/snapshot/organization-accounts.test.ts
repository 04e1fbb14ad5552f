import {
  CloseAccountCommand,
  ListAccountsForParentCommand,
  ListOrganizationalUnitsForParentCommand,
  OrganizationsClient,
} from '@aws-sdk/client-organizations';
import type { AwsClientStub } from 'aws-sdk-client-mock';
import { mockClient } from 'aws-sdk-client-mock';
import { listActiveAccounts } from '../../../lambdas/snapshot/organization-accounts';
import type { MotoServer } from '../../support/moto';
import { AWS_TEST_CREDENTIALS, startMoto } from '../../support/moto';
import { createMotoOrganization } from '../../support/moto-organizations';

describe('listActiveAccounts against Organizations (moto)', () => {
  let moto: MotoServer;
  let organizations: OrganizationsClient;

  beforeAll(async () => {
    moto = await startMoto();
    organizations = new OrganizationsClient({
      endpoint: moto.endpoint,
      region: 'us-east-1',
      credentials: AWS_TEST_CREDENTIALS,
    });
  });

  afterAll(async () => {
    organizations?.destroy();
    await moto?.stop();
  });

  it('lists the ACTIVE accounts of the OU and of its child and grandchild OUs, every page, each once', async () => {
    // Prepare: root > workloads > { prod > payments, dev }, and a sibling OU outside the target.
    const org = await createMotoOrganization(organizations);
    const workloads = await org.ou(org.rootId, 'workloads');
    const prod = await org.ou(workloads, 'prod');
    const dev = await org.ou(workloads, 'dev');
    const payments = await org.ou(prod, 'payments');
    const sandbox = await org.ou(org.rootId, 'sandbox');
    const expected = [
      await org.account(workloads, 'shared-services'),
      await org.account(prod, 'prod-api'),
      await org.account(prod, 'prod-web'),
      await org.account(dev, 'dev-api'),
      await org.account(payments, 'payments-api'),
    ];
    const closed = await org.account(payments, 'payments-old');
    await organizations.send(new CloseAccountCommand({ AccountId: closed }));
    const outside = await org.account(sandbox, 'sandbox-1');
    const calls: string[] = [];
    organizations.middlewareStack.add(
      (next, context) => (args) => {
        calls.push(context.commandName ?? '');
        return next(args);
      },
      { step: 'initialize', name: 'countCalls' },
    );

    // Act: one item per page, so every list is read over several pages.
    const accounts = await listActiveAccounts(organizations, workloads, { pageSize: 1 });

    // Assess
    expect(accounts).toEqual([...expected].sort());
    expect(accounts).not.toContain(closed);
    expect(accounts).not.toContain(outside);
    // Each of the 4 OUs lists its accounts and its child OUs, one item per page: workloads has 2
    // child OUs (2 pages), the others 1 or none (1 page); 1 + 2 + 1 + 2 accounts (one page at least).
    const count = (name: string) => calls.filter((c) => c === name).length;
    expect(count('ListOrganizationalUnitsForParentCommand')).toBe(2 + 1 + 1 + 1);
    expect(count('ListAccountsForParentCommand')).toBe(1 + 2 + 1 + 2);
  });
});

describe('listActiveAccounts (paging and states)', () => {
  // Mocks the class's prototype: created per test and restored, so the moto suite above is untouched.
  let organizations: AwsClientStub<OrganizationsClient>;
  beforeEach(() => {
    organizations = mockClient(OrganizationsClient);
  });
  afterEach(() => organizations.restore());

  it('reads every page, empty ones included, and keeps the ACTIVE accounts only, sorted', async () => {
    // Prepare
    organizations
      .on(ListAccountsForParentCommand, { ParentId: 'ou-ab12-cd34ef56', NextToken: undefined })
      .resolves({
        Accounts: [
          { Id: '333333333333', State: 'ACTIVE' },
          { Id: '444444444444', State: 'SUSPENDED' },
        ],
        NextToken: 't1',
      })
      .on(ListAccountsForParentCommand, { NextToken: 't1' })
      .resolves({ Accounts: [], NextToken: 't2' })
      .on(ListAccountsForParentCommand, { NextToken: 't2' })
      .resolves({
        Accounts: [
          { Id: '111111111111', Status: 'ACTIVE' },
          { Id: '555555555555', State: 'CLOSED' },
        ],
      })
      .on(ListOrganizationalUnitsForParentCommand)
      .resolves({ OrganizationalUnits: [] });

    // Act
    const accounts = await listActiveAccounts(new OrganizationsClient({}), 'ou-ab12-cd34ef56');

    // Assess
    expect(accounts).toEqual(['111111111111', '333333333333']);
    expect(organizations.commandCalls(ListAccountsForParentCommand)).toHaveLength(3);
  });

  it('fails on a repeated page token instead of looping', async () => {
    organizations
      .on(ListAccountsForParentCommand)
      .resolves({ Accounts: [] })
      .on(ListOrganizationalUnitsForParentCommand)
      .resolves({ OrganizationalUnits: [], NextToken: 'same' });
    await expect(listActiveAccounts(new OrganizationsClient({}), 'ou-ab12-cd34ef56')).rejects.toThrow(
      'ListOrganizationalUnitsForParent returned the pagination token "same" twice',
    );
  });
});
