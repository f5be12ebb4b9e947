import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { Construct } from "constructs";

/** Who the key serves. */
export interface EncryptionKeyProps {
  /** Alias without the `alias/` prefix, e.g. `order-pipeline-dev`. */
  readonly aliasName: string;
  /** Account that owns the key (`data.aws_caller_identity.current.account_id`). */
  readonly accountId: string;
  /** Partition (`aws`, `aws-cn`, `aws-us-gov`) for ARNs built in the policy. */
  readonly partition: string;
  /** Region of the stack; the CloudWatch Logs principal and `kms:ViaService` values are regional. */
  readonly region: string;
  /**
   * The partition's DNS suffix (`amazonaws.com`, `amazonaws.com.cn`), which ends `kms:ViaService`
   * values and the CloudWatch Logs principal: Logs is the one service here whose principal is both
   * regional and partitional (`logs.cn-north-1.amazonaws.com.cn`); the others are `<service>.amazonaws.com`
   * in every partition.
   */
  readonly dnsSuffix: string;
  /** Name of the function's log group; only that group may use the key through CloudWatch Logs. */
  readonly logGroupName: string;
  /**
   * Name of the status topic; CloudWatch alarms may use the key only to publish to that topic. A
   * name, not the topic's ARN attribute: the topic is encrypted with this key, so referring to it
   * here would make a cycle.
   */
  readonly statusTopicName: string;
  /**
   * Days a scheduled deletion waits (7-30).
   * @default 30
   */
  readonly deletionWindowDays?: number;
}

/** Services that use the key on a caller's behalf (S3 objects, table items, queue and topic messages, Lambda environment). */
const VIA_SERVICES = ["s3", "dynamodb", "sqs", "sns", "lambda"] as const;

/** A customer-managed key and the services (`kms:ViaService` values) through which callers use it. */
export interface StackKey {
  readonly key: KmsKey;
  readonly viaServices: readonly string[];
}

/**
 * The stack's one customer-managed key, rotated yearly, with an explicit key policy: the account
 * administers it, so IAM policies grant its use (the function's role may use it only through
 * `viaServices`); CloudWatch Logs may use it for this function's log group only, and CloudWatch
 * alarms only to publish to the status topic.
 */
export class EncryptionKey extends Construct implements StackKey {
  /** The key. */
  public readonly key: KmsKey;
  /** `kms:ViaService` values of the services that use the key for the pipeline, in the stack's region. */
  public readonly viaServices: readonly string[];
  /** `alias/<aliasName>`, for people and the console. */
  public readonly alias: KmsAlias;
  /** The key policy, as structured data. */
  public readonly policyDocument: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: EncryptionKeyProps) {
    super(scope, id);
    const { accountId, partition, region } = props;
    const root = `arn:${partition}:iam::${accountId}:root`;
    this.viaServices = VIA_SERVICES.map((service) => `${service}.${region}.${props.dnsSuffix}`);
    const logGroupArn = `arn:${partition}:logs:${region}:${accountId}:log-group:${props.logGroupName}`;
    const topicArn = `arn:${partition}:sns:${region}:${accountId}:${props.statusTopicName}`;
    // Spelled out rather than `kms:ReEncrypt*` / `kms:GenerateDataKey*`: no wildcard grants, even in a key policy.
    const useActions = [
      "kms:Encrypt",
      "kms:Decrypt",
      "kms:ReEncryptFrom",
      "kms:ReEncryptTo",
      "kms:GenerateDataKey",
      "kms:GenerateDataKeyWithoutPlaintext",
      "kms:DescribeKey",
    ];

    this.policyDocument = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [
        {
          // Without this statement no IAM policy could grant use of the key, and nobody could manage it.
          sid: "AccountAdministersKey",
          principals: [{ type: "AWS", identifiers: [root] }],
          actions: ["kms:*"],
          resources: ["*"],
        },
        {
          sid: "CloudWatchLogsUseKeyForFunctionLogGroup",
          principals: [{ type: "Service", identifiers: [`logs.${region}.${props.dnsSuffix}`] }],
          actions: useActions,
          resources: ["*"],
          condition: [{ test: "ArnEquals", variable: "kms:EncryptionContext:aws:logs:arn", values: [logGroupArn] }],
        },
        {
          sid: "CloudWatchAlarmsPublishToEncryptedTopic",
          principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
          actions: ["kms:Decrypt", "kms:GenerateDataKey"],
          resources: ["*"],
          // SNS asks for data keys with the topic's ARN as encryption context: no other use of the key passes.
          condition: [
            { test: "StringEquals", variable: "aws:SourceAccount", values: [accountId] },
            { test: "StringEquals", variable: "kms:EncryptionContext:aws:sns:topicArn", values: [topicArn] },
          ],
        },
      ],
    });
    this.policyDocument.overrideLogicalId(`${id}_key_policy`);

    this.key = new KmsKey(this, "key", {
      description: `Encrypts the ${props.aliasName} order pipeline: bucket, table, queue, topic, logs, function environment`,
      enableKeyRotation: true,
      isEnabled: true,
      deletionWindowInDays: props.deletionWindowDays ?? 30,
      policy: this.policyDocument.json,
    });
    this.key.overrideLogicalId(id);

    this.alias = new KmsAlias(this, "alias", { name: `alias/${props.aliasName}`, targetKeyId: this.key.keyId });
    this.alias.overrideLogicalId(id);
  }
}
