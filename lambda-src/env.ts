/**
 * Names shared by the stack (which sets them) and the function (which reads them).
 * Both sides import this module, so a rename can't leave one side behind.
 */
export const ENV = {
  /** Name of the DynamoDB metadata table (hash key `FileName`). */
  tableName: "TABLE_NAME",
  /** Name of the upload bucket; events from any other bucket are refused. */
  bucketName: "BUCKET_NAME",
  /** Key prefix that triggers the function, e.g. `incoming/`. */
  incomingPrefix: "INCOMING_PREFIX",
  /** Key prefix for normalized output, e.g. `processed/`. */
  outputPrefix: "OUTPUT_PREFIX",
  /** ARN of the SNS topic that receives one status message per file. */
  statusTopicArn: "STATUS_TOPIC_ARN",
  /** Files larger than this many bytes end FAILED without being read. */
  maxFileBytes: "MAX_FILE_BYTES",
  /** Powertools service name: the `service` key of every log line and metric dimension. */
  serviceName: "POWERTOOLS_SERVICE_NAME",
  /** Powertools metrics namespace (CloudWatch EMF). */
  metricsNamespace: "POWERTOOLS_METRICS_NAMESPACE",
} as const;

/** One of the variable names above. */
export type EnvName = (typeof ENV)[keyof typeof ENV];

/** Every variable the function reads; the stack must set exactly these. */
export const FUNCTION_ENV_NAMES: readonly EnvName[] = Object.values(ENV);

/** CloudWatch namespace of the function's own metrics; the alarms use it too. */
export const METRICS_NAMESPACE = "OrderPipeline";

/** Metric names the function emits (EMF) and the alarms watch. */
export const METRIC = {
  /** Count of files that ended FAILED. */
  filesFailed: "FilesFailed",
  /** Count of files that ended SUCCEEDED. */
  filesSucceeded: "FilesSucceeded",
  /** Count of files that ended PARTIAL. */
  filesPartial: "FilesPartial",
  /** Orders written to the output. */
  ordersValid: "OrdersValid",
  /** Orders rejected by validation. */
  ordersRejected: "OrdersRejected",
  /** Bytes read from S3. */
  bytesRead: "BytesRead",
  /** Wall-clock processing time of one file. */
  processingMs: "ProcessingMs",
} as const;

/** Export name of the Lambda entry point in the bundle (`index.handler`). */
export const HANDLER_EXPORT = "handler";
/** File name of the bundle, without extension, as the Lambda `handler` string needs it. */
export const BUNDLE_FILE = "index";
