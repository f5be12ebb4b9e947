import { DataArchiveFile } from "@cdktf/provider-archive/lib/data-archive-file";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { DataAwsIamPolicyDocument, type DataAwsIamPolicyDocumentStatement } from "@cdktf/provider-aws/lib/data-aws-iam-policy-document";
import type { DynamodbTable } from "@cdktf/provider-aws/lib/dynamodb-table";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import type { S3Bucket } from "@cdktf/provider-aws/lib/s3-bucket";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { AssetType, TerraformAsset } from "cdktf";
import { Construct } from "constructs";
import { ENV, type EnvName, METRICS_NAMESPACE } from "../lambda-src/env";
import type { StackKey } from "./encryption-key";
import type { LambdaBundle } from "./lambda-bundle";

/** The function's settings when its props leave them out; stages start from these too (`stacks/config.ts`). */
export const PROCESSOR_DEFAULTS = { logRetentionDays: 30, memoryMiB: 512, timeoutSeconds: 300 } as const;

/** Settings and collaborators of the order-processing function. */
export interface ProcessorFunctionProps {
  /** Function name; unique per stage and account. Also the log group's and the metrics' service name. */
  readonly functionName: string;
  /** The built bundle to package (directory and handler string). */
  readonly bundle: LambdaBundle;
  /** Bucket the function reads from and writes to. */
  readonly bucket: S3Bucket;
  /** Table that receives one metadata item per file. */
  readonly table: DynamodbTable;
  /** Topic that receives one status message per file. */
  readonly statusTopic: SnsTopic;
  /** Prefix the function reads (and that triggers it), ending with `/`. */
  readonly incomingPrefix: string;
  /** Prefix the function writes normalized orders under, ending with `/`. */
  readonly processedPrefix: string;
  /** Files larger than this end FAILED without being read. */
  readonly maxFileBytes: number;
  /**
   * Customer-managed key for the log group and the function's environment; the role may use it,
   * through its services only.
   * @default - AWS-managed keys
   */
  readonly encryption?: StackKey;
  /**
   * Memory size.
   * @default 512
   */
  readonly memoryMiB?: number;
  /**
   * Timeout.
   * @default 300
   */
  readonly timeoutSeconds?: number;
  /**
   * Days CloudWatch keeps the function's logs.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Reserved concurrent executions.
   * @default - unreserved (the account's pool)
   */
  readonly reservedConcurrency?: number;
}

/**
 * The order processor: the bundle zipped by the archive provider, an execution role that can do
 * exactly what the code does on exactly these resources, and a log group that exists before the
 * function so Lambda never creates an unmanaged, never-expiring one.
 */
export class ProcessorFunction extends Construct {
  /** The Lambda function. */
  public readonly function: LambdaFunction;
  /** The execution role. */
  public readonly role: IamRole;
  /** `/aws/lambda/<function name>`, managed here with a retention. */
  public readonly logGroup: CloudwatchLogGroup;
  /** The policy document of the role's inline policy (structured, so scanners and guardrails can read it). */
  public readonly policyDocument: DataAwsIamPolicyDocument;

  constructor(scope: Construct, id: string, props: ProcessorFunctionProps) {
    super(scope, id);

    const asset = new TerraformAsset(this, "bundle", { path: props.bundle.dir, type: AssetType.DIRECTORY });
    const zip = new DataArchiveFile(this, "zip", {
      type: "zip",
      sourceDir: asset.path,
      outputPath: `dist/${id}.zip`,
      outputFileMode: "0644",
    });
    zip.overrideLogicalId(id);

    this.logGroup = new CloudwatchLogGroup(this, "logs", {
      name: `/aws/lambda/${props.functionName}`,
      retentionInDays: props.logRetentionDays ?? PROCESSOR_DEFAULTS.logRetentionDays,
      kmsKeyId: props.encryption?.key.arn,
    });
    this.logGroup.overrideLogicalId(id);

    const assumeRole = new DataAwsIamPolicyDocument(this, "assume-role", {
      statement: [
        {
          effect: "Allow",
          principals: [{ type: "Service", identifiers: ["lambda.amazonaws.com"] }],
          actions: ["sts:AssumeRole"],
        },
      ],
    });
    assumeRole.overrideLogicalId(`${id}_assume_role`);

    this.role = new IamRole(this, "role", {
      name: `${props.functionName}-role`,
      assumeRolePolicy: assumeRole.json,
    });
    this.role.overrideLogicalId(id);

    const bucketArn = props.bucket.arn;
    const statements: DataAwsIamPolicyDocumentStatement[] = [
      {
        sid: "ReadIncomingFiles",
        actions: ["s3:GetObject", "s3:GetObjectVersion"],
        resources: [`${bucketArn}/${props.incomingPrefix}*`],
      },
      {
        // Only so that GetObject of a key deleted before it was read answers 404, not 403: S3 says
        // 404 only to a caller that may list the bucket, and the function ends a gone file FAILED
        // rather than retrying it. Key names, never contents; no s3:prefix condition, because the
        // check S3 makes for a GetObject carries no prefix.
        sid: "TellGoneFilesApart",
        actions: ["s3:ListBucket"],
        resources: [bucketArn],
      },
      {
        // PutObject covers create/upload-part/complete of a multipart upload; Abort and Delete keep
        // a failed file from leaving partial or stale output behind.
        sid: "WriteProcessedOrders",
        actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"],
        resources: [`${bucketArn}/${props.processedPrefix}*`],
      },
      {
        sid: "RecordFileMetadata",
        actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"],
        resources: [props.table.arn],
      },
      {
        sid: "PublishFileStatus",
        actions: ["sns:Publish"],
        resources: [props.statusTopic.arn],
      },
      {
        sid: "WriteOwnLogs",
        actions: ["logs:CreateLogStream", "logs:PutLogEvents"],
        resources: [`${this.logGroup.arn}:*`],
      },
      {
        // The only two actions here that AWS does not scope to a resource.
        sid: "SendTraces",
        actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"],
        resources: ["*"],
      },
    ];
    if (props.encryption) {
      // SSE-KMS objects, the encrypted topic and on-failure queue all need data keys from this key;
      // the function never calls KMS itself, so the services are the only way it may use the key.
      statements.push({
        sid: "UseStackKey",
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
        resources: [props.encryption.key.arn],
        condition: [{ test: "StringEquals", variable: "kms:ViaService", values: [...props.encryption.viaServices] }],
      });
    }
    this.policyDocument = new DataAwsIamPolicyDocument(this, "policy-document", { statement: statements });
    this.policyDocument.overrideLogicalId(`${id}_permissions`);

    const rolePolicy = new IamRolePolicy(this, "role-policy", {
      name: "processor-permissions",
      role: this.role.id,
      policy: this.policyDocument.json,
    });
    rolePolicy.overrideLogicalId(id);

    const environment: Record<EnvName, string> = {
      [ENV.tableName]: props.table.name,
      [ENV.bucketName]: props.bucket.bucket,
      [ENV.incomingPrefix]: props.incomingPrefix,
      [ENV.outputPrefix]: props.processedPrefix,
      [ENV.statusTopicArn]: props.statusTopic.arn,
      [ENV.maxFileBytes]: String(props.maxFileBytes),
      [ENV.serviceName]: props.functionName,
      [ENV.metricsNamespace]: METRICS_NAMESPACE,
    };

    this.function = new LambdaFunction(this, "function", {
      functionName: props.functionName,
      description: `Parses, validates and normalizes order files uploaded under ${props.incomingPrefix}`,
      runtime: "nodejs22.x",
      architectures: ["arm64"],
      handler: props.bundle.handler,
      filename: zip.outputPath,
      sourceCodeHash: zip.outputBase64Sha256,
      role: this.role.arn,
      memorySize: props.memoryMiB ?? PROCESSOR_DEFAULTS.memoryMiB,
      timeout: props.timeoutSeconds ?? PROCESSOR_DEFAULTS.timeoutSeconds,
      reservedConcurrentExecutions: props.reservedConcurrency,
      environment: { variables: environment },
      kmsKeyArn: props.encryption?.key.arn,
      tracingConfig: { mode: "Active" },
      // The log group must exist first (or Lambda creates an unmanaged one), and the role must
      // already hold its permissions when the first event arrives.
      dependsOn: [this.logGroup, rolePolicy],
    });
    this.function.overrideLogicalId(id);
  }
}
