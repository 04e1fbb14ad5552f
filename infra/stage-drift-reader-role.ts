import { Stack, Token } from 'aws-cdk-lib';
import { AccountPrincipal, PolicyDocument, PolicyStatement, Role } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import {
  ConfigError,
  DEFAULT_READER_ROLE_NAME,
  validateExternalId,
  validateRegions,
  validateRoleName,
} from '../shared/config';
import { acknowledgeWildcardResource } from './nag-acknowledgements';
import { API_GATEWAY_READ_PATHS } from './stage-drift-monitor';

/** Properties of {@link StageDriftReaderRole}. */
export interface StageDriftReaderRoleProps {
  /** The account the `StageDriftMonitor` runs in: the only account trusted to assume the role. */
  readonly monitorAccountId: string;

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
   * The monitor's snapshot function role: when given, only that role (not every principal of the
   * monitor account that may call sts:AssumeRole) can assume this one (`aws:PrincipalArn`).
   * @default - any principal of the monitor account allowed by its own IAM policies
   */
  readonly monitorRoleArn?: string;

  /**
   * Regions the monitor may read. @default - every region (`arn:aws:apigateway:*::...`)
   */
  readonly regions?: readonly string[];

  /**
   * Also allow `cloudtrail:LookupEvents` (who changed a stage), for a monitor with attribution on.
   * @default false
   */
  readonly attribution?: boolean;
}

/**
 * The read-only role a `StageDriftMonitor` assumes in a member account: trusted by the monitor
 * account only, with the external id, and allowed `apigateway:GET` on the four resources a scan
 * reads (the API listings and each API's stages) and nothing else. Deploy it in every member
 * account, e.g. with a CloudFormation StackSet (docs/multi-account.md).
 */
export class StageDriftReaderRole extends Construct {
  readonly role: Role;

  constructor(scope: Construct, id: string, props: StageDriftReaderRoleProps) {
    super(scope, id);
    const monitorAccount = props.monitorAccountId;
    if (typeof monitorAccount !== 'string' || !/^\d{12}$/.test(monitorAccount)) {
      throw new ConfigError(
        'monitorAccountId',
        `${JSON.stringify(monitorAccount)} is not an AWS account id: use the 12 digits of the monitor's account`,
      );
    }
    const externalId = validateExternalId(props.externalId, 'externalId');
    const roleName = validateRoleName(props.roleName ?? DEFAULT_READER_ROLE_NAME, 'roleName');
    const regions = props.regions === undefined ? ['*'] : validateRegions(props.regions, 'regions');
    if (props.monitorRoleArn !== undefined) {
      if (
        Token.isUnresolved(props.monitorRoleArn) ||
        !new RegExp(`^arn:aws[a-z-]*:iam::${monitorAccount}:role/[\\w+=,.@/-]{1,512}$`).test(
          props.monitorRoleArn,
        )
      ) {
        throw new ConfigError(
          'monitorRoleArn',
          `expected the ARN of a role in the monitor account ${monitorAccount}, ` +
            `arn:aws:iam::${monitorAccount}:role/<name>: the snapshot function role of the monitor stack`,
        );
      }
    }

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
    if (props.attribution === true) {
      statements.push(
        new PolicyStatement({
          sid: 'LookUpStageChanges',
          actions: ['cloudtrail:LookupEvents'],
          resources: ['*'],
        }),
      );
    }
    this.role = new Role(this, 'Role', {
      roleName,
      description: `stage-drift: read-only access for the monitor in account ${monitorAccount}`,
      assumedBy: new AccountPrincipal(monitorAccount).withConditions({
        StringEquals: { 'sts:ExternalId': externalId },
        ...(props.monitorRoleArn ? { ArnEquals: { 'aws:PrincipalArn': props.monitorRoleArn } } : {}),
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
      acknowledgeWildcardResource(
        this.role,
        '*',
        'cloudtrail:LookupEvents supports no resource-level permission; it reads management events of this ' +
          'account only, to name who changed a stage.',
      );
    }
  }
}
