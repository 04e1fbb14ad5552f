import type { CloudTrailRecord } from './cloudtrail-record';

/** Through what a change was made. */
export type ChangeSource = 'console' | 'cli-sdk' | 'cloudformation' | 'terraform' | 'aws-service' | 'unknown';

export const CHANGE_SOURCES: readonly ChangeSource[] = [
  'console',
  'cli-sdk',
  'cloudformation',
  'terraform',
  'aws-service',
  'unknown',
];

/** The tag CloudFormation puts on the resources of a stack (CDK stacks included). */
export const CLOUDFORMATION_STACK_NAME_TAG = 'aws:cloudformation:stack-name';

export interface SourceClassification {
  readonly source: ChangeSource;
  /** Only for `cloudformation`, and only when the stage carries the stack-name tag. */
  readonly stackName?: string;
}

/** Infrastructure as code: expected change, which out-of-band mode leaves out or lowers. */
export const isInfrastructureAsCode = (source: ChangeSource): boolean =>
  source === 'cloudformation' || source === 'terraform';

const CLOUDFORMATION = 'cloudformation.amazonaws.com';
// Terraform's AWS provider: `APN/1.0 HashiCorp/1.0 Terraform/1.3.7 (+https://www.terraform.io)
// terraform-provider-aws/5.57.0 ... aws-sdk-go-v2/1.30.1 ...` (a real CreateStage record). It
// contains an SDK marker too, so it is tested before the CLI/SDK markers.
const TERRAFORM_MARKERS = ['Terraform/', 'terraform-provider-aws'];
const CLI_SDK_MARKERS = ['aws-cli/', 'aws-sdk-', 'Boto3/', 'botocore/'];
// The console's own calls: `AWS Internal` (a real WAF DisassociateWebACL record made in the console
// also carries `sessionCredentialFromConsole`), a browser user agent, or a console host.
const CONSOLE_MARKERS = ['console.amazonaws.com', 'signin.amazonaws.com', 'Mozilla/'];

const hasAny = (text: string, markers: readonly string[]): boolean =>
  markers.some((marker) => text.includes(marker));

const isServiceHost = (value: string | undefined): boolean =>
  value !== undefined && /^[a-z0-9.-]+\.amazonaws\.com$/.test(value);

type ClassifiedFields = Pick<
  CloudTrailRecord,
  'userAgent' | 'userIdentity' | 'sourceIPAddress' | 'sessionCredentialFromConsole'
>;

const sourceOf = (record: ClassifiedFields): ChangeSource => {
  const userAgent = record.userAgent ?? '';
  const { invokedBy, type } = record.userIdentity;
  if (
    invokedBy === CLOUDFORMATION ||
    userAgent.includes(CLOUDFORMATION) ||
    record.sourceIPAddress === CLOUDFORMATION
  ) {
    return 'cloudformation';
  }
  if (hasAny(userAgent, TERRAFORM_MARKERS)) return 'terraform';
  if (type === 'AWSService') return 'aws-service';
  // `aws-internal/3 aws-sdk-java/...`: AWS's own backend calling, not the user's SDK.
  const internal = userAgent === 'AWS Internal' || userAgent.startsWith('aws-internal/');
  if (!internal && hasAny(userAgent, CLI_SDK_MARKERS)) return 'cli-sdk';
  if (hasAny(userAgent, CONSOLE_MARKERS) || record.sessionCredentialFromConsole === true) return 'console';
  if (isServiceHost(invokedBy) || isServiceHost(userAgent)) return 'aws-service';
  if (internal) return 'console';
  return 'unknown';
};

/**
 * Through what a CloudTrail-recorded call was made, from its user agent, `invokedBy` and session
 * context: CloudFormation (CDK and SAM deploy through it), Terraform, an AWS service acting on
 * its own, the CLI or an SDK, the console, or unknown. Pass the stage's tags to learn the stack
 * name of a CloudFormation change.
 */
export const classifySource = (
  record: ClassifiedFields,
  stageTags?: Readonly<Record<string, string>>,
): SourceClassification => {
  const source = sourceOf(record);
  const stackName = stageTags?.[CLOUDFORMATION_STACK_NAME_TAG];
  return source === 'cloudformation' && stackName ? { source, stackName } : { source };
};
