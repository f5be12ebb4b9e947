import type { S3EventRecord } from "aws-lambda";
import { decodeEventKey } from "./keys";

/** What one S3 event record says about the object it announces, with the key decoded. */
export interface ObjectEvent {
  readonly bucket: string;
  /** The key as uploaded (URL-decoded): `incoming/orders 1.csv`. */
  readonly key: string;
  readonly sizeBytes: number;
  readonly eTag: string;
  readonly versionId?: string;
  readonly sequencer: string;
  /** ISO 8601 UTC time S3 received the object. */
  readonly eventTime: string;
}

/** Reads an S3 event record. */
export function objectEvent(record: S3EventRecord): ObjectEvent {
  const { bucket, object } = record.s3;
  return {
    bucket: bucket.name,
    key: decodeEventKey(object.key),
    sizeBytes: object.size ?? 0,
    eTag: object.eTag ?? "",
    ...(object.versionId ? { versionId: object.versionId } : {}),
    sequencer: object.sequencer ?? "",
    eventTime: Number.isNaN(Date.parse(record.eventTime)) ? record.eventTime : new Date(record.eventTime).toISOString(),
  };
}
