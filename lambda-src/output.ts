import { DeleteObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { Upload } from "@aws-sdk/lib-storage";
import { once } from "node:events";
import { PassThrough } from "node:stream";
import { LIMITS } from "./limits";
import type { OrderSink } from "./pipeline";

/** The error the output stream is destroyed with, so lib-storage aborts the multipart upload instead of completing it. */
class OutputAbandonedError extends Error {
  constructor(key: string) {
    super(`The output ${key} was abandoned because the file did not succeed.`);
    this.name = "OutputAbandonedError";
  }
}

/**
 * How `abandon` left the output:
 * - `dropped`: no upload was started, or it ended and S3 dropped its parts;
 * - `landed`: the output had ended, and its last request went through: the object is whole;
 * - `hanging`: a part upload still hangs, but the output never ended, so no object can appear (the
 *   bucket's lifecycle rule removes the parts);
 * - `may-land`: the output had ended, and its last request (the PUT, or the multipart completion)
 *   may still be on its way: the object could yet appear.
 */
export type Abandoned = "dropped" | "landed" | "hanging" | "may-land";

/**
 * The NDJSON output of one file, streamed to S3 through a multipart upload (`@aws-sdk/lib-storage`)
 * that starts with the first valid order. Writes wait while the upload is behind, so memory stays
 * bounded by the upload's part buffers. Nothing becomes visible until `complete()`; `abandon()`
 * aborts the upload, leaving no partial object.
 */
export class OrderOutput implements OrderSink {
  private stream?: PassThrough;
  private upload?: Upload;
  private uploading?: Promise<unknown>;
  private failure?: Error;
  private interruptReason?: Error;
  /** `complete` ended the stream: from then on the upload may send its last request. */
  private ended = false;
  /** `abandon` aborted the upload itself: the error that follows is its own. */
  private aborting = false;
  /** Rejects with the reason given to `interrupt`, so `complete` stops waiting too. */
  private readonly interrupted: Promise<never>;
  private stop: (reason: Error) => void = () => undefined;

  constructor(
    private readonly client: S3Client,
    private readonly bucket: string,
    /** Key of the output object. */
    readonly key: string,
  ) {
    this.interrupted = new Promise<never>((_resolve, reject) => {
      this.stop = reject;
    });
    this.interrupted.catch(() => undefined);
  }

  /** Appends NDJSON bytes. */
  async write(ndjson: Uint8Array): Promise<void> {
    const stream = this.open();
    if (!stream.write(ndjson)) await once(stream, "drain");
  }

  /** Ends the output and waits until the object is in S3. */
  async complete(): Promise<void> {
    const stream = this.open();
    this.ended = true;
    stream.end();
    // Once the stream has ended, only the upload's last request is left; an interrupt ends the wait for it.
    await Promise.race([this.uploading, this.interrupted]);
  }

  /** The error the upload failed with on its own (S3 answering 503, say), not through `abandon` or `interrupt`; known once `abandon` returned. */
  get uploadError(): Error | undefined {
    return this.failure;
  }

  /**
   * Stops the upload (if any was started) and waits until S3 has dropped its parts, at most
   * `LIMITS.abandonWaitMs`; then aborts what still hangs, so no part or completion follows.
   */
  async abandon(): Promise<Abandoned> {
    if (this.stream === undefined || this.upload === undefined) return "dropped";
    if (!this.stream.destroyed) this.stream.destroy(new OutputAbandonedError(this.key));
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<undefined>((resolve) => {
      timer = setTimeout(() => resolve(undefined), LIMITS.abandonWaitMs);
    });
    const settled = this.uploading!.then(
      (): Abandoned => "landed",
      (): Abandoned => "dropped",
    );
    try {
      const outcome = await Promise.race([settled, waited]);
      if (outcome !== undefined) return outcome;
    } finally {
      clearTimeout(timer);
    }
    this.aborting = true;
    void this.upload.abort();
    return this.ended ? "may-land" : "hanging";
  }

  /** Makes a pending or future `write` or `complete` fail with `reason` (used by the timeout guard). */
  interrupt(reason: Error): void {
    this.interruptReason = reason;
    this.stream?.destroy(reason);
    this.stop(reason);
  }

  private open(): PassThrough {
    if (this.stream !== undefined) return this.stream;
    // Interrupted before the first order was written: no upload starts after that.
    if (this.interruptReason !== undefined) throw this.interruptReason;
    const stream = new PassThrough({ highWaterMark: 1 << 20 });
    const upload = new Upload({
      client: this.client,
      params: { Bucket: this.bucket, Key: this.key, Body: stream, ContentType: "application/x-ndjson; charset=utf-8" },
      queueSize: 2,
    });
    this.upload = upload;
    this.uploading = upload.done().catch((error: unknown) => {
      const failure = error instanceof Error ? error : new Error(String(error));
      // S3's own failure, not our abandon, interrupt or abort, nor the cleanup after an abandon
      // (a failed AbortMultipartUpload: nothing can complete anyway). When S3 fails first,
      // lib-storage destroys the stream with a bare AbortError, which is all the writer sees.
      const ours = failure instanceof OutputAbandonedError || failure === this.interruptReason || this.aborting || stream.errored instanceof OutputAbandonedError;
      if (!ours) this.failure = failure;
      // A failed upload must also fail the writer waiting for 'drain'.
      if (!stream.destroyed) stream.destroy(failure);
      throw error;
    });
    // Observed by complete() or abandon(); this handler only keeps an early failure from being unhandled.
    this.uploading.catch(() => undefined);
    this.stream = stream;
    return stream;
  }
}

/**
 * Deletes the output object of a file (idempotent: S3 accepts deleting a missing key). A small
 * request, which may run in the timeout guard's reserve: 2 s per attempt, not the S3 client's 30.
 */
export async function deleteOutput(client: S3Client, bucket: string, key: string): Promise<void> {
  await client.send(new DeleteObjectCommand({ Bucket: bucket, Key: key }), { requestTimeout: 2_000 });
}
