import { functionIdentity } from '../../../lambdas/snapshot/planner-deps';

describe('functionIdentity', () => {
  it.each([
    ['arn:aws:lambda:eu-west-1:111122223333:function:planner', 'aws'],
    ['arn:aws-cn:lambda:cn-north-1:111122223333:function:planner', 'aws-cn'],
    ['arn:aws-us-gov:lambda:us-gov-west-1:111122223333:function:planner:live', 'aws-us-gov'],
  ])('reads the account and partition of %s', (arn, partition) => {
    expect(functionIdentity(arn)).toEqual({ ownAccount: '111122223333', partition });
  });

  it('refuses an ARN that names no account, rather than plan for a made-up one', () => {
    expect(() => functionIdentity('planner')).toThrow('the invoked function ARN "planner" names no account');
  });
});
