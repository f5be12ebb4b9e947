import { dependsOn, leadingReference, resourcesOfType, type TerraformElement, type TerraformJson } from "./terraform-json";
import { bucketKey, lambdaTriggers } from "./trigger";

const S3 = "s3.amazonaws.com";
const UNABLE = `S3 checks the destination when the notification is written and fails with "Unable to validate the following destination configurations"`;

/**
 * Guardrail 5: every `aws_s3_bucket_notification` depends on the `aws_lambda_permission` of each
 * function it targets; that permission lets `s3.amazonaws.com` invoke, limited by `source_arn` (the
 * bucket's arn) and `source_account`; and each bucket has exactly one notification resource (S3 keeps
 * one configuration per bucket, so a second resource silently replaces the first).
 */
export function checkNotificationPermission(json: TerraformJson): string[] {
  const problems: string[] = [];
  const permissions = resourcesOfType(json, "aws_lambda_permission");

  const byBucket = new Map<string, string[]>();
  for (const n of resourcesOfType(json, "aws_s3_bucket_notification")) {
    const bucket = bucketKey(n.body.bucket);
    byBucket.set(bucket, [...(byBucket.get(bucket) ?? []), n.address]);
  }
  for (const [bucket, notifications] of byBucket) {
    if (notifications.length > 1) {
      problems.push(
        `${bucket} has ${notifications.length} aws_s3_bucket_notification resources (${notifications.join(", ")}): S3 keeps one ` +
          `notification configuration per bucket, so whichever is applied last silently replaces the others; merge their ` +
          `lambda_function, queue and topic blocks into one resource`,
      );
    }
  }

  for (const t of lambdaTriggers(json)) {
    if (!t.target) continue;
    const where = `${t.notification.address} ${t.block}`;
    const target = t.target;
    const forTarget = permissions.filter((p) => names(p, target, json));
    const fromS3 = forTarget.filter((p) => p.body.principal === S3);
    if (fromS3.length === 0) {
      problems.push(
        forTarget.length > 0
          ? `${forTarget.map((p) => p.address).join(", ")} grants ${forTarget.map((p) => JSON.stringify(p.body.principal)).join(", ")}, ` +
              `but ${where} needs S3 to invoke ${target}; set principal "${S3}"`
          : `${where} targets ${target}, but no aws_lambda_permission lets ${S3} invoke it: add one (action ` +
              `"lambda:InvokeFunction", principal "${S3}", source_arn = the bucket's arn, source_account) and list it in ` +
              `the notification's depends_on; otherwise ${UNABLE}`,
      );
      continue;
    }
    const permission = fromS3.find((p) => isBucketArn(p.body.source_arn, t.bucket, json)) ?? fromS3[0];
    const expectedArn = leadingReference(String(t.notification.body.bucket)) ? `\${${t.bucket}.arn}` : `arn:aws:s3:::${t.bucket}`;
    if (!isBucketArn(permission.body.source_arn, t.bucket, json)) {
      problems.push(
        `${permission.address}: source_arn is ${permission.body.source_arn === undefined ? "not set" : JSON.stringify(permission.body.source_arn)}, ` +
          `so it does not limit ${target} to the bucket of ${t.notification.address}; set source_arn to "${expectedArn}"`,
      );
    }
    if (permission.body.source_account === undefined || permission.body.source_account === "") {
      problems.push(
        `${permission.address}: source_account is not set; bucket names are global, so a bucket of the same name in another ` +
          `account could invoke ${target}; set source_account to the bucket owner's account ("\${data.aws_caller_identity.current.account_id}")`,
      );
    }
    const deps = dependsOn(t.notification.body);
    if (!deps.includes(permission.address)) {
      problems.push(
        `${t.notification.address} does not depend on ${permission.address} (depends_on: ${deps.length > 0 ? deps.join(", ") : "none"}): ` +
          `Terraform may write the notification before the permission exists, and ${UNABLE}; add ${permission.address} to its depends_on`,
      );
    }
  }
  return problems;
}

/** Whether a permission's `function_name` names the function: by reference, or by its literal name. */
function names(permission: TerraformElement, target: string, json: TerraformJson): boolean {
  const value = permission.body.function_name;
  if (typeof value !== "string") return false;
  const ref = leadingReference(value);
  if (ref) return ref.address === target;
  const [type, name] = target.split(".");
  const fn = json.resource?.[type]?.[name];
  return fn !== undefined && (fn.function_name === value || fn.arn === value);
}

function isBucketArn(value: unknown, bucket: string, json: TerraformJson): boolean {
  if (typeof value !== "string") return false;
  const ref = leadingReference(value);
  if (ref) return ref.address === bucket && ref.attribute === "arn" && ref.suffix === "";
  const literalName = bucketResource(bucket, json) ? bucketResource(bucket, json)?.bucket : bucket;
  return typeof literalName === "string" && /^arn:[\w-]+:s3:::/.test(value) && value.endsWith(`:::${literalName}`);
}

/** The `aws_s3_bucket` a bucket key names, when it is an address of this stack. */
function bucketResource(bucket: string, json: TerraformJson): TerraformElement["body"] | undefined {
  const [type, name] = bucket.split(".");
  return type === "aws_s3_bucket" && name ? json.resource?.aws_s3_bucket?.[name] : undefined;
}
