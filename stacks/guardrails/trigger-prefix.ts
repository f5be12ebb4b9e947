import { ENV } from "../../lambda-src/env";
import { policyStatements } from "./iam-statements";
import { asList, leadingReference, references, resourcesOfType, type TerraformJson } from "./terraform-json";
import { lambdaTriggers } from "./trigger";

/** A key prefix the function writes under, and where that was read. */
interface Write {
  readonly prefix: string;
  readonly source: string;
}

/**
 * Guardrail 6: the prefixes a triggered function writes to never overlap the notification's
 * `filter_prefix` (one a prefix of the other, or an empty filter). Otherwise every object the
 * function writes triggers it again: an endless, billed loop. The writes are read from the
 * function's `OUTPUT_PREFIX` and from the object resources its role may `s3:PutObject` to in the
 * triggering bucket.
 */
export function checkTriggerPrefix(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const t of lambdaTriggers(json)) {
    if (!t.target) continue;
    for (const write of writesOf(json, t.target, t.bucket)) {
      if (!(write.prefix.startsWith(t.filterPrefix) || t.filterPrefix.startsWith(write.prefix))) continue;
      problems.push(
        `${t.notification.address} ${t.block} triggers ${t.target} on prefix "${t.filterPrefix}" of ${t.bucket}, and the ` +
          `function writes under "${write.prefix}" (${write.source}): every object it writes triggers it again, an endless ` +
          `loop. Write outside the trigger prefix (e.g. "processed/" next to "incoming/") so neither prefix starts with the other`,
      );
    }
  }
  return problems;
}

function writesOf(json: TerraformJson, fnAddress: string, bucket: string): Write[] {
  const [type, name] = fnAddress.split(".");
  const fn = json.resource?.[type]?.[name];
  if (!fn) return [];
  const writes: Write[] = [];

  const variables = (asList(fn.environment)[0] as { variables?: Record<string, unknown> } | undefined)?.variables;
  const output = variables?.[ENV.outputPrefix];
  if (typeof output === "string" && !output.includes("${")) {
    writes.push({ prefix: output, source: `${fnAddress} environment ${ENV.outputPrefix}` });
  }

  const role = typeof fn.role === "string" ? leadingReference(fn.role)?.address : undefined;
  if (!role) return writes;
  const policies = rolePolicies(json, role);
  for (const s of policyStatements(json)) {
    if (s.effect !== "Allow" || !policies.has(s.policy) || !s.actions.some((a) => matches(a, "s3:PutObject"))) continue;
    for (const resource of s.resources) {
      const prefix = objectPrefix(resource, bucket);
      if (prefix !== undefined) writes.push({ prefix, source: `${s.policy} ${s.label} resource "${resource}"` });
    }
  }
  return writes;
}

/** The policies that apply to a role, named as {@link policyStatements} names them. */
function rolePolicies(json: TerraformJson, role: string): Set<string> {
  const names = new Set<string>();
  const addPolicy = (owner: string, argument: string, value: unknown) => {
    if (typeof value !== "string") return;
    const doc = leadingReference(value);
    names.add(doc && doc.address.startsWith("data.aws_iam_policy_document.") ? doc.address : `${owner} ${argument}`);
  };
  const refersToRole = (value: unknown) => references(value).some((r) => r.address === role);
  for (const rp of resourcesOfType(json, "aws_iam_role_policy")) {
    if (refersToRole(rp.body.role)) addPolicy(rp.address, "policy", rp.body.policy);
  }
  for (const attachment of resourcesOfType(json, "aws_iam_role_policy_attachment")) {
    if (!refersToRole(attachment.body.role)) continue;
    const policy = references(attachment.body.policy_arn)[0]?.address;
    const [type, name] = (policy ?? "").split(".");
    if (type === "aws_iam_policy") addPolicy(policy!, "policy", json.resource?.aws_iam_policy?.[name]?.policy);
  }
  const [, roleName] = role.split(".");
  asList(json.resource?.aws_iam_role?.[roleName]?.inline_policy).forEach((inline, i) =>
    addPolicy(role, `inline_policy[${i}].policy`, (inline as { policy?: unknown } | null)?.policy),
  );
  return names;
}

/** The key prefix an object ARN covers in the bucket (`${aws_s3_bucket.upload.arn}/processed/*` -> `processed/`). */
function objectPrefix(resource: string, bucket: string): string | undefined {
  if (resource === "*") return "";
  const ref = leadingReference(resource);
  if (!ref || ref.address !== bucket || ref.attribute !== "arn" || !ref.suffix.startsWith("/")) return undefined;
  return ref.suffix.slice(1).split(/[*?]/)[0];
}

/** Whether an IAM action pattern (`s3:Put*`) matches an action. */
function matches(pattern: string, action: string): boolean {
  const regex = new RegExp(`^${pattern.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return regex.test(action);
}
