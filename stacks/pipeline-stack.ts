import { ArchiveProvider } from "@cdktf/provider-archive/lib/provider";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Annotations, TerraformOutput, TerraformStack } from "cdktf";
import type { Construct } from "constructs";
import { placeholderEmailProblem, type StageConfig } from "./config";
import { bundleLambda, type LambdaBundle } from "./lambda-bundle";
import { EncryptionKey } from "./encryption-key";
import { FailureDestination } from "./failure-destination";
import { addGuardrails } from "./guardrails";
import { MetadataTable } from "./metadata-table";
import { PipelineAlarms } from "./pipeline-alarms";
import { ProcessorFunction } from "./processor-function";
import { configureStateBackend, type StateBackendProps } from "./state-backend";
import { StatusTopic } from "./status-topic";
import { UploadBucket } from "./upload-bucket";
import { UploadTrigger } from "./upload-trigger";

/** What one stage's stack is built from. */
export interface PipelineStackProps {
  /** The validated settings of this stage. */
  readonly config: StageConfig;
  /**
   * The function bundle to deploy.
   * @default - `lambda-src/` bundled with esbuild into `.build/lambda`
   */
  readonly bundle?: LambdaBundle;
  /**
   * Where Terraform keeps this stack's state.
   * @default - local state in the project root
   */
  readonly stateBackend?: StateBackendProps;
}

/** The Terraform versions the synthesized stacks accept. */
export const MIN_TERRAFORM_VERSION = ">= 1.11";

/** The stack name of a stage: `pipeline-<stage>`. */
export function stackName(stage: string): string {
  return `pipeline-${stage}`;
}

/** The first part of every resource name of a stage: `<project>-<stage>`. */
export function resourcePrefix(config: Pick<StageConfig, "project" | "stage">): string {
  return `${config.project}-${config.stage}`;
}

/** The processor function's name in a stage: `<project>-<stage>-processor` (`scripts/redrive.sh` builds it too). */
export function processorFunctionName(config: Pick<StageConfig, "project" | "stage">): string {
  return `${resourcePrefix(config)}-processor`;
}

/**
 * One stage of the order-file pipeline: upload bucket -> processor function -> metadata table,
 * with a status topic. Construct ids double as Terraform addresses (`aws_s3_bucket.upload`):
 * renaming one makes Terraform destroy and recreate that resource, so they are pinned by a test.
 */
export class PipelineStack extends TerraformStack {
  /** The stack's customer-managed KMS key. */
  public readonly encryption: EncryptionKey;
  /** The upload bucket and its settings. */
  public readonly upload: UploadBucket;
  /** The per-file metadata table. */
  public readonly metadata: MetadataTable;
  /** The status topic. */
  public readonly status: StatusTopic;
  /** The order processor. */
  public readonly processor: ProcessorFunction;
  /** The S3 -> Lambda trigger. */
  public readonly trigger: UploadTrigger;
  /** Async retries and the on-failure queue. */
  public readonly failures: FailureDestination;
  /** Alarms to the status topic. */
  public readonly alarms: PipelineAlarms;

  constructor(scope: Construct, props: PipelineStackProps) {
    const { config } = props;
    super(scope, stackName(config.stage));
    configureStateBackend(this, stackName(config.stage), config.region, props.stateBackend ?? {});
    // The S3 backend's use_lockfile is GA from 1.11: an older terraform stops at init, saying so.
    this.addOverride("terraform.required_version", MIN_TERRAFORM_VERSION);
    const name = resourcePrefix(config);
    const placeholders = placeholderEmailProblem(config);
    // cdktf prints warnings at synth, diff and deploy; `npm run preflight` refuses the deploy.
    if (placeholders !== undefined) Annotations.of(this).addWarning(placeholders);

    new AwsProvider(this, "aws", {
      region: config.region,
      defaultTags: [{ tags: { project: config.project, stage: config.stage, "managed-by": "cdktf" } }],
    });
    new ArchiveProvider(this, "archive");
    const caller = new DataAwsCallerIdentity(this, "current");
    const partition = new DataAwsPartition(this, "partition");
    const functionName = processorFunctionName(config);
    const statusTopicName = `${name}-file-status`;

    this.encryption = new EncryptionKey(this, "pipeline", {
      aliasName: name,
      accountId: caller.accountId,
      partition: partition.partition,
      region: config.region,
      dnsSuffix: partition.dnsSuffix,
      logGroupName: `/aws/lambda/${functionName}`,
      statusTopicName,
    });
    const kmsKey = this.encryption.key;

    this.upload = new UploadBucket(this, "upload", {
      namePrefix: `${name}-upload-`,
      bucketName: config.bucketName,
      forceDestroy: config.forceDestroy,
      kmsKey,
      kmsKeyAliases: [this.encryption.alias],
    });
    this.metadata = new MetadataTable(this, "metadata", {
      tableName: `${name}-files`,
      deletionProtection: config.deletionProtection,
      kmsKey,
    });
    this.status = new StatusTopic(this, "status", {
      topicName: statusTopicName,
      emails: config.alarmEmails,
      accountId: caller.accountId,
      partition: partition.partition,
      region: config.region,
      kmsKey,
    });
    const bundle = props.bundle ?? bundleLambda();
    this.processor = new ProcessorFunction(this, "processor", {
      functionName,
      bundle,
      bucket: this.upload.bucket,
      table: this.metadata.table,
      statusTopic: this.status.topic,
      incomingPrefix: config.incomingPrefix,
      processedPrefix: config.processedPrefix,
      maxFileBytes: config.maxFileBytes,
      memoryMiB: config.memoryMiB,
      timeoutSeconds: config.timeoutSeconds,
      logRetentionDays: config.logRetentionDays,
      reservedConcurrency: config.reservedConcurrency ?? undefined,
      encryption: this.encryption,
    });
    this.failures = new FailureDestination(this, "failed_events", {
      queueName: `${name}-failed-events`,
      function: this.processor.function,
      role: this.processor.role,
      maxRetryAttempts: config.maxRetryAttempts,
      maxEventAgeSeconds: config.maxEventAgeSeconds,
      kmsKey,
    });
    this.alarms = new PipelineAlarms(this, "alarm", {
      namePrefix: name,
      functionName,
      timeoutSeconds: config.timeoutSeconds,
      failedEventsQueue: this.failures.queue,
      topic: this.status.topic,
      periodSeconds: config.alarmPeriodSeconds,
      evaluationPeriods: config.alarmEvaluationPeriods,
      durationAlarmPercent: config.durationAlarmPercent,
      failedEventAgeAlarmSeconds: config.failedEventAgeAlarmSeconds,
    });
    this.trigger = new UploadTrigger(this, "trigger", {
      bucket: this.upload.bucket,
      function: this.processor.function,
      accountId: caller.accountId,
      prefix: config.incomingPrefix,
      after: [this.upload.policy, this.failures.invokeConfig],
    });

    new TerraformOutput(this, "bucket_name", { value: this.upload.bucket.bucket, description: "Upload bucket; partners write under incoming/" });
    new TerraformOutput(this, "table_name", { value: this.metadata.table.name, description: "Per-file metadata table" });
    new TerraformOutput(this, "function_name", { value: this.processor.function.functionName });
    new TerraformOutput(this, "function_arn", { value: this.processor.function.arn });
    new TerraformOutput(this, "log_group_name", { value: this.processor.logGroup.name });
    new TerraformOutput(this, "kms_key_arn", { value: kmsKey.arn });
    new TerraformOutput(this, "status_topic_arn", { value: this.status.topic.arn });
    new TerraformOutput(this, "failed_events_queue_url", { value: this.failures.queue.url, description: "On-failure destination; see README 'Replaying failed files'" });

    addGuardrails(this, { bundleDir: bundle.dir });
  }
}
