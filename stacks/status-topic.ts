import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";

/** Settings of the status topic. */
export interface StatusTopicProps {
  /** Topic name; unique per stage and account. */
  readonly topicName: string;
  /**
   * E-mail addresses to subscribe (each must confirm the subscription mail).
   * @default - no subscriptions
   */
  readonly emails?: readonly string[];
  /**
   * KMS key for encryption at rest.
   * @default - the AWS-managed `alias/aws/sns` key
   */
  readonly kmsKeyId?: string;
}

/** One message per processed file (and every alarm); subscribers filter on the `Status` and `Format` attributes. */
export class StatusTopic extends Construct {
  /** The topic. */
  public readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: StatusTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", {
      name: props.topicName,
      kmsMasterKeyId: props.kmsKeyId ?? "alias/aws/sns",
    });
    this.topic.overrideLogicalId(id);
    (props.emails ?? []).forEach((email, index) => {
      new SnsTopicSubscription(this, `email-${index}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
      }).overrideLogicalId(`${id}_email_${index}`);
    });
  }
}
