import { asList, dataSourcesOfType, elements, leadingReference, type TerraformJson } from "./terraform-json";

/** One statement of an IAM policy in the stack, whichever way the policy is written. */
export interface PolicyStatement {
  /** Where the policy lives: `data.aws_iam_policy_document.x`, or `aws_iam_role_policy.x policy` for inline JSON. */
  readonly policy: string;
  /** `statement "Sid"`, or `statement 2` (0-based) when it has no sid. */
  readonly label: string;
  /** `Allow` unless the statement says `Deny`. */
  readonly effect: "Allow" | "Deny";
  /** `actions` / `Action`. */
  readonly actions: readonly string[];
  /** `not_actions` / `NotAction`. */
  readonly notActions: readonly string[];
  /** `resources` / `Resource`; empty for trust policies, which name principals instead. */
  readonly resources: readonly string[];
  /**
   * Whether the policy is a KMS key policy. In a key policy the resource `"*"` means "this key"
   * (a key policy can't name its own ARN, which doesn't exist yet), and AWS's default key policy
   * grants `kms:*` to the account; the IAM guardrails exempt those.
   */
  readonly keyPolicy: boolean;
}

// Resources whose `policy` argument is a KMS key policy.
const KEY_POLICY_TYPES = new Set(["aws_kms_key", "aws_kms_key_policy", "aws_kms_replica_key"]);
// Arguments that hold an IAM policy as JSON text.
const POLICY_ARGUMENT = /(^|_)policy$/;

/**
 * Every statement of every IAM policy in the stack: `data.aws_iam_policy_document` statements, and
 * policies written as literal JSON text in a resource's `policy` (or `*_policy`, `inline_policy`)
 * argument. Policies given as an expression (`${jsonencode(...)}`) can't be read statically and are skipped.
 */
export function policyStatements(json: TerraformJson): PolicyStatement[] {
  const keyPolicyDocuments = new Set<string>();
  const statements: PolicyStatement[] = [];

  for (const element of elements(json)) {
    if (element.mode !== "resource") continue;
    const keyPolicy = KEY_POLICY_TYPES.has(element.type);
    const candidates: [string, unknown][] = Object.entries(element.body).filter(([k]) => POLICY_ARGUMENT.test(k));
    asList(element.body.inline_policy).forEach((inline, i) => {
      if (inline && typeof inline === "object") candidates.push([`inline_policy[${i}].policy`, (inline as { policy?: unknown }).policy]);
    });
    for (const [argument, value] of candidates) {
      if (typeof value !== "string") continue;
      const ref = leadingReference(value);
      if (ref && ref.address.startsWith("data.aws_iam_policy_document.")) {
        if (keyPolicy) keyPolicyDocuments.add(ref.address);
        continue;
      }
      statements.push(...jsonStatements(`${element.address} ${argument}`, value, keyPolicy));
    }
  }

  for (const doc of dataSourcesOfType(json, "aws_iam_policy_document")) {
    asList(doc.body.statement).forEach((raw, i) => {
      const s = (raw ?? {}) as Record<string, unknown>;
      statements.push({
        policy: doc.address,
        label: typeof s.sid === "string" && s.sid ? `statement "${s.sid}"` : `statement ${i}`,
        effect: s.effect === "Deny" ? "Deny" : "Allow",
        actions: strings(s.actions),
        notActions: strings(s.not_actions),
        resources: strings(s.resources),
        keyPolicy: keyPolicyDocuments.has(doc.address),
      });
    });
  }
  return statements;
}

function jsonStatements(policy: string, text: string, keyPolicy: boolean): PolicyStatement[] {
  if (!text.trim().startsWith("{")) return [];
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return [];
  }
  const list = asList((parsed as { Statement?: unknown } | null)?.Statement);
  return list.map((raw, i) => {
    const s = (raw ?? {}) as Record<string, unknown>;
    return {
      policy,
      label: typeof s.Sid === "string" && s.Sid ? `statement "${s.Sid}"` : `statement ${i}`,
      effect: s.Effect === "Deny" ? "Deny" : "Allow",
      actions: strings(s.Action),
      notActions: strings(s.NotAction),
      resources: strings(s.Resource),
      keyPolicy,
    };
  });
}

function strings(value: unknown): string[] {
  return asList(value).filter((v): v is string => typeof v === "string");
}
