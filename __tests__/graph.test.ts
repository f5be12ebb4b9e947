import { readFileSync } from "node:fs";
import { ARCHITECTURE_DOC, currentArchitecture, README } from "../scripts/graph";
import { architectureMermaid, classify, currentReadmeSection } from "../scripts/graph-model";

const UP_TO_DATE = "up to date";
const stale = (file: string) => `${file} differs from what the code synthesizes now: run \`npm run graph\` and commit the result`;

describe("the committed architecture picture", () => {
  const now = currentArchitecture();

  it("docs/architecture.md matches the synthesized stack", () => {
    expect(readFileSync(ARCHITECTURE_DOC, "utf8") === now.doc ? UP_TO_DATE : stale("docs/architecture.md")).toBe(UP_TO_DATE);
  });

  it("the README's architecture section embeds the same diagram", () => {
    const section = currentReadmeSection(readFileSync(README, "utf8"));
    expect(section === now.readmeSection ? UP_TO_DATE : stale("README.md (section:architecture)")).toBe(UP_TO_DATE);
  });
});

describe("architectureMermaid", () => {
  const json = {
    resource: {
      aws_s3_bucket_notification: { trigger: { bucket: "${aws_s3_bucket.upload.id}", depends_on: ["aws_lambda_permission.trigger"] } },
      aws_s3_bucket: { upload: {} },
      aws_s3_bucket_policy: { upload: { policy: "${data.aws_iam_policy_document.tls_only.json}" } },
      aws_lambda_permission: { trigger: { source_account: "${data.aws_caller_identity.current.account_id}" } },
      aws_sns_topic: { status: { kms_master_key_id: "${aws_kms_key.pipeline.arn}" } },
      aws_kms_key: { pipeline: {} },
      aws_dynamodb_table: { metadata: {} },
    },
    data: { aws_iam_policy_document: { tls_only: {} }, aws_caller_identity: { current: {} } },
  };

  it("groups by data path: type prefix first, then a data source follows the resources that use it, the rest in other", () => {
    expect(Object.fromEntries(classify(json))).toEqual({
      "aws_dynamodb_table.metadata": "metadata",
      "aws_kms_key.pipeline": "other",
      "aws_lambda_permission.trigger": "processing",
      "aws_s3_bucket.upload": "upload",
      "aws_s3_bucket_notification.trigger": "upload",
      "aws_s3_bucket_policy.upload": "upload",
      "aws_sns_topic.status": "alerts",
      "data.aws_caller_identity.current": "processing",
      "data.aws_iam_policy_document.tls_only": "upload",
    });
  });

  it("draws references solid and depends_on dashed, every node exactly once", () => {
    // Act
    const mermaid = architectureMermaid(json);

    // Assess
    expect(mermaid).toContain("  aws_s3_bucket_notification_trigger --> aws_s3_bucket_upload");
    expect(mermaid).toContain("  aws_s3_bucket_notification_trigger -.-> aws_lambda_permission_trigger");
    expect(mermaid).toContain('  subgraph other["other"]\n    aws_kms_key_pipeline["aws_kms_key.pipeline"]\n  end');
    expect(mermaid).toContain('    data_aws_iam_policy_document_tls_only[/"data.aws_iam_policy_document.tls_only"/]');
    for (const id of ["aws_dynamodb_table_metadata", "aws_sns_topic_status", "data_aws_caller_identity_current"]) {
      expect(mermaid.match(new RegExp(`^    ${id}\\[`, "gm"))).toHaveLength(1);
    }
  });

  it("is the same whatever order the JSON lists things in", () => {
    const reversed = {
      data: Object.fromEntries(Object.entries(json.data).reverse()),
      resource: Object.fromEntries(Object.entries(json.resource).reverse()),
    };
    expect(architectureMermaid(reversed)).toBe(architectureMermaid(json));
  });
});
