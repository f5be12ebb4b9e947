import { DataAwsIamPolicyDocument } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import type { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { SqsQueuePolicy } from "@cdktf/provider-aws/lib/sqs-queue-policy";
import { Construct } from "constructs";
import { denyInsecureTransport } from "./policy-statements";

/** How long the on-failure queue keeps an event: SQS's longest, 14 days. */
export const FAILED_EVENT_RETENTION_SECONDS = 14 * 24 * 60 * 60;

/** Lambda's async retry settings when its props leave them out; stages start from these too (`stacks/config.ts`). */
export const FAILURE_DESTINATION_DEFAULTS = { maxRetryAttempts: 2, maxEventAgeSeconds: 6 * 60 * 60 } as const;

/** Settings of the on-failure destination. */
export interface FailureDestinationProps {
  /** Queue name; unique per stage and account. */
  readonly queueName: string;
  /** The function whose failed async invocations land here. */
  readonly function: LambdaFunction;
  /** The function's execution role: Lambda sends to the destination with it. */
  readonly role: IamRole;
  /**
   * Retries after a failed attempt (0-2).
   * @default 2
   */
  readonly maxRetryAttempts?: number;
  /**
   * How long Lambda keeps an event before giving up on it.
   * @default 21600 (6 hours)
   */
  readonly maxEventAgeSeconds?: number;
  /**
   * Customer-managed KMS key for the queue.
   * @default - SQS-managed encryption (SSE-SQS)
   */
  readonly kmsKey?: KmsKey;
}

/**
 * Where an upload goes when processing keeps failing: Lambda's async retries, then an on-failure
 * destination (SQS). Unlike a dead-letter queue, the destination record carries the original S3
 * event *and* the error (type, message, attempts), which is what a person needs to replay it.
 */
export class FailureDestination extends Construct {
  /** The on-failure queue (14-day retention). */
  public readonly queue: SqsQueue;
  /** Retry and destination settings of the function. */
  public readonly invokeConfig: LambdaFunctionEventInvokeConfig;

  constructor(scope: Construct, id: string, props: FailureDestinationProps) {
    super(scope, id);
    this.queue = new SqsQueue(this, "queue", {
      name: props.queueName,
      messageRetentionSeconds: FAILED_EVENT_RETENTION_SECONDS,
      sqsManagedSseEnabled: props.kmsKey === undefined ? true : undefined,
      kmsMasterKeyId: props.kmsKey?.arn,
      kmsDataKeyReusePeriodSeconds: props.kmsKey === undefined ? undefined : 300,
    });
    this.queue.overrideLogicalId(id);

    const tlsOnly = new DataAwsIamPolicyDocument(this, "tls-only", {
      statement: [denyInsecureTransport(["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"], [this.queue.arn])],
    });
    tlsOnly.overrideLogicalId(`${id}_tls_only`);
    new SqsQueuePolicy(this, "queue-policy", { queueUrl: this.queue.url, policy: tlsOnly.json }).overrideLogicalId(id);

    const document = new DataAwsIamPolicyDocument(this, "policy-document", {
      statement: [{ sid: "SendFailedEvents", actions: ["sqs:SendMessage"], resources: [this.queue.arn] }],
    });
    document.overrideLogicalId(`${id}_send`);
    const grant = new IamRolePolicy(this, "grant", {
      name: "on-failure-destination",
      role: props.role.id,
      policy: document.json,
    });
    grant.overrideLogicalId(id);

    // Lambda checks that the role may send to the destination when the config is written.
    this.invokeConfig = new LambdaFunctionEventInvokeConfig(this, "invoke-config", {
      functionName: props.function.functionName,
      maximumRetryAttempts: props.maxRetryAttempts ?? FAILURE_DESTINATION_DEFAULTS.maxRetryAttempts,
      maximumEventAgeInSeconds: props.maxEventAgeSeconds ?? FAILURE_DESTINATION_DEFAULTS.maxEventAgeSeconds,
      destinationConfig: { onFailure: { destination: this.queue.arn } },
      dependsOn: [grant],
    });
    this.invokeConfig.overrideLogicalId(id);
  }
}
