import type { ChangeSource, CloudTrailRecord } from '../../shared/attribution';
import {
  CLOUDFORMATION_STACK_NAME_TAG,
  classifySource,
  isInfrastructureAsCode,
} from '../../shared/attribution';
import { recordOf } from './fixtures';

const withAgent = (userAgent: string, extra: Partial<CloudTrailRecord> = {}): CloudTrailRecord => ({
  ...recordOf('rest-create-deployment-cli'),
  userAgent,
  ...extra,
});

describe('classifySource', () => {
  it.each<[string, ChangeSource]>([
    ['rest-update-stage-console', 'console'],
    ['rest-delete-rest-api-console', 'console'],
    ['http-update-stage-console', 'console'],
    ['waf-disassociate-stage-console', 'console'],
    ['rest-create-deployment-cli', 'cli-sdk'],
    ['rest-tag-stage-cli', 'cli-sdk'],
    ['http-create-api-quick-cli', 'cli-sdk'],
    ['rest-delete-stage-sdk', 'cli-sdk'],
    ['http-untag-stage-sdk', 'cli-sdk'],
    ['rest-update-stage-boto3', 'cli-sdk'],
    ['rest-create-deployment-cloudformation', 'cloudformation'],
    ['http-create-stage-terraform', 'terraform'],
    ['http-delete-api-terraform', 'terraform'],
    ['waf-associate-stage-terraform', 'terraform'],
    ['waf-regional-disassociate-stage-service', 'aws-service'],
  ])('classifies %s as %s', (name, source) => {
    expect(classifySource(recordOf(name))).toEqual({ source });
  });

  it.each<[string, string, Partial<CloudTrailRecord>, ChangeSource]>([
    [
      'CloudFormation named only by invokedBy',
      'aws-sdk-java/1.12',
      { userIdentity: { invokedBy: 'cloudformation.amazonaws.com' } },
      'cloudformation',
    ],
    [
      'CloudFormation named only by the user agent',
      'cloudformation.amazonaws.com',
      { userIdentity: {} },
      'cloudformation',
    ],
    [
      'Terraform before the Go SDK it embeds',
      'HashiCorp/1.0 terraform-provider-aws/5.0.0 aws-sdk-go-v2/1.30.1',
      {},
      'terraform',
    ],
    [
      'CloudShell, a console session using the CLI',
      'aws-cli/2.17.0 exec-env/CloudShell',
      { sessionCredentialFromConsole: true },
      'cli-sdk',
    ],
    ['a browser', 'Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/537.36', {}, 'console'],
    [
      "AWS's own backend on a console session",
      'aws-internal/3 aws-sdk-java/1.12.700',
      { sessionCredentialFromConsole: true },
      'console',
    ],
    [
      'an AWS service by invokedBy',
      'aws-internal/3',
      { userIdentity: { invokedBy: 'fms.amazonaws.com' } },
      'aws-service',
    ],
    [
      'an AWS service identity even with an SDK agent',
      'aws-sdk-java/1.12',
      { userIdentity: { type: 'AWSService', invokedBy: 'AWS Internal' } },
      'aws-service',
    ],
    [
      'Pulumi, an SDK the classifier does not single out',
      'pulumi-aws/6.0 aws-sdk-go-v2/1.30.1',
      {},
      'cli-sdk',
    ],
    ['an empty user agent', '', { userIdentity: {} }, 'unknown'],
    ['a custom tool', 'my-tool/1.0', { userIdentity: {} }, 'unknown'],
  ])('classifies %s', (_label, userAgent, extra, source) => {
    expect(classifySource(withAgent(userAgent, extra)).source).toBe(source);
  });

  it('names the CloudFormation stack when the stage carries the stack-name tag', () => {
    const tags = { [CLOUDFORMATION_STACK_NAME_TAG]: 'payments-api-prod', team: 'payments' };
    expect(classifySource(recordOf('rest-create-deployment-cloudformation'), tags)).toEqual({
      source: 'cloudformation',
      stackName: 'payments-api-prod',
    });
  });

  it('gives no stack name to an out-of-band change on a CloudFormation-managed stage', () => {
    const tags = { [CLOUDFORMATION_STACK_NAME_TAG]: 'payments-api-prod' };
    expect(classifySource(recordOf('rest-update-stage-console'), tags)).toEqual({ source: 'console' });
  });

  it('counts CloudFormation and Terraform, and nothing else, as infrastructure as code', () => {
    const sources: ChangeSource[] = [
      'console',
      'cli-sdk',
      'cloudformation',
      'terraform',
      'aws-service',
      'unknown',
    ];
    expect(sources.filter(isInfrastructureAsCode)).toEqual(['cloudformation', 'terraform']);
  });
});
