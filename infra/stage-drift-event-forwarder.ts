import { Aws, CfnCondition, Fn, Stack } from 'aws-cdk-lib';
import type { CfnRule, EventPattern } from 'aws-cdk-lib/aws-events';
import { EventBus, Rule } from 'aws-cdk-lib/aws-events';
import { EventBus as EventBusTarget } from 'aws-cdk-lib/aws-events-targets';
import { Role, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
// Plain data: the monitor's own two rules are made of the same two halves (infra/monitor/event-rescans.ts).
import {
  API_GATEWAY_STAGE_CALLS_PATTERN,
  WAF_STAGE_ASSOCIATION_PATTERN,
} from '../shared/attribution/cloudtrail-events';
import { validateMonitorAccountId, validateRegions } from '../shared/config';

/** Properties of {@link StageDriftEventForwarder}. */
export interface StageDriftEventForwarderProps {
  /** The account the `StageDriftMonitor` runs in (12 digits): its default event bus receives the events. */
  readonly monitorAccountId: string;
  /** The region the `StageDriftMonitor` runs in: its default event bus is there. */
  readonly monitorRegion: string;
}

/** The two rules, the halves of STAGE_CHANGE_EVENT_PATTERN, as the monitor's own rules are. */
export const FORWARDED_PATTERNS = [
  {
    id: 'ForwardStageCalls',
    description: 'stage-drift: API Gateway calls that change stages (CloudTrail) -> the monitor account',
    eventPattern: API_GATEWAY_STAGE_CALLS_PATTERN,
  },
  {
    id: 'ForwardWafAssociations',
    description:
      'stage-drift: WAF web ACL (dis)associations on API Gateway stages (CloudTrail) -> the monitor account',
    eventPattern: WAF_STAGE_ASSOCIATION_PATTERN,
  },
] as const;

/**
 * The member-account side of event-driven rescans, in one region: two rules on this account's
 * default event bus (the monitor's own two patterns, imported, not copied) that forward the
 * stage-change CloudTrail events, unchanged, to the monitor account's default event bus in the
 * monitor's region, with a role that may `events:PutEvents` on exactly that bus (what
 * EventBridge requires for a bus in another account or region). Rules are regional: deploy it in
 * every monitored region of every member account (a StackSet over the regions: the reader-role
 * app's `StageDriftEventForwarder` stack, docs/event-driven.md). In the monitor's own account and
 * region the rules are not created (a condition): the monitor's rules already see those events.
 */
export class StageDriftEventForwarder extends Construct {
  /** The role EventBridge uses to put the events on the monitor's bus. */
  readonly role: Role;
  /** The ARN of the monitor's default event bus, the rules' target. */
  readonly monitorBusArn: string;

  constructor(scope: Construct, id: string, props: StageDriftEventForwarderProps) {
    super(scope, id);
    const monitorAccount = validateMonitorAccountId(props.monitorAccountId, 'monitorAccountId');
    const [monitorRegion] = validateRegions([props.monitorRegion], 'monitorRegion');
    const stack = Stack.of(this);
    this.monitorBusArn = `arn:${stack.partition}:events:${monitorRegion}:${monitorAccount}:event-bus/default`;
    const bus = EventBus.fromEventBusArn(this, 'MonitorBus', this.monitorBusArn);

    this.role = new Role(this, 'Role', {
      assumedBy: new ServicePrincipal('events.amazonaws.com'),
      description: `stage-drift: forwards stage-change events to the monitor's event bus in ${monitorAccount}`,
    });
    // The monitor's own account and region: its rules see the events already, and a rule whose
    // target is its own bus would only send them round again.
    const notTheMonitorsBus = new CfnCondition(this, 'NotTheMonitorsBus', {
      expression: Fn.conditionNot(
        Fn.conditionAnd(
          Fn.conditionEquals(Aws.ACCOUNT_ID, monitorAccount),
          Fn.conditionEquals(Aws.REGION, monitorRegion),
        ),
      ),
    });
    for (const { id: ruleId, description, eventPattern } of FORWARDED_PATTERNS) {
      const rule = new Rule(this, ruleId, {
        description,
        eventPattern: eventPattern as unknown as EventPattern,
        // Grants the role events:PutEvents on this bus, and nothing else.
        targets: [new EventBusTarget(bus, { role: this.role })],
      });
      (rule.node.defaultChild as CfnRule).cfnOptions.condition = notTheMonitorsBus;
    }
  }
}
