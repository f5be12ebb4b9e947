import type { DataAwsIamPolicyDocumentStatement, DataAwsIamPolicyDocumentStatementCondition } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";

/** A resource-policy statement that refuses the actions on the resources to anyone, when all the conditions hold. */
export function denyAnyone(sid: string, actions: string[], resources: string[], condition: DataAwsIamPolicyDocumentStatementCondition[]): DataAwsIamPolicyDocumentStatement {
  return { sid, effect: "Deny", principals: [{ type: "*", identifiers: ["*"] }], actions, resources, condition };
}

/** A resource-policy statement that refuses the given actions to anyone calling without TLS. */
export function denyInsecureTransport(actions: string[], resources: string[]): DataAwsIamPolicyDocumentStatement {
  return denyAnyone("DenyInsecureTransport", actions, resources, [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }]);
}
