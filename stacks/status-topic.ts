import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicPolicy } from "@cdktf/provider-aws/lib/sns-topic-policy";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { Construct } from "constructs";
import { denyInsecureTransport } from "./policy-statements";

/** Settings of the status topic. */
export interface StatusTopicProps {
  /** Topic name; unique per stage and account. */
  readonly topicName: string;
  /** Account whose CloudWatch alarms may publish here. */
  readonly accountId: string;
  /** Partition for the alarm ARN pattern. */
  readonly partition: string;
  /** Region for the alarm ARN pattern. */
  readonly region: string;
  /**
   * E-mail addresses that receive FAILED files and alarms (each must confirm the subscription mail).
   * @default - no subscriptions
   */
  readonly emails?: readonly string[];
  /**
   * Customer-managed KMS key for encryption at rest.
   * @default - the AWS-managed `alias/aws/sns` key
   */
  readonly kmsKey?: KmsKey;
}

/**
 * Subscribers get FAILED files and every alarm, but not the routine SUCCEEDED/PARTIAL traffic.
 * It filters the message body (both bodies are JSON): the function's has `Status`, a CloudWatch
 * alarm's has `AlarmName`. Not the message attributes: alarms carry none, and SNS never matches
 * `"exists": false` on a message without attributes, so `Status` absent would drop every alarm.
 */
export const ON_CALL_FILTER_POLICY = { $or: [{ Status: ["FAILED"] }, { AlarmName: [{ exists: true }] }] } as const;

/**
 * One message per processed file and every alarm. Subscribers filter on the `Status` and `Format`
 * message attributes of file messages, or on the JSON bodies (see `ON_CALL_FILTER_POLICY`). The
 * topic policy lets this account's CloudWatch alarms publish and refuses publishing without TLS;
 * the function publishes through its role.
 */
export class StatusTopic extends Construct {
  /** The topic. */
  public readonly topic: SnsTopic;

  constructor(scope: Construct, id: string, props: StatusTopicProps) {
    super(scope, id);
    this.topic = new SnsTopic(this, "topic", {
      name: props.topicName,
      kmsMasterKeyId: props.kmsKey?.arn ?? "alias/aws/sns",
    });
    this.topic.overrideLogicalId(id);

    const policy = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          sid: "AlarmsOfThisAccountPublish",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["sns:Publish"],
          resources: [this.topic.arn],
          condition: [
            { test: "ArnLike", variable: "aws:SourceArn", values: [`arn:${props.partition}:cloudwatch:${props.region}:${props.accountId}:alarm:*`] },
            { test: "StringEquals", variable: "aws:SourceAccount", values: [props.accountId] },
          ],
        },
        denyInsecureTransport(["sns:Publish"], [this.topic.arn]),
      ],
    });
    policy.overrideLogicalId(`${id}_topic_policy`);
    new SnsTopicPolicy(this, "policy", { arn: this.topic.arn, policy: policy.json }).overrideLogicalId(id);

    // Keyed by address, not position: reordering the list must not recreate subscriptions
    // (each new one needs the recipient to confirm again).
    for (const email of new Set(props.emails ?? [])) {
      const key = email.toLowerCase().replace(/[^a-z0-9]+/g, "_");
      new SnsTopicSubscription(this, `email-${key}`, {
        topicArn: this.topic.arn,
        protocol: "email",
        endpoint: email,
        filterPolicyScope: "MessageBody",
        filterPolicy: JSON.stringify(ON_CALL_FILTER_POLICY),
      }).overrideLogicalId(`${id}_email_${key}`);
    }
  }
}
