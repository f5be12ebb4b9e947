import { CloudwatchMetricAlarm } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { LambdaFunction } from "@cdktf/provider-aws/lib/lambda-function";
import { LambdaFunctionEventInvokeConfig } from "@cdktf/provider-aws/lib/lambda-function-event-invoke-config";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { statusMessage } from "../lambda-src/status-message";
import { ON_CALL_FILTER_POLICY } from "../stacks/status-topic";
import { onlyResource, parseSynth, synthStack, type TerraformJson } from "./helpers/stack";

interface Statement {
  readonly sid?: string;
  readonly effect?: string;
  readonly actions: string[];
  readonly resources?: string[];
  readonly principals?: { type: string; identifiers: string[] }[];
  readonly condition?: { test: string; variable: string; values: string[] }[];
}

const KEY = "${aws_kms_key.pipeline.arn}";
const TOPIC = "${aws_sns_topic.status.arn}";

function statements(json: TerraformJson, document: string): Statement[] {
  const doc = json.data.aws_iam_policy_document[document];
  if (!doc) throw new Error(`no data.aws_iam_policy_document.${document}`);
  return doc.statement as Statement[];
}

function statement(json: TerraformJson, document: string, sid: string): Statement {
  const found = statements(json, document).find((s) => s.sid === sid);
  if (!found) throw new Error(`no statement ${sid} in ${document}`);
  return found;
}

describe("operations and security hardening (dev)", () => {
  const synth = synthStack("dev");
  const json = parseSynth(synth);

  describe("failures go somewhere a person will see", () => {
    it("retries async invocations twice within six hours, then sends them to the on-failure queue", () => {
      expect(synth).toHaveResourceWithProperties(LambdaFunctionEventInvokeConfig, {
        function_name: "${aws_lambda_function.processor.function_name}",
        maximum_retry_attempts: 2,
        maximum_event_age_in_seconds: 21600,
        destination_config: { on_failure: { destination: "${aws_sqs_queue.failed_events.arn}" } },
        depends_on: ["aws_iam_role_policy.failed_events"],
      });
    });

    it("takes retries and event age from config", () => {
      const custom = parseSynth(synthStack("dev", { maxRetryAttempts: 0, maxEventAgeSeconds: 60 }));
      expect(onlyResource(custom, "aws_lambda_function_event_invoke_config")).toMatchObject({
        maximum_retry_attempts: 0,
        maximum_event_age_in_seconds: 60,
      });
    });

    it("keeps failed events 14 days in a queue encrypted with the stack key, TLS only", () => {
      expect(synth).toHaveResourceWithProperties(SqsQueue, {
        name: "order-pipeline-dev-failed-events",
        message_retention_seconds: 1209600,
        kms_master_key_id: KEY,
      });
      expect(statement(json, "failed_events_tls_only", "DenyInsecureTransport")).toMatchObject({
        effect: "Deny",
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      });
    });

    it("sets no dead_letter_config: the on-failure destination carries the event and the error", () => {
      expect(onlyResource(json, "aws_lambda_function")).not.toHaveProperty("dead_letter_config");
    });

    it("reserves concurrency only where a stage sets it, and traces with X-Ray", () => {
      // Reserving needs 100 unreserved executions left in the account; a new account may have 10 in all.
      expect(synth).toHaveResourceWithProperties(LambdaFunction, { tracing_config: { mode: "Active" } });
      expect(onlyResource(json, "aws_lambda_function")).not.toHaveProperty("reserved_concurrent_executions");
      const prod = parseSynth(synthStack("prod"));
      expect(onlyResource(prod, "aws_lambda_function").reserved_concurrent_executions).toBe(20);
      const overridden = parseSynth(synthStack("prod", { reservedConcurrency: null }));
      expect(onlyResource(overridden, "aws_lambda_function")).not.toHaveProperty("reserved_concurrent_executions");
    });
  });

  describe("execution role", () => {
    it("has exactly these actions, each on exactly these resources", () => {
      const granted = [
        ...statements(json, "processor_permissions"),
        ...statements(json, "failed_events_send"),
      ].map((s) => ({ sid: s.sid, actions: s.actions, resources: s.resources }));
      expect(granted).toEqual([
        { sid: "ReadIncomingFiles", actions: ["s3:GetObject", "s3:GetObjectVersion"], resources: ["${aws_s3_bucket.upload.arn}/incoming/*"] },
        { sid: "TellGoneFilesApart", actions: ["s3:ListBucket"], resources: ["${aws_s3_bucket.upload.arn}"] },
        { sid: "WriteProcessedOrders", actions: ["s3:PutObject", "s3:AbortMultipartUpload", "s3:DeleteObject"], resources: ["${aws_s3_bucket.upload.arn}/processed/*"] },
        { sid: "RecordFileMetadata", actions: ["dynamodb:GetItem", "dynamodb:PutItem", "dynamodb:UpdateItem"], resources: ["${aws_dynamodb_table.metadata.arn}"] },
        { sid: "PublishFileStatus", actions: ["sns:Publish"], resources: [TOPIC] },
        { sid: "WriteOwnLogs", actions: ["logs:CreateLogStream", "logs:PutLogEvents"], resources: ["${aws_cloudwatch_log_group.processor.arn}:*"] },
        { sid: "SendTraces", actions: ["xray:PutTraceSegments", "xray:PutTelemetryRecords"], resources: ["*"] },
        { sid: "UseStackKey", actions: ["kms:Decrypt", "kms:GenerateDataKey"], resources: [KEY] },
        { sid: "SendFailedEvents", actions: ["sqs:SendMessage"], resources: ["${aws_sqs_queue.failed_events.arn}"] },
      ]);
    });
  });

  describe("status topic", () => {
    it("is encrypted with the stack key and lets only this account's alarms publish as a service", () => {
      expect(onlyResource(json, "aws_sns_topic")).toMatchObject({ name: "order-pipeline-dev-file-status", kms_master_key_id: KEY });
      expect(statement(json, "status_topic_policy", "AlarmsOfThisAccountPublish")).toMatchObject({
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["sns:Publish"],
        resources: [TOPIC],
        condition: [
          { test: "ArnLike", variable: "aws:SourceArn", values: ["arn:${data.aws_partition.partition.partition}:cloudwatch:eu-west-1:${data.aws_caller_identity.current.account_id}:alarm:*"] },
          { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current.account_id}"] },
        ],
      });
    });

    it.each([
      ["status_topic_policy", ["sns:Publish"], ["${aws_sns_topic.status.arn}"]],
      ["failed_events_tls_only", ["sqs:SendMessage", "sqs:ReceiveMessage", "sqs:DeleteMessage"], ["${aws_sqs_queue.failed_events.arn}"]],
      ["upload_bucket_policy", ["s3:*"], ["${aws_s3_bucket.upload.arn}", "${aws_s3_bucket.upload.arn}/*"]],
    ])("%s refuses every request made without TLS, to anyone", (document, actions, resources) => {
      expect(statement(json, document, "DenyInsecureTransport")).toEqual({
        sid: "DenyInsecureTransport",
        effect: "Deny",
        principals: [{ type: "*", identifiers: ["*"] }],
        actions,
        resources,
        condition: [{ test: "Bool", variable: "aws:SecureTransport", values: ["false"] }],
      });
    });

    it("routes FAILED files and every alarm to the e-mail subscription, and nothing else", () => {
      // The subset of SNS filtering the policy uses, as the SNS developer guide describes it: a
      // message matches when one $or branch matches; a branch, when each of its keys does; a key,
      // when the body's value is in its list, or `exists` says whether the key is there.
      type Condition = string | { readonly exists: boolean };
      const matches = (policy: { readonly $or: readonly Readonly<Record<string, readonly Condition[]>>[] }, body: Record<string, unknown>): boolean =>
        policy.$or.some((branch) =>
          Object.entries(branch).every(([key, conditions]) => conditions.some((c) => (typeof c === "string" ? body[key] === c : c.exists === (key in body)))),
        );
      const file = (status: string) => JSON.parse(statusMessage({ FileName: "incoming/a.csv", Bucket: "b", Status: status, Format: "csv", SizeBytes: 1, Sequencer: "01", Attempts: 1 } as never, "arn").Message!) as Record<string, unknown>;
      // The body CloudWatch publishes for an alarm (abridged): JSON, with no message attributes.
      const alarm = { AlarmName: "order-pipeline-dev-processor-errors", NewStateValue: "ALARM", OldStateValue: "OK", NewStateReason: "Threshold Crossed" };
      expect([file("FAILED"), file("PARTIAL"), file("SUCCEEDED"), alarm, { ...alarm, NewStateValue: "OK" }].map((body) => matches(ON_CALL_FILTER_POLICY, body))).toEqual([true, false, false, true, true]);
    });

    it("subscribes configured e-mails to FAILED files and alarms only", () => {
      const prod = synthStack("prod");
      expect(prod).toHaveResourceWithProperties(SnsTopicSubscription, {
        protocol: "email",
        endpoint: "oncall@example.com",
        filter_policy_scope: "MessageBody",
        filter_policy: JSON.stringify(ON_CALL_FILTER_POLICY),
      });
      expect(json.resource.aws_sns_topic_subscription).toBeUndefined();
    });
  });

  describe("alarms", () => {
    const alarms = json.resource.aws_cloudwatch_metric_alarm as Record<string, Record<string, unknown>>;

    it.each([
      ["errors", "AWS/Lambda", "Errors", "Sum", 0],
      ["throttles", "AWS/Lambda", "Throttles", "Sum", 0],
      ["duration_p99", "AWS/Lambda", "Duration", undefined, 240000],
      ["destination_delivery_failures", "AWS/Lambda", "DestinationDeliveryFailures", "Sum", 0],
      ["failed_events_visible", "AWS/SQS", "ApproximateNumberOfMessagesVisible", "Maximum", 0],
      ["failed_events_age", "AWS/SQS", "ApproximateAgeOfOldestMessage", "Maximum", 3600],
      ["failed_files", "OrderPipeline", "FilesFailed", "Sum", 0],
    ])("%s watches %s %s (%s) above %d and notifies the status topic", (name, namespace, metric, statistic, threshold) => {
      // Sum for counts, so one error in a period fires; Maximum for the queue, so a message consumed within the period still counts.
      expect(alarms[name].statistic).toBe(statistic);
      expect(alarms[name]).toMatchObject({
        alarm_name: `order-pipeline-dev-${name.replace(/_/g, "-")}`,
        namespace,
        metric_name: metric,
        threshold,
        comparison_operator: "GreaterThanThreshold",
        actions_enabled: true,
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
        treat_missing_data: "notBreaching",
        period: 300,
        evaluation_periods: 1,
      });
    });

    it("measures duration at p99 and the function's own metrics by its service dimension", () => {
      expect(alarms.duration_p99).toMatchObject({ extended_statistic: "p99", dimensions: { FunctionName: "order-pipeline-dev-processor" } });
      expect(alarms.failed_files).toMatchObject({ dimensions: { service: "order-pipeline-dev-processor" } });
      // Powertools publishes FilesFailed under the function's POWERTOOLS_* settings: an alarm that
      // names another service or namespace watches a metric nobody emits, and never fires.
      const { variables } = onlyResource(json, "aws_lambda_function").environment as { variables: Record<string, string> };
      expect({ service: (alarms.failed_files.dimensions as Record<string, string>).service, namespace: alarms.failed_files.namespace }).toEqual({
        service: variables.POWERTOOLS_SERVICE_NAME,
        namespace: variables.POWERTOOLS_METRICS_NAMESPACE,
      });
      expect(alarms.failed_events_visible).toMatchObject({ dimensions: { QueueName: "${aws_sqs_queue.failed_events.name}" } });
    });

    it("takes thresholds and periods from config", () => {
      const custom = synthStack("dev", { alarmPeriodSeconds: 60, alarmEvaluationPeriods: 3, timeoutSeconds: 100, durationAlarmPercent: 50, failedEventAgeAlarmSeconds: 900 });
      expect(custom).toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: "Duration", threshold: 50000, period: 60, evaluation_periods: 3 });
      expect(custom).toHaveResourceWithProperties(CloudwatchMetricAlarm, { metric_name: "ApproximateAgeOfOldestMessage", threshold: 900 });
    });
  });

  describe("encryption", () => {
    it("uses one customer-managed key with yearly rotation", () => {
      expect(Object.keys(json.resource.aws_kms_key)).toEqual(["pipeline"]);
      expect(synth).toHaveResourceWithProperties(KmsKey, {
        enable_key_rotation: true,
        is_enabled: true,
        deletion_window_in_days: 30,
        policy: "${data.aws_iam_policy_document.pipeline_key_policy.json}",
      });
      expect(json.resource.aws_kms_alias.pipeline).toMatchObject({ name: "alias/order-pipeline-dev", target_key_id: "${aws_kms_key.pipeline.key_id}" });
    });

    it("has a key policy for the account root, Logs for one log group, and alarms", () => {
      const policy = statements(json, "pipeline_key_policy");
      expect(policy.map((s) => s.sid)).toEqual(["AccountAdministersKey", "CloudWatchLogsUseKeyForFunctionLogGroup", "CloudWatchAlarmsPublishToEncryptedTopic"]);
      const root = "arn:${data.aws_partition.partition.partition}:iam::${data.aws_caller_identity.current.account_id}:root";
      expect(policy[0]).toMatchObject({ principals: [{ type: "AWS", identifiers: [root] }], actions: ["kms:*"] });
      expect(policy[1].actions).toEqual(["kms:Encrypt", "kms:Decrypt", "kms:ReEncryptFrom", "kms:ReEncryptTo", "kms:GenerateDataKey", "kms:GenerateDataKeyWithoutPlaintext", "kms:DescribeKey"]);
      expect(policy[1]).toMatchObject({
        // Regional and partitional: logs.cn-north-1.amazonaws.com.cn in China.
        principals: [{ type: "Service", identifiers: ["logs.eu-west-1.${data.aws_partition.partition.dns_suffix}"] }],
        condition: [
          {
            test: "ArnEquals",
            variable: "kms:EncryptionContext:aws:logs:arn",
            values: ["arn:${data.aws_partition.partition.partition}:logs:eu-west-1:${data.aws_caller_identity.current.account_id}:log-group:/aws/lambda/order-pipeline-dev-processor"],
          },
        ],
      });
      expect(policy[2]).toMatchObject({
        principals: [{ type: "Service", identifiers: ["cloudwatch.amazonaws.com"] }],
        actions: ["kms:Decrypt", "kms:GenerateDataKey"],
      });
    });

    it("lets alarms use the key only for the status topic, named as the topic resource names it", () => {
      const topicName = (onlyResource(json, "aws_sns_topic") as { name: string }).name;
      expect(statement(json, "pipeline_key_policy", "CloudWatchAlarmsPublishToEncryptedTopic").condition).toEqual([
        { test: "StringEquals", variable: "aws:SourceAccount", values: ["${data.aws_caller_identity.current.account_id}"] },
        {
          test: "StringEquals",
          variable: "kms:EncryptionContext:aws:sns:topicArn",
          values: [`arn:\${data.aws_partition.partition.partition}:sns:eu-west-1:\${data.aws_caller_identity.current.account_id}:${topicName}`],
        },
      ]);
    });

    it("lets the function's role use it only through the pipeline's services, never by calling KMS directly", () => {
      expect(statement(json, "processor_permissions", "UseStackKey").condition).toEqual([
        { test: "StringEquals", variable: "kms:ViaService", values: ["s3", "dynamodb", "sqs", "sns", "lambda"].map((s) => `${s}.eu-west-1.${"${data.aws_partition.partition.dns_suffix}"}`) },
      ]);
    });

    it("encrypts the bucket (bucket key), table, log group and function environment with it", () => {
      expect(onlyResource(json, "aws_s3_bucket_server_side_encryption_configuration").rule).toEqual([
        { apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms", kms_master_key_id: KEY }, bucket_key_enabled: true },
      ]);
      expect(onlyResource(json, "aws_dynamodb_table").server_side_encryption).toEqual({ enabled: true, kms_key_arn: KEY });
      expect(onlyResource(json, "aws_cloudwatch_log_group").kms_key_id).toBe(KEY);
      expect(onlyResource(json, "aws_lambda_function").kms_key_arn).toBe(KEY);
    });
  });
});
