import type { TaskMessage } from '../../../lambdas/snapshot/task-queue';
import { planRun } from '../../../lambdas/snapshot/plan-run';

const fanOut = { targetAccounts: [] as string[], readerRoleName: 'StageDriftReader', taskQueueUrl: 'x.fifo' };

const planWith = async (config: Partial<typeof fanOut> & { targetOrganizationalUnit?: string }) => {
  const sent: TaskMessage[] = [];
  const listed: string[] = [];
  const result = await planRun(
    {
      queue: { send: (messages) => Promise.resolve(void sent.push(...messages)) },
      listOrganizationAccounts: (ou) => {
        listed.push(ou);
        return Promise.resolve(['333333333333', '999988887777']);
      },
      ownAccount: '999988887777',
      partition: 'aws',
    },
    { ...fanOut, ...config },
    ['eu-west-1'],
    '2024-06-01T00:15:00Z',
  );
  return { result, sent, listed };
};

describe('planRun', () => {
  it('adds the OU accounts to the listed ones and scans its own account without a role', async () => {
    // Act
    const { result, sent, listed } = await planWith({
      targetAccounts: ['111111111111'],
      targetOrganizationalUnit: 'ou-ab12-cd34ef56',
    });

    // Assess
    expect(listed).toEqual(['ou-ab12-cd34ef56']);
    expect(result).toEqual({ accounts: 3, tasks: 3 });
    expect(sent.map((m) => [m.task, m.deduplicationId])).toEqual([
      [
        {
          account: '111111111111',
          region: 'eu-west-1',
          roleArn: 'arn:aws:iam::111111111111:role/StageDriftReader',
        },
        '111111111111#eu-west-1#2024-06-01T00:15:00Z',
      ],
      [
        {
          account: '333333333333',
          region: 'eu-west-1',
          roleArn: 'arn:aws:iam::333333333333:role/StageDriftReader',
        },
        '333333333333#eu-west-1#2024-06-01T00:15:00Z',
      ],
      [{ account: '999988887777', region: 'eu-west-1' }, '999988887777#eu-west-1#2024-06-01T00:15:00Z'],
    ]);
  });

  it('scans its own account over the regions when no target is configured', async () => {
    const { sent, listed } = await planWith({});
    expect(listed).toEqual([]);
    expect(sent.map((m) => m.task)).toEqual([{ account: '999988887777', region: 'eu-west-1' }]);
  });
});
