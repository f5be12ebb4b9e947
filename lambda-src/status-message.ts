import type { PublishCommandInput } from "@aws-sdk/client-sns";
import type { MetadataItem } from "./metadata-item";

/** The JSON body of a status message: the outcome of one file, from its metadata item. */
export interface StatusMessageBody {
  readonly FileName: string;
  readonly Bucket: string;
  readonly Status: string;
  readonly Format: string;
  readonly OrdersTotal: number;
  readonly OrdersValid: number;
  readonly OrdersRejected: number;
  readonly OutputKey: string | null;
  readonly FailureReason: string | null;
  readonly SizeBytes: number;
  readonly VersionId: string | null;
  readonly Sequencer: string;
  readonly Attempts: number;
  readonly CompletedAt: string | null;
}

/**
 * The SNS `Publish` input for a finished file: a JSON body built from its item, and the `Status`
 * and `Format` message attributes subscribers filter on. No `Subject`: SNS refuses non-ASCII ones,
 * and keys may hold any letter.
 */
export function statusMessage(item: MetadataItem, topicArn: string): PublishCommandInput {
  const body: StatusMessageBody = {
    FileName: item.FileName,
    Bucket: item.Bucket,
    Status: item.Status,
    Format: item.Format,
    OrdersTotal: item.OrdersTotal ?? 0,
    OrdersValid: item.OrdersValid ?? 0,
    OrdersRejected: item.OrdersRejected ?? 0,
    OutputKey: item.OutputKey ?? null,
    FailureReason: item.FailureReason ?? null,
    SizeBytes: item.SizeBytes,
    VersionId: item.VersionId ?? null,
    Sequencer: item.Sequencer,
    Attempts: item.Attempts,
    CompletedAt: item.CompletedAt ?? null,
  };
  return {
    TopicArn: topicArn,
    Message: JSON.stringify(body),
    MessageAttributes: {
      Status: { DataType: "String", StringValue: item.Status },
      Format: { DataType: "String", StringValue: item.Format },
    },
  };
}
