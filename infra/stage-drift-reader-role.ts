import { Stack, Token } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  ConfigError,
  DEFAULT_READER_ROLE_NAME,
  validateExternalId,
  validateMonitorAccountId,
  validateRegions,
  validateRoleName,
} from '../shared/config';
import { acknowledgeWildcardResource, policyOnEveryResource } from './nag-acknowledgements';
import { API_GATEWAY_READ_PATHS } from './stage-drift-monitor';

/** Properties of {@link StageDriftReaderRole}. */
export interface StageDriftReaderRoleProps {
  /** The account the `StageDriftMonitor` runs in: the only account trusted to assume the role. */
  readonly monitorAccountId: string;

  /**
   * The monitor's scanning roles, the only principals that may assume this role
   * (`aws:PrincipalArn`): the `ScanningRoleArns` output of the monitor stack
   * (`StageDriftMonitor.scanningRoles`), roles of `monitorAccountId`. Required unless
   * `trustMonitorAccount` is true.
   * @default - none: give them, or set trustMonitorAccount
   */
  readonly monitorRoleArns?: string[];

  /**
   * Trust every principal of the monitor account that its own IAM policies allow
   * `sts:AssumeRole` (still with the external id), instead of the scanning roles only. The
   * behaviour before `monitorRoleArns`; for a monitor whose role ARNs are not known yet.
   * @default false
   */
  readonly trustMonitorAccount?: boolean;

  /**
   * The external id the monitor passes (its `externalId` prop), required by the trust policy
   * (`sts:ExternalId`). 2 to 1224 letters, digits and +=,.@:/_-.
   */
  readonly externalId: string;

  /**
   * The role's name: the monitor's `readerRoleName`. Fixed, so the monitor can name it in every account.
   * @default 'StageDriftReader'
   */
  readonly roleName?: string;

  /**
   * Regions the monitor may read.
   * @default - every region (`arn:aws:apigateway:*::...`)
   */
  readonly regions?: string[];

  /**
   * Also allow `cloudtrail:LookupEvents` (who changed a stage), for a monitor with attribution on.
   * @default false
   */
  readonly attribution?: boolean;
}

/**
 * The read-only role a `StageDriftMonitor` assumes in a member account: trusted by the monitor's
 * scanning roles only (or, if asked, by its account), with the external id, and allowed `apigateway:GET` on the four resources a scan
 * reads (the API listings and each API's stages) and nothing else. Deploy it in every member
 * account, e.g. with a CloudFormation StackSet (docs/multi-account.md).
 */
export class StageDriftReaderRole extends Construct {
  /** The reader role, named `roleName`. */
  readonly role: Role;

  constructor(scope: Construct, id: string, props: StageDriftReaderRoleProps) {
    super(scope, id);
    const monitorAccount = validateMonitorAccountId(props.monitorAccountId, 'monitorAccountId');
    const externalId = validateExternalId(props.externalId, 'externalId');
    const roleName = validateRoleName(props.roleName ?? DEFAULT_READER_ROLE_NAME, 'roleName');
    const regions = props.regions === undefined ? ['*'] : validateRegions(props.regions, 'regions');
    const monitorRoleArns = validateMonitorRoleArns(props, monitorAccount);

    const partition = Stack.of(this).partition;
    const apiGatewayResources = regions.flatMap((region) =>
      API_GATEWAY_READ_PATHS.map((path) => `arn:${partition}:apigateway:${region}::${path}`),
    );
    const statements = [
      new PolicyStatement({
        sid: 'ReadApiGatewayStages',
        actions: ['apigateway:GET'],
        resources: apiGatewayResources,
      }),
    ];
    this.role = new Role(this, 'Role', {
      roleName,
      description: `stage-drift: read-only access for the monitor in account ${monitorAccount}`,
      // The account as principal, narrowed by aws:PrincipalArn: a trust naming the roles themselves
      // would fail to deploy before they exist and break silently when one is recreated.
      assumedBy: new AccountPrincipal(monitorAccount).withConditions({
        StringEquals: { 'sts:ExternalId': externalId },
        ...(monitorRoleArns ? { ArnEquals: { 'aws:PrincipalArn': monitorRoleArns } } : {}),
      }),
      inlinePolicies: { StageDriftRead: new PolicyDocument({ statements }) },
    });

    for (const resource of apiGatewayResources.filter((r) => r.includes('*'))) {
      acknowledgeWildcardResource(
        this.role,
        resource,
        'API Gateway names stages under their API id (/restapis/{id}/stages, /apis/{id}/stages) and the ' +
          'monitor reads every API of the account, so the id (and, unless regions is set, the region) is a ' +
          'wildcard; the action is apigateway:GET only, on the listings and stages only.',
      );
    }
    if (props.attribution === true) {
      policyOnEveryResource(
        this,
        'LookupEventsPolicy',
        this.role,
        { sid: 'LookUpStageChanges', actions: ['cloudtrail:LookupEvents'] },
        'cloudtrail:LookupEvents supports no resource-level permission; it reads management events of this ' +
          'account only, to name who changed a stage.',
      );
    }
    // Adaptive full scans: the monitor asks whether a trail logs this account's management events
    // in a region before it relies on events between full scans (shared/attribution/trail-status.ts).
    policyOnEveryResource(
      this,
      'TrailStatusPolicy',
      this.role,
      {
        sid: 'ReadTrailStatus',
        actions: ['cloudtrail:DescribeTrails', 'cloudtrail:GetEventSelectors', 'cloudtrail:GetTrailStatus'],
      },
      'cloudtrail:DescribeTrails has no resource-level permission, and the trails GetTrailStatus and ' +
        'GetEventSelectors ask about are those DescribeTrails lists (organization and multi-region trails ' +
        "included); read-only trail metadata, no event's content.",
    );
  }
}

const validateMonitorRoleArns = (
  props: StageDriftReaderRoleProps,
  monitorAccount: string,
): readonly string[] | undefined => {
  const arns = props.monitorRoleArns;
  if (props.trustMonitorAccount !== undefined && typeof props.trustMonitorAccount !== 'boolean') {
    throw new ConfigError(
      'trustMonitorAccount',
      `expected true or false, got ${JSON.stringify(props.trustMonitorAccount)}`,
    );
  }
  if (props.trustMonitorAccount === true) {
    if (arns !== undefined) {
      throw new ConfigError(
        'trustMonitorAccount',
        'true trusts the whole monitor account, monitorRoleArns only the roles listed: set one of them',
      );
    }
    return undefined;
  }
  if (arns === undefined || (Array.isArray(arns) && arns.length === 0)) {
    throw new ConfigError(
      'monitorRoleArns',
      "required: the ARNs of the monitor's scanning roles (the ScanningRoleArns output of the monitor " +
        `stack), e.g. arn:aws:iam::${monitorAccount}:role/StageDrift-MonitorSnapshotFunctionRole-…; ` +
        'or trustMonitorAccount: true to trust every principal of the monitor account that its IAM policies ' +
        'allow sts:AssumeRole',
    );
  }
  if (!Array.isArray(arns)) {
    throw new ConfigError('monitorRoleArns', 'expected a list of role ARNs');
  }
  const role = new RegExp(`^arn:aws[a-z-]*:iam::${monitorAccount}:role/[\\w+=,.@/-]{1,512}$`);
  return arns.map((arn: unknown, i) => {
    if (typeof arn !== 'string' || Token.isUnresolved(arn) || !role.test(arn)) {
      throw new ConfigError(
        `monitorRoleArns[${i}]`,
        `expected the ARN of a role in the monitor account ${monitorAccount}, ` +
          `arn:aws:iam::${monitorAccount}:role/<name> (the ScanningRoleArns output of the monitor stack), ` +
          `got ${JSON.stringify(arn)}`,
      );
    }
    return arn;
  });
};
