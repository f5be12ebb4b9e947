import { DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { once } from "node:events";
import { PassThrough } from "node:stream";
import type { OrderSink } from "./pipeline";

/** Destroys the output stream so lib-storage aborts the multipart upload instead of completing it. */
class OutputAbandonedError extends Error {
  constructor(key: string) {
    super(`The output ${key} was abandoned because the file did not succeed.`);
    this.name = "OutputAbandonedError";
  }
}

/**
 * The NDJSON output of one file, streamed to S3 through a multipart upload (`@aws-sdk/lib-storage`)
 * that starts with the first valid order. Writes wait while the upload is behind, so memory stays
 * bounded by the upload's part buffers. Nothing becomes visible until `complete()`; `abandon()`
 * aborts the upload, leaving no partial object.
 */
export class OrderOutput implements OrderSink {
  private stream?: PassThrough;
  private uploading?: Promise<unknown>;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Key of the output object. */
    readonly key: string,
  ) {}

  /** Appends NDJSON bytes. */
  async write(ndjson: Uint8Array): Promise<void> {
    const stream = this.open();
    if (!stream.write(ndjson)) await once(stream, "drain");
  }

  /** Ends the output and waits until the object is in S3. */
  async complete(): Promise<void> {
    const stream = this.open();
    stream.end();
    await this.uploading;
  }

  /** Aborts the upload (if any was started) and waits until S3 has dropped its parts. */
  async abandon(): Promise<void> {
    if (this.stream === undefined) return;
    if (!this.stream.destroyed) this.stream.destroy(new OutputAbandonedError(this.key));
    await this.uploading?.catch(() => undefined);
  }

  /** Makes a pending or future `write` fail with `reason` (used by the timeout guard). */
  interrupt(reason: Error): void {
    this.stream?.destroy(reason);
  }

  private open(): PassThrough {
    if (this.stream !== undefined) return this.stream;
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key, Body: stream, ContentType: "application/x-ndjson; charset=utf-8" },
      queueSize: 2,
    });
    this.uploading = upload.done().catch((error: unknown) => {
      // A failed upload must also fail the writer waiting for 'drain'.
      if (!stream.destroyed) stream.destroy(error instanceof Error ? error : new Error(String(error)));
      throw error;
    });
    // Observed by complete() or abandon(); this handler only keeps an early failure from being unhandled.
    this.uploading.catch(() => undefined);
    this.stream = stream;
    return stream;
  }
}

/** Deletes the output object of a file (idempotent: S3 accepts deleting a missing key). */
export async function deleteOutput(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }));
}
