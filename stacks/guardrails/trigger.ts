import { asList, leadingReference, references, resourcesOfType, type TerraformElement, type TerraformJson } from "./terraform-json";

/** One `lambda_function` block of an `aws_s3_bucket_notification`, resolved to addresses. */
export interface LambdaTrigger {
  /** The notification resource. */
  readonly notification: TerraformElement;
  /** `lambda_function[0]`. */
  readonly block: string;
  /** The bucket: its address (`aws_s3_bucket.upload`), or the literal name when it isn't a reference. */
  readonly bucket: string;
  /** Address of the function (or alias) the block invokes; `undefined` for a literal ARN. */
  readonly target?: string;
  /** `filter_prefix`, `""` when unset (every key). */
  readonly filterPrefix: string;
}

/** Every S3 -> Lambda trigger of the stack, in address order. */
export function lambdaTriggers(json: TerraformJson): LambdaTrigger[] {
  return resourcesOfType(json, "aws_s3_bucket_notification").flatMap((notification) =>
    asList(notification.body.lambda_function).map((raw, i) => {
      const block = (raw ?? {}) as Record<string, unknown>;
      return {
        notification,
        block: `lambda_function[${i}]`,
        bucket: bucketKey(notification.body.bucket),
        target: references(block.lambda_function_arn)[0]?.address,
        filterPrefix: typeof block.filter_prefix === "string" ? block.filter_prefix : "",
      };
    }),
  );
}

/** The address a bucket argument (`${aws_s3_bucket.upload.id}`) refers to, or the literal bucket name. */
export function bucketKey(value: unknown): string {
  if (typeof value !== "string") return String(value);
  return leadingReference(value)?.address ?? value;
}
