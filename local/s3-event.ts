import type { S3Event, S3EventRecord } from "aws-lambda";

/** What S3 knows about one written object when it sends the notification. */
export interface ObjectCreated {
  readonly bucket: string;
  /** The key as stored (not encoded). */
  readonly key: string;
  readonly size: number;
  /** ETag without quotes, as S3 events carry it. */
  readonly eTag: string;
  readonly versionId?: string;
  /** Hex sequencer; later writes of a key have greater ones. */
  readonly sequencer: string;
  /**
   * @default "ObjectCreated:Put"
   */
  readonly eventName?: string;
  /**
   * @default - now
   */
  readonly eventTime?: Date;
  /**
   * @default "us-east-1"
   */
  readonly region?: string;
}

/** Encodes a key the way S3 event notifications do: form-URL encoding, spaces as `+`. */
export function encodeEventKey(key: string): string {
  return encodeURIComponent(key)
    .replace(/%20/g, "+")
    .replace(/%2F/gi, "/")
    .replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}

/** One S3 event record shaped as S3 sends it to Lambda (event version 2.1). */
export function s3EventRecord(object: ObjectCreated): S3EventRecord {
  const region = object.region ?? "us-east-1";
  return {
    eventVersion: "2.1",
    eventSource: "aws:s3",
    awsRegion: region,
    eventTime: (object.eventTime ?? new Date()).toISOString(),
    eventName: object.eventName ?? "ObjectCreated:Put",
    userIdentity: { principalId: "AWS:LOCALPARTNER" },
    requestParameters: { sourceIPAddress: "127.0.0.1" },
    responseElements: { "x-amz-request-id": "LOCAL", "x-amz-id-2": "LOCAL" },
    s3: {
      s3SchemaVersion: "1.0",
      configurationId: "process-incoming-orders",
      bucket: { name: object.bucket, ownerIdentity: { principalId: "LOCAL" }, arn: `arn:aws:s3:::${object.bucket}` },
      object: {
        key: encodeEventKey(object.key),
        size: object.size,
        eTag: object.eTag,
        ...(object.versionId !== undefined ? { versionId: object.versionId } : {}),
        sequencer: object.sequencer,
      },
    },
  };
}

/** An S3 event with the given records. */
export function s3Event(...objects: ObjectCreated[]): S3Event {
  return { Records: objects.map(s3EventRecord) };
}

/**
 * Hands out S3-like sequencers: hex strings that grow with every write of the same key.
 * (Real sequencers are comparable only per key; one counter gives that and more.)
 */
export class SequencerClock {
  private last = BigInt(Date.now()) * 1000n;

  /** The next sequencer, 16 upper-case hex digits. */
  next(): string {
    this.last += 1n;
    return this.last.toString(16).toUpperCase().padStart(16, "0");
  }
}
