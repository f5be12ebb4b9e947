import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaPermission } from "@cdktf/provider-aws/lib/lambda-permission";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { Testing, TerraformStack } from "cdktf";
import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { FUNCTION_ENV_NAMES } from "../../lambda-src/env";
import type { TerraformJson } from "../../stacks/guardrails";

/** What a small trigger stack is built with; every default passes all guardrails. */
export interface TriggerStackProps {
  /**
   * The function's handler.
   * @default "index.handler"
   */
  readonly handler?: string;
  /**
   * The function's environment.
   * @default - every name of FUNCTION_ENV_NAMES, OUTPUT_PREFIX = "processed/"
   */
  readonly environment?: Record<string, string>;
  /**
   * The notification's filter prefix.
   * @default "incoming/"
   */
  readonly filterPrefix?: string;
  /**
   * Statements of the function's role policy.
   * @default - read `incoming/*` and write `processed/*` of the bucket, by its arn
   */
  readonly statements?: DataAwsIamPolicyDocumentStatement[];
}

/** A stack with just the resources of an S3 -> Lambda trigger, built with cdktf like the real one. */
export interface TriggerStack {
  readonly stack: TerraformStack;
  readonly bucket: S3Bucket;
  readonly role: IamRole;
  readonly document: DataAwsIamPolicyDocument;
  readonly function: LambdaFunction;
  readonly permission: LambdaPermission;
  readonly notification: S3BucketNotification;
}

/** Every variable the code reads, set to a placeholder, with the real prefix layout. */
export function fullEnvironment(): Record<string, string> {
  return { ...Object.fromEntries(FUNCTION_ENV_NAMES.map((n) => [n, "x"])), OUTPUT_PREFIX: "processed/" };
}

/** Builds the small trigger stack; logical ids are pinned so addresses read like the real stack's. */
export function triggerStack(props: TriggerStackProps = {}): TriggerStack {
  const stack = new TerraformStack(Testing.app(), "broken");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const caller = new DataAwsCallerIdentity(stack, "current");
  const bucket = new S3Bucket(stack, "upload", { bucketPrefix: "upload-" });
  const document = new DataAwsIamPolicyDocument(stack, "processor_permissions", {
    statement: props.statements ?? [
      { sid: "ReadIncomingFiles", actions: ["s3:GetObject"], resources: [`${bucket.arn}/incoming/*`] },
      { sid: "WriteProcessedOrders", actions: ["s3:PutObject"], resources: [`${bucket.arn}/processed/*`] },
    ],
  });
  const role = new IamRole(stack, "processor_role", { name: "processor", assumeRolePolicy: "{}" });
  role.overrideLogicalId("processor");
  const rolePolicy = new IamRolePolicy(stack, "processor_policy", { role: role.id, policy: document.json });
  rolePolicy.overrideLogicalId("processor");
  const fn = new LambdaFunction(stack, "processor", {
    functionName: "processor",
    role: role.arn,
    handler: props.handler ?? "index.handler",
    runtime: "nodejs22.x",
    filename: "processor.zip",
    environment: { variables: props.environment ?? fullEnvironment() },
    dependsOn: [rolePolicy],
  });
  const permission = new LambdaPermission(stack, "trigger_permission", {
    action: "lambda:InvokeFunction",
    functionName: fn.functionName,
    principal: "s3.amazonaws.com",
    sourceArn: bucket.arn,
    sourceAccount: caller.accountId,
  });
  permission.overrideLogicalId("trigger");
  const notification = new S3BucketNotification(stack, "trigger", {
    bucket: bucket.id,
    lambdaFunction: [{ lambdaFunctionArn: fn.arn, events: ["s3:ObjectCreated:*"], filterPrefix: props.filterPrefix ?? "incoming/" }],
    dependsOn: [permission],
  });
  return { stack, bucket, role, document, function: fn, permission, notification };
}

/** The stack's Terraform JSON, as the guardrails read it. */
export function terraformJson(stack: TerraformStack): TerraformJson {
  return JSON.parse(Testing.synth(stack)) as TerraformJson;
}

/** A directory holding one module file, standing in for a bundle. */
export function bundleWith(file: string, source: string): string {
  // A directory inside a fresh one, so the exports cache written beside it stays in the temp dir too.
  const dir = path.join(mkdtempSync(path.join(tmpdir(), "bundle-")), "bundle");
  mkdirSync(dir);
  writeFileSync(path.join(dir, file), source);
  return dir;
}
