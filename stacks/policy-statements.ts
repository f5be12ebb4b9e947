import type { DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** A resource-policy statement that refuses the given actions to anyone calling without TLS. */
export function denyInsecureTransport(actions: string[], resources: string[]): DataAwsIamPolicyDocumentStatement {
  return {
    sid: "DenyInsecureTransport",
    effect: "Deny",
    principals: [{ type: "*", identifiers: ["*"] }],
    actions,
    resources,
    condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
  };
}
