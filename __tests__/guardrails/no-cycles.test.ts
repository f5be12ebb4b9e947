import { dependable } from "cdktf";
import { checkNoCycles } from "../../stacks/guardrails";
import { terraformJson, triggerStack } from "../helpers/guardrail-stacks";

describe("guardrail 1: no dependency cycle", () => {
  it("passes the trigger stack, whose bucket, role, function and permission form no cycle", () => {
    expect(checkNoCycles(terraformJson(triggerStack().stack))).toEqual([]);
  });

  it("fails when the bucket waits for the permission that names it (the seed's cycle), printing the path", () => {
    // Prepare: bucket -> permission -> function -> role policy -> policy document -> bucket
    const t = triggerStack();
    t.bucket.dependsOn = [dependable(t.permission)];

    // Act
    const problems = checkNoCycles(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      "dependency cycle aws_iam_role_policy.processor -> data.aws_iam_policy_document.processor_permissions -> " +
        "aws_s3_bucket.upload -> aws_lambda_permission.trigger -> aws_lambda_function.processor -> aws_iam_role_policy.processor " +
        "(aws_iam_role_policy.processor.policy references data.aws_iam_policy_document.processor_permissions; " +
        "data.aws_iam_policy_document.processor_permissions.statement[0].resources[0] references aws_s3_bucket.upload; " +
        "aws_s3_bucket.upload depends_on aws_lambda_permission.trigger; " +
        "aws_lambda_permission.trigger.function_name references aws_lambda_function.processor; " +
        "aws_lambda_function.processor depends_on aws_iam_role_policy.processor): Terraform cannot order these resources " +
        'and fails with "Error: Cycle". Break one step: drop a depends_on that is not needed, or move the link into a ' +
        "separate resource that depends on both ends (as aws_s3_bucket_notification and aws_lambda_permission do for a " +
        "bucket and its function)",
    ]);
  });

  it("fails on a resource that references itself", () => {
    const json = { resource: { aws_sqs_queue: { q: { redrive_policy: "${aws_sqs_queue.q.arn}" } } } };
    expect(checkNoCycles(json)).toEqual([expect.stringMatching(/^dependency cycle aws_sqs_queue\.q -> aws_sqs_queue\.q \(aws_sqs_queue\.q\.redrive_policy references aws_sqs_queue\.q\)/)]);
  });
});
