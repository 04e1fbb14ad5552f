import { Stack } from 'aws-cdk-lib';
import { PolicyStatement, ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import type { ITopic } from 'aws-cdk-lib/aws-sns';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

export interface DriftTopicProps {
  /** Encrypts the topic the monitor creates. */
  readonly key: IKey;
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
    this.topic = props.existingTopic ?? createTopic(scope, props.key);
    for (const email of props.emailSubscriptions) this.topic.addSubscription(new EmailSubscription(email));
  }
}

const createTopic = (scope: Construct, key: IKey): Topic => {
  const topic = new Topic(scope, 'Topic', {
    displayName: 'stage-drift',
    masterKey: key,
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
