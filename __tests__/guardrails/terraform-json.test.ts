import { dependencyGraph, leadingReference, references } from "../../stacks/guardrails";

describe("references", () => {
  it("finds references inside nested strings, arrays and objects, with the argument path", () => {
    // Prepare
    const body = {
      statement: [{ resources: ["${aws_s3_bucket.upload.arn}/incoming/*"] }],
      environment: { variables: { TABLE_NAME: "${aws_dynamodb_table.metadata.name}" } },
      policy: "${data.aws_iam_policy_document.processor_permissions.json}",
    };

    // Act
    const found = references(body);

    // Assess
    expect(found).toEqual([
      { address: "aws_s3_bucket.upload", attribute: "arn", path: "statement[0].resources[0]" },
      { address: "aws_dynamodb_table.metadata", attribute: "name", path: "environment.variables.TABLE_NAME" },
      { address: "data.aws_iam_policy_document.processor_permissions", attribute: "json", path: "policy" },
    ]);
  });

  it("reads every reference of a function call, but not string literals, variables or escaped ${", () => {
    const found = references('${jsonencode({a = aws_sqs_queue.q.arn, b = "aws_x.y", c = var.v})}$${aws_sns_topic.t.arn}');
    expect(found.map((r) => r.address)).toEqual(["aws_sqs_queue.q"]);
  });

  it("leaves out depends_on and cdktf's // metadata", () => {
    expect(references({ depends_on: ["aws_iam_role.r"], "//": { metadata: { path: "${aws_x.y}" } } })).toEqual([]);
  });
});

describe("leadingReference", () => {
  it("splits a reference and its literal suffix", () => {
    expect(leadingReference("${aws_cloudwatch_log_group.processor.arn}:*")).toEqual({
      address: "aws_cloudwatch_log_group.processor",
      attribute: "arn",
      suffix: ":*",
    });
  });

  it("refuses values that are not one leading reference", () => {
    expect(leadingReference("arn:aws:s3:::b/*")).toBeUndefined();
    expect(leadingReference("${aws_s3_bucket.a.arn}/${aws_s3_bucket.b.id}")).toBeUndefined();
  });
});

describe("dependencyGraph", () => {
  it("draws reference edges and dashed depends_on edges between elements of the stack only", () => {
    // Prepare
    const json = {
      resource: {
        aws_s3_bucket_notification: { trigger: { bucket: "${aws_s3_bucket.upload.id}", depends_on: ["aws_lambda_permission.trigger"] } },
        aws_s3_bucket: { upload: { bucket_prefix: "${var.prefix}" } },
        aws_lambda_permission: { trigger: {} },
      },
    };

    // Act
    const graph = dependencyGraph(json);

    // Assess
    expect(graph.nodes.map((n) => n.address)).toEqual(["aws_lambda_permission.trigger", "aws_s3_bucket.upload", "aws_s3_bucket_notification.trigger"]);
    expect(graph.edges).toEqual([
      { from: "aws_s3_bucket_notification.trigger", to: "aws_lambda_permission.trigger", kind: "depends_on", via: ["depends_on"] },
      { from: "aws_s3_bucket_notification.trigger", to: "aws_s3_bucket.upload", kind: "reference", via: ["bucket"] },
    ]);
  });
});
