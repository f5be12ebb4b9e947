import { checkIamResources } from "../../stacks/guardrails";
import { terraformJson, triggerStack } from "../helpers/guardrail-stacks";

describe("guardrail 2: IAM resources are ARNs", () => {
  it("passes ARN references with suffixes, ARN literals, and * for X-Ray's *-only actions", () => {
    const t = triggerStack({
      statements: [
        { actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.upload.arn}/incoming/*"] },
        { actions: ["logs:PutLogEvents"], resources: ["${aws_cloudwatch_log_group.processor.arn}:*"] },
        { actions: ["sqs:SendMessage"], resources: ["arn:aws:sqs:eu-west-1:123456789012:failed"] },
        { sid: "SendTraces", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
      ],
    });
    expect(checkIamResources(terraformJson(t.stack))).toEqual([]);
  });

  it("fails on the seed's bucket name glued to /* and names the statement, the value and the fix", () => {
    // Prepare
    const t = triggerStack({
      statements: [{ sid: "ReadIncomingFiles", actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.upload.bucket}/*"] }],
    });

    // Act
    const problems = checkIamResources(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      'data.aws_iam_policy_document.processor_permissions statement "ReadIncomingFiles": resource "${aws_s3_bucket.upload.bucket}/*" ' +
        'is not an ARN, so IAM matches nothing with it (or rejects the policy); build it from the arn attribute: "${aws_s3_bucket.upload.arn}/*"',
    ]);
  });

  it("fails on an ARN reference glued to a path without the separating /, which matches nothing", () => {
    const t = triggerStack({ statements: [{ sid: "ReadIncomingFiles", actions: ["s3:GetObject"], resources: ["${aws_s3_bucket.upload.arn}incoming/*"] }] });
    expect(checkIamResources(terraformJson(t.stack))).toEqual([
      'data.aws_iam_policy_document.processor_permissions statement "ReadIncomingFiles": resource "${aws_s3_bucket.upload.arn}incoming/*" is not an ARN, ' +
        'so IAM matches nothing with it (or rejects the policy); separate the suffix with "/" or ":": "${aws_s3_bucket.upload.arn}/incoming/*"',
    ]);
  });

  it('fails on "*" for actions that take a resource ARN', () => {
    const t = triggerStack({ statements: [{ actions: ["s3:GetObject", "xray:PutTraceSegments"], resources: ["*"] }] });
    expect(checkIamResources(terraformJson(t.stack))).toEqual([
      'data.aws_iam_policy_document.processor_permissions statement 0: resource "*" grants s3:GetObject on every resource of the ' +
        'account; "*" is only for actions AWS authorizes on "*" alone (xray:PutTraceSegments, xray:PutTelemetryRecords, ' +
        "xray:GetSamplingRules, xray:GetSamplingTargets, xray:GetSamplingStatisticSummaries, cloudwatch:PutMetricData, " +
        'ec2:DescribeNetworkInterfaces). Name the ARNs (e.g. "${aws_s3_bucket.upload.arn}/incoming/*") and keep any "*"-only ' +
        "actions in a statement of their own",
    ]);
  });

  it("reads policies written as literal JSON too", () => {
    const json = {
      resource: {
        aws_iam_role_policy: {
          policy: {
            policy: JSON.stringify({ Statement: [{ Sid: "Write", Effect: "Allow", Action: "s3:PutObject", Resource: "${aws_s3_bucket.upload.id}/processed/*" }] }),
          },
        },
      },
    };
    expect(checkIamResources(json)).toEqual([
      'aws_iam_role_policy.policy policy statement "Write": resource "${aws_s3_bucket.upload.id}/processed/*" is not an ARN, so IAM ' +
        'matches nothing with it (or rejects the policy); build it from the arn attribute: "${aws_s3_bucket.upload.arn}/processed/*"',
    ]);
  });

  it("fails on invoke_arn, which is an API Gateway URI rather than the function's ARN", () => {
    const json = { data: { aws_iam_policy_document: { d: { statement: [{ actions: ["lambda:InvokeFunction"], resources: ["${aws_lambda_function.f.invoke_arn}"] }] } } } };
    expect(checkIamResources(json)).toEqual([
      'data.aws_iam_policy_document.d statement 0: resource "${aws_lambda_function.f.invoke_arn}" is not an ARN, so IAM matches ' +
        'nothing with it (or rejects the policy); build it from the arn attribute: "${aws_lambda_function.f.arn}"',
    ]);
  });

  it('exempts KMS key policies, where "*" means the key itself', () => {
    const json = {
      data: { aws_iam_policy_document: { key_policy: { statement: [{ actions: ["kms:Decrypt"], resources: ["*"] }] } } },
      resource: { aws_kms_key: { pipeline: { policy: "${data.aws_iam_policy_document.key_policy.json}" } } },
    };
    expect(checkIamResources(json)).toEqual([]);
  });
});
