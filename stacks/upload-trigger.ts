import type { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import type { ITerraformDependable } from "cdktf";
import { Construct } from "constructs";

/** What triggers what. */
export interface UploadTriggerProps {
  /** The bucket whose uploads trigger the function. */
  readonly bucket: S3Bucket;
  /** The function to invoke. */
  readonly function: LambdaFunction;
  /** Account that owns the bucket (`source_account`), so a same-named bucket elsewhere can't invoke. */
  readonly accountId: string;
  /** Key prefix that triggers, ending with `/`. */
  readonly prefix: string;
  /**
   * What must exist before S3 invokes the function: other edits of the same bucket (S3 rejects
   * concurrent bucket edits), and the function's retry and on-failure settings, so that no event
   * meets a function without its destination.
   * @default - none
   */
  readonly after?: ITerraformDependable[];
}

/**
 * The S3 -> Lambda trigger: a permission for `s3.amazonaws.com` scoped to this bucket and account,
 * and the bucket's single notification configuration. S3 validates the destination when the
 * notification is written, so the notification depends on the permission explicitly.
 * No suffix filter: an unsupported file must still reach the function and get a FAILED record.
 */
export class UploadTrigger extends Construct {
  /** The invoke permission for S3. */
  public readonly permission: LambdaPermission;
  /** The bucket's one notification resource (a second one would silently replace it). */
  public readonly notification: S3BucketNotification;

  constructor(scope: Construct, id: string, props: UploadTriggerProps) {
    super(scope, id);
    this.permission = new LambdaPermission(this, "permission", {
      statementId: "AllowS3Invoke",
      action: "lambda:InvokeFunction",
      functionName: props.function.functionName,
      principal: "s3.amazonaws.com",
      sourceArn: props.bucket.arn,
      sourceAccount: props.accountId,
    });
    this.permission.overrideLogicalId(id);

    this.notification = new S3BucketNotification(this, "notification", {
      bucket: props.bucket.id,
      lambdaFunction: [
        {
          id: "process-incoming-orders",
          lambdaFunctionArn: props.function.arn,
          events: ["s3:ObjectCreated:*"],
          filterPrefix: props.prefix,
        },
      ],
      dependsOn: [this.permission, ...(props.after ?? [])],
    });
    this.notification.overrideLogicalId(id);
  }
}
