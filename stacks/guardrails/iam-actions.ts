import { policyStatements } from "./iam-statements";
import type { TerraformJson } from "./terraform-json";

/**
 * Guardrail 7: no Allow statement grants a wildcard action (`*`, `s3:*`, `s3:Get*`) or uses
 * `not_actions` (everything but a few). A wildcard also grants every action the service adds later.
 * Deny statements may use wildcards: the bucket policy's TLS-only `Deny s3:*` is the point. KMS key
 * policies may use `kms:` wildcards: AWS's own default key policy grants `kms:*` to the account, and
 * a key policy can only ever grant use of that one key.
 */
export function checkIamActions(json: TerraformJson): string[] {
  const problems: string[] = [];
  for (const s of policyStatements(json)) {
    if (s.effect !== "Allow") continue;
    const where = `${s.policy} ${s.label}`;
    for (const action of s.actions) {
      if (!/[*?]/.test(action)) continue;
      if (s.keyPolicy && action.startsWith("kms:")) continue;
      problems.push(
        `${where}: allows wildcard action "${action}", which grants every matching action, including ones the ` +
          `service adds later; list the actions the code calls (e.g. "s3:GetObject", "s3:PutObject")`,
      );
    }
    if (s.notActions.length > 0) {
      problems.push(
        `${where}: allows everything except not_actions ${JSON.stringify(s.notActions)}; list the allowed actions instead`,
      );
    }
  }
  return problems;
}
