import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Alias } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface DriftTopicProps {
  /**
   * Encrypts the topic the monitor creates.
   * @default - the AWS managed key `alias/aws/sns` when the alarms go elsewhere; none when they come here
   */
  readonly key?: IKey;
  /** The monitor's alarms publish to this topic (no `operationsTopic`). */
  readonly receivesAlarms: boolean;
  /**
   * A topic to publish to instead of creating one.
   * @default - a new topic, encrypted with the key
   */
  readonly existingTopic?: ITopic;
  /** Subscribed to the topic, each once (validated and deduplicated by the settings). */
  readonly emailSubscriptions: readonly string[];
}

/**
 * The SNS topic drift events go to (as JSON with message attributes; by default the alarms'
 * notifications too), created in `scope` as `Topic`, or the existing one, and its email
 * subscriptions.
 */
export class DriftTopic {
  readonly topic: ITopic;

  constructor(scope: Construct, props: DriftTopicProps) {
    this.topic = props.existingTopic ?? createTopic(scope, props.key, props.receivesAlarms);
    for (const email of props.emailSubscriptions) this.topic.addSubscription(new EmailSubscription(email));
  }
}

/**
 * The topic's key: the customer-managed one if the monitor has it; otherwise `alias/aws/sns`, free,
 * unless the alarms publish here: CloudWatch cannot publish to a topic under an AWS managed key
 * (its policy cannot grant `cloudwatch.amazonaws.com`), so that topic has no SSE: its messages hold no
 * secret (stage variable values are fingerprinted), SNS keeps them only until delivered, and the
 * policy enforces TLS. (AwsSolutions has no SNS encryption rule; see docs/deploy.md, "Encryption".)
 */
const topicKey = (scope: Construct, key: IKey | undefined, receivesAlarms: boolean): IKey | undefined => {
  if (key) return key;
  if (!receivesAlarms) return Alias.fromAliasName(scope, 'TopicManagedKey', 'alias/aws/sns');
  return undefined;
};

const createTopic = (scope: Construct, key: IKey | undefined, receivesAlarms: boolean): Topic => {
  const masterKey = topicKey(scope, key, receivesAlarms);
  const topic = new Topic(scope, 'Topic', {
    displayName: 'stage-drift',
    masterKey,
    enforceSSL: true,
    signatureVersion: '2',
  });
  // enforceSSL replaces SNS's default access policy, so the account's alarms need their own
  // statement to publish (the alarms of this monitor use the topic unless operationsTopic is set).
  const stack = Stack.of(scope);
  topic.addToResourcePolicy(
    new PolicyStatement({
      sid: 'AllowAccountAlarmsToPublish',
      principals: [new ServicePrincipal('cloudwatch.amazonaws.com')],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        ArnLike: {
          'aws:SourceArn': `arn:${stack.partition}:cloudwatch:${stack.region}:${stack.account}:alarm:*`,
        },
      },
    }),
  );
  return topic;
};
