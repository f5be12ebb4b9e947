import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketLifecycleConfiguration } from "@cdktf/provider-aws/lib/s3-bucket-lifecycle-configuration";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { S3BucketOwnershipControls } from "@cdktf/provider-aws/lib/s3-bucket-ownership-controls";
import { S3BucketPublicAccessBlock } from "@cdktf/provider-aws/lib/s3-bucket-public-access-block";
import { S3BucketVersioningA } from "@cdktf/provider-aws/lib/s3-bucket-versioning";
import { Testing } from "cdktf";
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { FUNCTION_ENV_NAMES } from "../lambda-src/env";
import { bundleLambda } from "../stacks/lambda-bundle";
import { processorFunctionName } from "../stacks/pipeline-stack";
import { buildStack, onlyResource, parseSynth, stageConfig, synthStack } from "./helpers/stack";
import { terraformAvailability } from "./helpers/terraform";

const synth = synthStack("dev");
const json = parseSynth(synth);

interface Statement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions: string[];
  readonly resources?: string[];
}
const permissions = (json.data.aws_iam_policy_document.processor_permissions.statement ?? []) as Statement[];

describe("PipelineStack (dev)", () => {
  it("configures the AWS provider with the stage's region and default tags", () => {
    expect(synth).toHaveProviderWithProperties(AwsProvider, {
      region: "eu-west-1",
      default_tags: [{ tags: { project: "order-pipeline", stage: "dev", "managed-by": "cdktf" } }],
    });
  });

  it("requires Terraform 1.11 or later, whose S3 backend locks with use_lockfile, so an older one stops at init", () => {
    expect(json.terraform.required_version).toBe(">= 1.11");
  });

  describe("upload bucket", () => {
    it("gets a unique name from the project and stage prefix, and force_destroy as configured", () => {
      expect(synth).toHaveResourceWithProperties(S3Bucket, {
        bucket_prefix: "order-pipeline-dev-upload-",
        force_destroy: true,
      });
    });

    it("is versioned, private and owner-enforced", () => {
      expect(synth).toHaveResourceWithProperties(S3BucketVersioningA, {
        versioning_configuration: { status: "Enabled" },
      });
      expect(synth).toHaveResourceWithProperties(S3BucketPublicAccessBlock, {
        block_public_acls: true,
        block_public_policy: true,
        ignore_public_acls: true,
        restrict_public_buckets: true,
      });
      expect(synth).toHaveResourceWithProperties(S3BucketOwnershipControls, {
        rule: { object_ownership: "BucketOwnerEnforced" },
      });
    });

    it("is encrypted at rest with the stack's key", () => {
      const sse = onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration");
      expect(sse.rule).toEqual([expect.objectContaining({ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: "${aws_kms_key.pipeline.arn}" } })]);
    });

    it("denies every request made without TLS", () => {
      const doc = json.data.aws_iam_policy_document.upload_bucket_policy.statement as unknown[];
      expect(doc).toContainEqual(
        expect.objectContaining({
          effect: "Deny",
          actions: ["s3:*"],
          resources: ["${aws_s3_bucket.upload.arn}", "${aws_s3_bucket.upload.arn}/*"],
          condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
        }),
      );
      expect(onlyResource(json, "aws_s3_bucket_policy")).toMatchObject({
        policy: "${data.aws_iam_policy_document.upload_bucket_policy.json}",
        // S3 refuses two edits of one bucket at once, and the public access block must be in place first.
        depends_on: ["aws_s3_bucket_public_access_block.upload"],
      });
    });

    it("refuses uploads the function could never read: a customer-provided key, or a KMS key other than the stack's", () => {
      const doc = json.data.aws_iam_policy_document.upload_bucket_policy.statement as { sid?: string }[];
      const objects = ["${aws_s3_bucket.upload.arn}/*"];
      const anyone = [{ type: "*", identifiers: ["*"] }];
      expect(doc.find((s) => s.sid === "DenyCustomerProvidedKeys")).toEqual({
        sid: "DenyCustomerProvidedKeys",
        effect: "Deny",
        principals: anyone,
        actions: ["s3:PutObject"],
        resources: objects,
        condition: [{ test: "Null", variable: "s3:x-amz-server-side-encryption-customer-algorithm", values: ["false"] }],
      });
      // Both conditions: StringNotEquals alone would also refuse every upload that names no key.
      expect(doc.find((s) => s.sid === "DenyOtherKmsKeys")).toEqual({
        sid: "DenyOtherKmsKeys",
        effect: "Deny",
        principals: anyone,
        actions: ["s3:PutObject"],
        resources: objects,
        condition: [
          { test: "Null", variable: "s3:x-amz-server-side-encryption-aws-kms-key-id", values: ["false"] },
          // S3 compares the name as the upload gives it: ARN, id, alias ARN or alias.
          {
            test: "StringNotEquals",
            variable: "s3:x-amz-server-side-encryption-aws-kms-key-id",
            values: ["${aws_kms_key.pipeline.arn}", "${aws_kms_key.pipeline.key_id}", "${aws_kms_alias.pipeline.arn}", "${aws_kms_alias.pipeline.name}"],
          },
        ],
      });
    });

    it("aborts incomplete multipart uploads, expires noncurrent versions and removes the delete markers they leave", () => {
      expect(synth).toHaveResourceWithProperties(S3BucketLifecycleConfiguration, {
        rule: expect.arrayContaining([
          expect.objectContaining({ status: "Enabled", filter: [{ prefix: "" }], abort_incomplete_multipart_upload: [{ days_after_initiation: 7 }] }),
          expect.objectContaining({
            status: "Enabled",
            filter: [{ prefix: "" }],
            noncurrent_version_expiration: [{ noncurrent_days: 30 }],
            expiration: [{ expired_object_delete_marker: true }],
          }),
        ]),
      });
    });

    it("applies the lifecycle rules, which are about versions, only once versioning is on", () => {
      expect(onlyResource(json, "aws_s3_bucket_lifecycle_configuration").depends_on).toEqual(["aws_s3_bucket_versioning.upload"]);
    });

    it("never sets days or a date beside expired_object_delete_marker, which S3 refuses as malformed", () => {
      const { rule } = onlyResource(json, "aws_s3_bucket_lifecycle_configuration") as { rule: { expiration?: Record<string, unknown>[] }[] };
      const expirations = rule.flatMap((each) => each.expiration ?? []);
      expect(expirations.filter((expiration) => expiration.expired_object_delete_marker === true)).not.toHaveLength(0);
      for (const expiration of expirations) {
        if (expiration.expired_object_delete_marker === true) expect(Object.keys(expiration)).toEqual(["expired_object_delete_marker"]);
      }
    });
  });

  it("creates the metadata table keyed by FileName, on demand, with PITR and encryption", () => {
    expect(synth).toHaveResourceWithProperties(DynamodbTable, {
      name: "order-pipeline-dev-files",
      hash_key: "FileName",
      attribute: [{ name: "FileName", type: "S" }],
      billing_mode: "PAY_PER_REQUEST",
      point_in_time_recovery: { enabled: true },
      server_side_encryption: expect.objectContaining({ enabled: true }),
      deletion_protection_enabled: false,
    });
  });

  describe("execution role", () => {
    it("trusts lambda.amazonaws.com only", () => {
      expect(synth).toHaveResourceWithProperties(IamRole, {
        assume_role_policy: "${data.aws_iam_policy_document.processor_assume_role.json}",
      });
      expect(json.data.aws_iam_policy_document.processor_assume_role.statement).toEqual([
        {
          effect: "Allow",
          actions: ["sts:AssumeRole"],
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
        },
      ]);
    });

    it("reads under incoming/ and writes under processed/ (operations.test.ts pins that nothing else is granted)", () => {
      expect(permissions).toContainEqual(
        expect.objectContaining({
          actions: ["s3:GetObject", "s3:GetObjectVersion"],
          resources: ["${aws_s3_bucket.upload.arn}/incoming/*"],
        }),
      );
      expect(permissions).toContainEqual(
        expect.objectContaining({
          actions: expect.arrayContaining(["s3:PutObject", "s3:AbortMultipartUpload"]),
          resources: ["${aws_s3_bucket.upload.arn}/processed/*"],
        }),
      );
    });

    it("may touch its table and its own log group (operations.test.ts pins that nothing else is granted)", () => {
      expect(permissions).toContainEqual(
        expect.objectContaining({
          actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
          resources: ["${aws_dynamodb_table.metadata.arn}"],
        }),
      );
      expect(permissions).toContainEqual(
        expect.objectContaining({
          actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
          resources: ["${aws_cloudwatch_log_group.processor.arn}:*"],
        }),
      );
    });

    it("names every resource by an ARN attribute reference and no action by wildcard", () => {
      for (const statement of permissions) {
        for (const action of statement.actions) expect(action).not.toMatch(/\*/);
        for (const resource of statement.resources ?? []) {
          if (resource === "*") continue; // only X-Ray's account-level actions; see the guardrail tests
          expect(resource).toMatch(/^\$\{[a-z0-9_]+\.[A-Za-z0-9_-]+\.arn\}(\/|:|$)/);
        }
      }
    });
  });

  it("creates the log group and the role's permissions before the function, with retention", () => {
    expect(synth).toHaveResourceWithProperties(CloudwatchLogGroup, {
      name: "/aws/lambda/order-pipeline-dev-processor",
      retention_in_days: 14,
    });
    // Without the role policy first, the function could get events it has no permission to handle.
    expect(onlyResource(json, "aws_lambda_function").depends_on).toEqual(["aws_cloudwatch_log_group.processor", "aws_iam_role_policy.processor"]);
  });

  it("packages the bundle directory with the archive provider", () => {
    expect(synth).toHaveDataSourceWithProperties(DataArchiveFile, {
      type: "zip",
      output_file_mode: "0644",
      source_dir: expect.stringMatching(/^assets\/processor_bundle_[A-F0-9]+\/[A-F0-9]+$/),
    });
    expect(synth).toHaveResourceWithProperties(LambdaFunction, {
      filename: "${data.archive_file.processor.output_path}",
      source_code_hash: "${data.archive_file.processor.output_base64sha256}",
    });
  });

  it("passes the maximum file size from config to the function", () => {
    const environment = (stack: string) => (onlyResource(parseSynth(stack), "aws_lambda_function").environment as { variables: Record<string, string> }).variables;
    expect(environment(synthStack("dev", { maxFileBytes: 1_048_576 })).MAX_FILE_BYTES).toBe("1048576");
  });

  it("runs the function on nodejs22.x arm64 with memory, timeout and environment from config and resources", () => {
    expect(synth).toHaveResourceWithProperties(LambdaFunction, {
      function_name: "order-pipeline-dev-processor",
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: "index.handler",
      memory_size: 512,
      timeout: 300,
      role: "${aws_iam_role.processor.arn}",
      environment: {
        variables: expect.objectContaining({
          TABLE_NAME: "${aws_dynamodb_table.metadata.name}",
          BUCKET_NAME: "${aws_s3_bucket.upload.bucket}",
          OUTPUT_PREFIX: "processed/",
        }),
      },
    });
  });

  it("names the function as processorFunctionName does, the name preflight --account asks AWS about", () => {
    const functionName = (project: string) => onlyResource(parseSynth(synthStack("prod", { project })), "aws_lambda_function").function_name;
    expect(functionName("acme-orders")).toBe(processorFunctionName(stageConfig("prod", { project: "acme-orders" })));
    expect(processorFunctionName({ project: "acme-orders", stage: "prod" })).toBe("acme-orders-prod-processor");
  });

  it("sets exactly the environment variables the function code reads", () => {
    const fn = onlyResource(json, "aws_lambda_function") as { environment: { variables: Record<string, string> } };
    expect(Object.keys(fn.environment.variables).sort()).toEqual([...FUNCTION_ENV_NAMES].sort());
  });

  it("lets only S3, from this bucket and account, invoke the function", () => {
    expect(synth).toHaveDataSourceWithProperties(DataAwsCallerIdentity, {});
    expect(synth).toHaveResourceWithProperties(LambdaPermission, {
      action: "lambda:InvokeFunction",
      principal: "s3.amazonaws.com",
      function_name: "${aws_lambda_function.processor.function_name}",
      source_arn: "${aws_s3_bucket.upload.arn}",
      source_account: "${data.aws_caller_identity.current.account_id}",
    });
  });

  it("writes the notification after the permission, the bucket policy and the on-failure destination, for every object under incoming/", () => {
    expect(synth).toHaveResourceWithProperties(S3BucketNotification, {
      bucket: "${aws_s3_bucket.upload.id}",
      depends_on: ["aws_lambda_permission.trigger", "aws_s3_bucket_policy.upload", "aws_lambda_function_event_invoke_config.failed_events"],
      lambda_function: [
        {
          id: "process-incoming-orders",
          lambda_function_arn: "${aws_lambda_function.processor.arn}",
          events: ["s3:ObjectCreated:*"],
          filter_prefix: "incoming/",
        },
      ],
    });
    const notification = onlyResource(json, "aws_s3_bucket_notification") as { lambda_function: Record<string, unknown>[] };
    expect(notification.lambda_function[0]).not.toHaveProperty("filter_suffix");
  });

  it("outputs the names and ARNs a person needs after deploy (the README's runbooks read them)", () => {
    expect(Object.fromEntries(Object.entries(json.output).map(([name, output]) => [name, output.value]))).toEqual({
      bucket_name: "${aws_s3_bucket.upload.bucket}",
      table_name: "${aws_dynamodb_table.metadata.name}",
      function_name: "${aws_lambda_function.processor.function_name}",
      function_arn: "${aws_lambda_function.processor.arn}",
      log_group_name: "${aws_cloudwatch_log_group.processor.name}",
      kms_key_arn: "${aws_kms_key.pipeline.arn}",
      status_topic_arn: "${aws_sns_topic.status.arn}",
      failed_events_queue_url: "${aws_sqs_queue.failed_events.url}",
    });
  });

  it("contains no absolute path of the build machine, backend included", () => {
    const outDir = Testing.fullSynth(buildStack("dev"));
    const full = readFileSync(path.join(outDir, "stacks", "pipeline-dev", "cdk.tf.json"), "utf8");
    expect(JSON.parse(full).terraform.backend).toEqual({ local: { path: "../../../terraform.pipeline-dev.tfstate" } });
    for (const text of [synth, full]) {
      expect(text).not.toContain(path.resolve(__dirname, ".."));
      expect(text).not.toMatch(/"\/(work|tmp|home|root|Users|var)\//);
    }
  });

  it("is valid Terraform (runs where terraform and its providers are available)", () => {
    const availability = terraformAvailability(json.terraform.required_providers as Record<string, unknown>);
    if (!availability.ok) {
      console.info(`skipped toBeValidTerraform: ${availability.reason}`);
      return;
    }
    expect(Testing.fullSynth(buildStack("dev"))).toBeValidTerraform();
  });
});

describe("the function bundle", () => {
  it("exports the function the handler setting names", () => {
    const bundle = bundleLambda();
    const [file, exportName] = bundle.handler.split(".");
    const source = readFileSync(path.join(bundle.dir, `${file}.js`), "utf8");
    // esbuild's CommonJS output ends with an annotation naming every export (read by Node's cjs-module-lexer).
    expect(source).toMatch(new RegExp(`module\\.exports\\s*=\\s*\\{[^}]*\\b${exportName}\\b`));
  });
});
