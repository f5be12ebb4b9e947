import { checkIamActions } from "../../stacks/guardrails";
import { terraformJson, triggerStack } from "../helpers/guardrail-stacks";

describe("guardrail 7: no wildcard actions in Allow statements", () => {
  it("fails on s3:Get* in an Allow statement", () => {
    // Prepare
    const t = triggerStack({ statements: [{ sid: "ReadIncomingFiles", actions: ["s3:Get*"], resources: ["${aws_s3_bucket.upload.arn}/incoming/*"] }] });

    // Act
    const problems = checkIamActions(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      'data.aws_iam_policy_document.processor_permissions statement "ReadIncomingFiles": allows wildcard action "s3:Get*", which ' +
        "grants every matching action, including ones the service adds later; list the actions the code calls " +
        '(e.g. "s3:GetObject", "s3:PutObject")',
    ]);
  });

  it("fails on kms:* and on a ? wildcard in a role's policy: only a KMS key policy may use kms: wildcards", () => {
    const t = triggerStack({ statements: [{ actions: ["kms:*", "s3:?etObject"], resources: ["${aws_s3_bucket.upload.arn}/incoming/*"] }] });
    expect(checkIamActions(terraformJson(t.stack))).toEqual([expect.stringContaining('allows wildcard action "kms:*"'), expect.stringContaining('allows wildcard action "s3:?etObject"')]);
  });

  it("fails on * and on not_actions", () => {
    const t = triggerStack({
      statements: [
        { actions: ["*"], resources: ["${aws_s3_bucket.upload.arn}"] },
        { notActions: ["iam:*"], resources: ["${aws_s3_bucket.upload.arn}"] },
      ],
    });
    expect(checkIamActions(terraformJson(t.stack))).toEqual([
      expect.stringContaining('statement 0: allows wildcard action "*"'),
      'data.aws_iam_policy_document.processor_permissions statement 1: allows everything except not_actions ["iam:*"]; list the allowed actions instead',
    ]);
  });

  it("passes a TLS-only Deny of s3:* and kms: wildcards in a KMS key policy", () => {
    const json = {
      data: {
        aws_iam_policy_document: {
          tls_only: { statement: [{ effect: "Deny", actions: ["s3:*"], resources: ["${aws_s3_bucket.upload.arn}/*"] }] },
          key_policy: { statement: [{ actions: ["kms:*"], resources: ["*"] }] },
        },
      },
      resource: { aws_kms_key: { pipeline: { policy: "${data.aws_iam_policy_document.key_policy.json}" } } },
    };
    expect(checkIamActions(json)).toEqual([]);
  });
});
