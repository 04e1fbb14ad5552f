import { Names, Stack } from 'aws-cdk-lib';
import { CfnEventBusPolicy } from 'aws-cdk-lib/aws-events';
import type { Construct } from 'constructs';
import { ENV } from '../../shared/config';
import type { MonitorFunction } from '../monitor-function';
import type { FanOutSettings } from '../monitor-settings';
import { grantAssumeReaderRoles } from './fan-out';

export interface MemberEventsProps {
  /** The member accounts (or OU) the monitor scans. */
  readonly fanOut: Pick<
    FanOutSettings,
    'targetAccounts' | 'targetOrganizationalUnit' | 'readerRoleName' | 'externalId'
  >;
  /** The rescan function: it rescans the member accounts' APIs through their reader roles. */
  readonly rescan: MonitorFunction;
}

/**
 * The monitor's side of the member accounts' forwarded events (their StageDriftEventForwarder):
 * a statement of the default event bus's policy that lets exactly the target accounts (or the
 * accounts of the target OU, by `aws:PrincipalOrgPaths`) put events on it, so the monitor's two
 * rules (which name no `account`) route their stage-change events to the same queue; and, for the
 * rescan function, the member accounts (its environment: the account check, the reader role and
 * external id) and `sts:AssumeRole` on their reader roles. Created only when there is a member
 * account (`enabled`).
 */
export class MemberEvents {
  readonly enabled: boolean;

  constructor(scope: Construct, { fanOut, rescan }: MemberEventsProps) {
    const stack = Stack.of(scope);
    const accounts = fanOut.targetAccounts.filter((account) => account !== stack.account);
    const ou = fanOut.targetOrganizationalUnit;
    this.enabled = accounts.length > 0 || ou !== undefined;
    if (!this.enabled) return;

    const busArn = stack.formatArn({ service: 'events', resource: 'event-bus', resourceName: 'default' });
    // Statement ids of the construct's own: the default bus's policy is the account's, shared.
    const statementId = (suffix: string) =>
      `${Names.uniqueResourceName(scope, { maxLength: 63 - suffix.length })}-${suffix}`;
    if (accounts.length > 0) {
      new CfnEventBusPolicy(scope, 'MemberAccountsEventBusPolicy', {
        eventBusName: 'default',
        statementId: statementId('Members'),
        statement: {
          Sid: 'StageDriftMemberAccounts',
          Effect: 'Allow',
          Principal: { AWS: accounts.map((account) => `arn:${stack.partition}:iam::${account}:root`) },
          Action: 'events:PutEvents',
          Resource: busArn,
        },
      });
    }
    if (ou !== undefined) {
      // The OU's accounts are known only at run time; an organization path names the OU and the
      // OUs below it (as the AssumeRole grant's aws:ResourceOrgPaths does).
      new CfnEventBusPolicy(scope, 'OrganizationalUnitEventBusPolicy', {
        eventBusName: 'default',
        statementId: statementId('OrgUnit'),
        statement: {
          Sid: 'StageDriftOrganizationalUnit',
          Effect: 'Allow',
          Principal: '*',
          Action: 'events:PutEvents',
          Resource: busArn,
          Condition: { 'ForAnyValue:StringLike': { 'aws:PrincipalOrgPaths': [`*/${ou}/*`] } },
        },
      });
    }

    const fn = rescan.function;
    fn.addEnvironment(ENV.readerRoleName, fanOut.readerRoleName);
    if (fanOut.externalId) fn.addEnvironment(ENV.externalId, fanOut.externalId);
    if (fanOut.targetAccounts.length > 0)
      fn.addEnvironment(ENV.targetAccounts, fanOut.targetAccounts.join(','));
    if (ou) fn.addEnvironment(ENV.targetOrganizationalUnit, ou);
    grantAssumeReaderRoles(scope, rescan, fanOut);
  }
}
