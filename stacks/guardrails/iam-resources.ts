import { policyStatements } from "./iam-statements";
import { leadingReference, type TerraformJson } from "./terraform-json";

/**
 * Actions that AWS authorizes only on `"*"`: their service defines no resource type for them
 * (Service Authorization Reference, "Resource types" column empty), so no ARN could be named.
 */
export const STAR_ONLY_ACTIONS: ReadonlySet<string> = new Set([
  // X-Ray: what the Lambda runtime and the X-Ray SDK call with active tracing (AWSXRayDaemonWriteAccess).
  "xray:PutTraceSegments",
  "xray:PutTelemetryRecords",
  "xray:GetSamplingRules",
  "xray:GetSamplingTargets",
  "xray:GetSamplingStatisticSummaries",
  // CloudWatch custom metrics through the API; scope it with the cloudwatch:namespace condition instead.
  "cloudwatch:PutMetricData",
  // VPC functions: Lambda describes the ENIs it manages (AWSLambdaVPCAccessExecutionRole).
  "ec2:DescribeNetworkInterfaces",
]);

// An attribute that holds an ARN: `arn`, `qualified_arn`; `(qualified_)invoke_arn` is an API Gateway URI, not an IAM resource.
const ARN_ATTRIBUTE = /^(arn|(?![a-z_]*invoke_arn$)[a-z_]*_arn)$/;

/**
 * Guardrail 2: every statement's resources are ARNs. `"*"` only where every action of the statement
 * is one AWS allows only on `"*"` ({@link STAR_ONLY_ACTIONS}); otherwise an ARN literal (`arn:...`)
 * or a reference to an `arn` attribute, optionally followed by a `/...` or `:...` suffix. The seed
 * project's `${UploadBucket}/*` is a bucket *name* plus `/*`: IAM matches nothing with it.
 * KMS key policies are exempt: there `"*"` means the key itself.
 */
export function checkIamResources(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const s of policyStatements(json)) {
    if (s.keyPolicy) continue;
    for (const resource of s.resources) {
      const where = `${s.policy} ${s.label}`;
      if (resource === "*") {
        const scoped = s.actions.filter((a) => !STAR_ONLY_ACTIONS.has(a));
        if (scoped.length > 0 || s.notActions.length > 0 || s.actions.length === 0) {
          const named = scoped.length > 0 ? scoped : s.notActions.length > 0 ? [`not_actions ${s.notActions.join(", ")}`] : ["no action"];
          problems.push(
            `${where}: resource "*" grants ${named.join(", ")} on every resource of the account; "*" is only for ` +
              `actions AWS authorizes on "*" alone (${[...STAR_ONLY_ACTIONS].join(", ")}). Name the ARNs ` +
              `(e.g. "\${aws_s3_bucket.upload.arn}/incoming/*") and keep any "*"-only actions in a statement of their own`,
          );
        }
        continue;
      }
      if (resource.startsWith("arn:")) continue;
      const ref = leadingReference(resource);
      if (ref && ARN_ATTRIBUTE.test(ref.attribute) && /^([/:].*)?$/s.test(ref.suffix)) continue;
      problems.push(`${where}: resource "${resource}" is not an ARN, so IAM matches nothing with it (or rejects the policy); ${fixFor(resource)}`);
    }
  }
  return problems;
}

function fixFor(resource: string): string {
  const ref = leadingReference(resource);
  if (ref && !ARN_ATTRIBUTE.test(ref.attribute)) {
    const suffix = ref.suffix === "" || /^[/:]/.test(ref.suffix) ? ref.suffix : `/${ref.suffix}`;
    return `build it from the arn attribute: "\${${ref.address}.arn}${suffix}"`;
  }
  if (ref) {
    return `separate the suffix with "/" or ":": "\${${ref.address}.${ref.attribute}}/${ref.suffix}"`;
  }
  return `use an ARN literal ("arn:aws:...") or a reference to an arn attribute ("\${aws_s3_bucket.upload.arn}/incoming/*")`;
}
