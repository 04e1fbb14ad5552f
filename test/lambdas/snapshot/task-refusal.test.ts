import type { TaskScopePolicy } from '../../../lambdas/snapshot/fan-out';
import { taskRefusal } from '../../../lambdas/snapshot/fan-out';
import type { ScanTask } from '../../../shared/scan';

const OWN = '123456789012';
const MEMBER = '111111111111';
const role = (account: string, name = 'StageDriftReader', partition = 'aws') =>
  `arn:${partition}:iam::${account}:role/${name}`;

const policy = (fanOut: Partial<TaskScopePolicy['fanOut']> = {}): TaskScopePolicy => ({
  ownAccount: OWN,
  partition: 'aws',
  regions: ['eu-west-1', 'us-east-1'],
  fanOut: { targetAccounts: [], readerRoleName: 'StageDriftReader', ...fanOut },
});

describe('taskRefusal', () => {
  it.each<[string, ScanTask, TaskScopePolicy, string | undefined]>([
    [
      'a target with its reader role',
      { account: MEMBER, region: 'eu-west-1', roleArn: role(MEMBER) },
      policy({ targetAccounts: [MEMBER] }),
      undefined,
    ],
    [
      'its own account without a role, no targets configured',
      { account: OWN, region: 'us-east-1' },
      policy(),
      undefined,
    ],
    [
      'its own account without a role, listed as a target',
      { account: OWN, region: 'us-east-1' },
      policy({ targetAccounts: [OWN, MEMBER] }),
      undefined,
    ],
    [
      'an OU member (IAM checks the OU at AssumeRole)',
      { account: '222222222222', region: 'eu-west-1', roleArn: role('222222222222') },
      policy({ targetOrganizationalUnit: 'ou-ab12-cd34ef56' }),
      undefined,
    ],
    [
      'a region not configured',
      { account: MEMBER, region: 'ap-south-1', roleArn: role(MEMBER) },
      policy({ targetAccounts: [MEMBER] }),
      'region ap-south-1 is not configured',
    ],
    [
      'an account not a target',
      { account: '999999999999', region: 'eu-west-1', roleArn: role('999999999999') },
      policy({ targetAccounts: [MEMBER] }),
      'account 999999999999 is not a target',
    ],
    [
      'a member when no targets are configured',
      { account: MEMBER, region: 'eu-west-1', roleArn: role(MEMBER) },
      policy(),
      `account ${MEMBER} is not a target`,
    ],
    [
      'another account without a role',
      { account: MEMBER, region: 'eu-west-1' },
      policy({ targetAccounts: [MEMBER] }),
      "only the function's own account is scanned without a role",
    ],
    [
      'another role than the reader role',
      { account: MEMBER, region: 'eu-west-1', roleArn: role(MEMBER, 'Admin') },
      policy({ targetAccounts: [MEMBER] }),
      'is not the reader role',
    ],
    [
      "another account's role",
      { account: MEMBER, region: 'eu-west-1', roleArn: role('999999999999') },
      policy({ targetAccounts: [MEMBER] }),
      'is not the reader role',
    ],
    [
      'another partition',
      { account: MEMBER, region: 'eu-west-1', roleArn: role(MEMBER, 'StageDriftReader', 'aws-cn') },
      policy({ targetAccounts: [MEMBER] }),
      'is not the reader role',
    ],
  ])('decides on %s', (_label, task, given, refusal) => {
    const result = taskRefusal(task, given);
    if (refusal === undefined) expect(result).toBeUndefined();
    else expect(result).toContain(refusal);
  });
});
