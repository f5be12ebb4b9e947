import { CloudwatchMetricAlarm, type CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import type { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import type { SqsQueue } from "@cdktf/provider-aws/lib/sqs-queue";
import { Construct } from "constructs";
import { METRIC, METRICS_NAMESPACE } from "../lambda-src/env";

/** The alarms' settings when its props leave them out; stages start from these too (`stacks/config.ts`). */
export const ALARM_DEFAULTS = { periodSeconds: 300, evaluationPeriods: 1, durationAlarmPercent: 80, failedEventAgeAlarmSeconds: 3600 } as const;

/** What to watch and where to send alarms. */
export interface PipelineAlarmsProps {
  /** Prefix of every alarm name, e.g. `order-pipeline-dev`. */
  readonly namePrefix: string;
  /** The processor's function name (metric dimension). */
  readonly functionName: string;
  /** The function's timeout; the duration alarm fires at `durationAlarmPercent` of it. */
  readonly timeoutSeconds: number;
  /** The on-failure queue. */
  readonly failedEventsQueue: SqsQueue;
  /** Topic that receives alarm and OK notifications. */
  readonly topic: SnsTopic;
  /**
   * Period of every alarm.
   * @default 300
   */
  readonly periodSeconds?: number;
  /**
   * Periods the condition must hold.
   * @default 1
   */
  readonly evaluationPeriods?: number;
  /**
   * p99 duration threshold as a percentage of the timeout.
   * @default 80
   */
  readonly durationAlarmPercent?: number;
  /**
   * Age of the oldest on-failure message that raises an alarm.
   * @default 3600
   */
  readonly failedEventAgeAlarmSeconds?: number;
}

type AlarmSpec = Omit<CloudwatchMetricAlarmConfig, "alarmName" | "evaluationPeriods" | "period" | "alarmActions" | "okActions" | "actionsEnabled">;

/**
 * The alarms a person on call needs, all to the status topic (alarm and recovery). Missing data is
 * `notBreaching` everywhere: for Lambda's count metrics no invocations means no errors, and SQS
 * keeps reporting a queue's metrics while it holds messages, so a gap there means an empty,
 * untouched queue.
 */
export class PipelineAlarms extends Construct {
  /** Alarms by short name (`errors`, `throttles`, ...). */
  public readonly alarms: Readonly<Record<string, CloudwatchMetricAlarm>>;

  constructor(scope: Construct, id: string, props: PipelineAlarmsProps) {
    super(scope, id);
    const lambda = { namespace: "AWS/Lambda", dimensions: { FunctionName: props.functionName } };
    const queue = { namespace: "AWS/SQS", dimensions: { QueueName: props.failedEventsQueue.name } };
    const durationThresholdMs = Math.round((props.timeoutSeconds * 1000 * (props.durationAlarmPercent ?? ALARM_DEFAULTS.durationAlarmPercent)) / 100);

    const specs: Record<string, AlarmSpec> = {
      errors: {
        ...lambda,
        alarmDescription: "The processor threw (transient failure being retried, or a bug). See the function's logs.",
        metricName: "Errors",
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      },
      throttles: {
        ...lambda,
        alarmDescription: "Uploads arrive faster than the function's concurrency allows (its reserved concurrency, or else the account's unreserved pool); events wait and may age out.",
        metricName: "Throttles",
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      },
      duration_p99: {
        ...lambda,
        alarmDescription: `p99 duration is above ${props.durationAlarmPercent ?? ALARM_DEFAULTS.durationAlarmPercent}% of the ${props.timeoutSeconds} s timeout; large files are close to timing out.`,
        metricName: "Duration",
        extendedStatistic: "p99",
        comparisonOperator: "GreaterThanThreshold",
        threshold: durationThresholdMs,
        treatMissingData: "notBreaching",
      },
      destination_delivery_failures: {
        ...lambda,
        alarmDescription: "Lambda could not deliver a failed event to the on-failure queue: that upload is lost unless replayed from S3.",
        metricName: "DestinationDeliveryFailures",
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      },
      failed_events_visible: {
        ...queue,
        alarmDescription: "Uploads exhausted their retries and wait in the on-failure queue. See README 'Replaying failed files'.",
        metricName: "ApproximateNumberOfMessagesVisible",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      },
      failed_events_age: {
        ...queue,
        alarmDescription: "A failed upload has waited in the on-failure queue too long; it expires after 14 days.",
        metricName: "ApproximateAgeOfOldestMessage",
        statistic: "Maximum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: props.failedEventAgeAlarmSeconds ?? ALARM_DEFAULTS.failedEventAgeAlarmSeconds,
        treatMissingData: "notBreaching",
      },
      failed_files: {
        namespace: METRICS_NAMESPACE,
        dimensions: { service: props.functionName },
        alarmDescription: "At least one order file ended FAILED; its metadata item has the FailureReason.",
        metricName: METRIC.filesFailed,
        statistic: "Sum",
        comparisonOperator: "GreaterThanThreshold",
        threshold: 0,
        treatMissingData: "notBreaching",
      },
    };

    const alarms: Record<string, CloudwatchMetricAlarm> = {};
    for (const [name, spec] of Object.entries(specs)) {
      const alarm = new CloudwatchMetricAlarm(this, name, {
        ...spec,
        alarmName: `${props.namePrefix}-${name.replace(/_/g, "-")}`,
        period: props.periodSeconds ?? ALARM_DEFAULTS.periodSeconds,
        evaluationPeriods: props.evaluationPeriods ?? ALARM_DEFAULTS.evaluationPeriods,
        actionsEnabled: true,
        alarmActions: [props.topic.arn],
        okActions: [props.topic.arn],
      });
      alarm.overrideLogicalId(name);
      alarms[name] = alarm;
    }
    this.alarms = alarms;
  }
}
