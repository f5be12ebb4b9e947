import { GetObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { PublishCommand, type SNSClient } from "@aws-sdk/client-sns";
import type { Logger } from "@aws-lambda-powertools/logger";
import { type Metrics, MetricUnit } from "@aws-lambda-powertools/metrics";
import type { S3EventRecord } from "aws-lambda";
import { Readable } from "node:stream";
import type { ProcessorConfig } from "./config";
import { decideDelivery } from "./delivery";
import { METRIC } from "./env";
import {
  FileRejectedError,
  FileTooLargeError,
  ForeignBucketError,
  ObjectGoneError,
  OutputKeyTooLongError,
  ProcessingTimeoutError,
  RequestStalledError,
  TimeShareExhaustedError,
  quotedKey,
  UnexpectedKeyError,
  UnsupportedFormatError,
} from "./errors";
import { fitsS3Key, formatOfKey, isUnderPrefix, outputKeyFor } from "./keys";
import { LIMITS } from "./limits";
import { appendHistory, errorEntries, type FinalFields, type MetadataItem, processingItem } from "./metadata-item";
import type { MetadataStore } from "./metadata-store";
import { type Abandoned, deleteOutput, OrderOutput } from "./output";
import { processOrders } from "./pipeline";
import { objectEvent, type ObjectEvent } from "./s3-record";
import { statusMessage } from "./status-message";
import { OrderTally } from "./tally";
import { clip } from "./clip";
import type { ReadProgress } from "./text";
import { FILE_STATUS, FORMAT, type FinalStatus, type Format } from "./types";

/** The collaborators of `processRecord`: the container's config and clients, and this invocation's clock. */
export interface ProcessorDeps {
  readonly config: ProcessorConfig;
  readonly s3: S3Client;
  readonly sns: SNSClient;
  readonly store: MetadataStore;
  readonly logger: Logger;
  readonly metrics: Metrics;
  /** Milliseconds left before Lambda's timeout (`context.getRemainingTimeInMillis`). */
  readonly remainingMs: () => number;
  /** Milliseconds the invocation had left when it began: what earlier records of the event took is the difference. */
  readonly invocationMs: number;
}

/** How a record ended, for the handler's log. */
export type RecordOutcome = FinalStatus | "IGNORED_EVENT" | "IGNORED_FOLDER" | "IGNORED_OLDER" | "REPUBLISHED" | "SUPERSEDED";

const STATUS_METRIC: Readonly<Record<FinalStatus, string>> = {
  SUCCEEDED: METRIC.filesSucceeded,
  PARTIAL: METRIC.filesPartial,
  FAILED: METRIC.filesFailed,
};
const START_ATTEMPTS = 3;

function isObjectGone(error: unknown): boolean {
  if (!(error instanceof Error)) return false;
  const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
  return error.name === "NoSuchKey" || error.name === "NoSuchVersion" || status === 404;
}

/** The keys every log line of a record carries; the handler removes them after the record. */
export const RECORD_LOG_KEYS = ["s3Key", "bucket", "sequencer"] as const;

function recordLogKeys(event: ObjectEvent): Record<(typeof RECORD_LOG_KEYS)[number], string> {
  return { s3Key: event.key, bucket: event.bucket, sequencer: event.sequencer };
}

/**
 * Processes one S3 record end to end: decide by sequencer, record PROCESSING, stream the object
 * through the pipeline into the output, record the final status, publish it. A file problem ends
 * FAILED and returns; anything else (throttling, network, 5xx) is thrown with the item left
 * PROCESSING, so Lambda's retry picks it up again as the next attempt.
 */
export async function processRecord(record: S3EventRecord, deps: ProcessorDeps): Promise<RecordOutcome> {
  const { config, logger } = deps;
  const event = objectEvent(record);
  if (event.bucket !== config.bucketName) throw new ForeignBucketError(event.bucket, config.bucketName);
  logger.appendKeys(recordLogKeys(event));
  // The notification subscribes to ObjectCreated only; any other event (a delete marker, a restore)
  // announces no new content, and processing it would overwrite the file's outcome.
  if (record.eventName !== undefined && !record.eventName.startsWith("ObjectCreated:")) {
    logger.warn("Ignoring an event that announces no new object", { eventName: record.eventName });
    return "IGNORED_EVENT";
  }
  if (isFolderMarker(event)) {
    // The S3 console's "Create folder" writes an empty object named like the folder: not a file.
    logger.info("Ignoring a folder marker");
    return "IGNORED_FOLDER";
  }

  for (let round = 0; round < START_ATTEMPTS; round++) {
    const recorded = await deps.store.get(event.key);
    const delivery = decideDelivery(recorded, event.sequencer);
    if (delivery.action === "ignore") {
      logger.info("Ignoring an older event: a newer version of this key is already recorded", { recordedSequencer: delivery.recordedSequencer });
      return "IGNORED_OLDER";
    }
    if (delivery.action === "republish") {
      logger.info("Already finished for this sequencer; publishing its status again", { status: delivery.item.Status });
      await settle(delivery.item, deps);
      return "REPUBLISHED";
    }
    const format = formatOfKey(event.key);
    const started = processingItem(event, format, new Date().toISOString(), delivery.attempts, recorded?.History ?? []);
    if (!(await deps.store.start(started, recorded))) continue;
    logger.info("Processing started", { format, attempts: started.Attempts, sizeBytes: event.sizeBytes });
    // The previous version's output stays until this one ends: this one's output replaces it, or
    // `settle` deletes it when this one fails. A delete sent now could reach S3 late (a try the SDK
    // gave up on), after this version's output, and leave its SUCCEEDED with nothing behind it.
    const outputKey = outputKeyFor(event.key, config.incomingPrefix, config.outputPrefix);
    return run(event, format, started, outputKey, deps);
  }
  logger.warn("Another invocation kept changing this file's item; leaving it to that invocation");
  return "SUPERSEDED";
}

/** One attempt at a file, once its PROCESSING item is written. */
interface Attempt {
  readonly event: ObjectEvent;
  readonly format: Format;
  /** The PROCESSING item this attempt wrote; the final write is conditional on it. */
  readonly started: MetadataItem;
  readonly outputKey: string;
  readonly startedMs: number;
  readonly tally: OrderTally;
  readonly progress: ReadProgress;
}

/** Streams the file into its output and records, logs, counts and publishes the outcome. */
async function run(event: ObjectEvent, format: Format, started: MetadataItem, outputKey: string, deps: ProcessorDeps): Promise<RecordOutcome> {
  const attempt: Attempt = { event, format, started, outputKey, startedMs: Date.now(), tally: new OrderTally(), progress: { bytes: 0 } };
  const failure = await streamFile(attempt, deps);
  const fields = finalFields(attempt, failure);
  // When this write fails, the output stays and the error goes to Lambda's retry: the write may
  // still land (its reply lost, or the request itself late), and removing the output could then
  // leave a SUCCEEDED item with nothing behind it, for good. The retry finds the item PROCESSING
  // and writes the output again, or removes it if the file now fails; or it finds the write landed
  // and only publishes.
  const final = await deps.store.finish(started, fields);
  if (final === undefined) {
    deps.logger.warn("A newer attempt or version took over this file while it was processed; its outcome stands");
    return "SUPERSEDED";
  }
  report(attempt, fields, deps);
  await settle(final, deps);
  return fields.Status;
}

/**
 * Checks the file, then streams it through the pipeline into its output, under the timeout guard:
 * `undefined` when the output is complete, else why the file failed. Anything that is no fault of
 * the file's is thrown, for Lambda's retry.
 */
async function streamFile(attempt: Attempt, deps: ProcessorDeps): Promise<FileRejectedError | undefined> {
  const { event, format, startedMs } = attempt;
  const { config } = deps;
  const output = new OrderOutput(deps.s3, config.bucketName, attempt.outputKey);
  let timedOut: Error | undefined;
  let timer: NodeJS.Timeout | undefined;
  const remainingMs = deps.remainingMs();
  // Time used before the file is read (earlier records of the event, or this record's own slow
  // item writes) is no fault of the file's: running out of it is retried, not FAILED.
  const sharedTime = deps.invocationMs - remainingMs > deps.invocationMs * LIMITS.sharedTimeShare;
  try {
    if (!isUnderPrefix(event.key, config.incomingPrefix)) throw new UnexpectedKeyError(event.key, config.incomingPrefix);
    if (!fitsS3Key(attempt.outputKey)) throw new OutputKeyTooLongError(event.key, attempt.outputKey);
    if (format === FORMAT.unknown) throw new UnsupportedFormatError(event.key);
    if (event.sizeBytes > config.maxFileBytes) throw new FileTooLargeError(event.sizeBytes, config.maxFileBytes);
    const budgetMs = remainingMs - LIMITS.timeoutReserveMs;
    const reading = new AbortController();
    let body: Readable | undefined;
    timer = setTimeout(() => {
      // Stops the read, its request included, and the writes, wherever the pipeline is waiting.
      // A file that never started to arrive is S3's problem, not the file's.
      const elapsedMs = Date.now() - startedMs;
      timedOut = body === undefined ? new RequestStalledError("Reading", event.key, elapsedMs) : new ProcessingTimeoutError(elapsedMs);
      reading.abort(timedOut);
      body?.destroy(timedOut);
      output.interrupt(timedOut);
    }, Math.max(0, budgetMs));
    body = await getBody(deps.s3, config.bucketName, event, reading.signal);
    await processOrders({ body, format, fileName: event.key, maxBytes: config.maxFileBytes, sink: output, tally: attempt.tally, progress: attempt.progress, deadline: startedMs + budgetMs });
    await output.complete();
    return undefined;
  } catch (error) {
    // The outcome is decided now: the guard must not take over while the upload is abandoned.
    clearTimeout(timer);
    const abandoned = await output.abandon();
    // The guard fired while the last request was on its way, and it landed: the file is done.
    if (abandoned === "landed") return undefined;
    return failureOf(abandoned, output.uploadError ?? timedOut ?? error, sharedTime, event.key, startedMs);
  } finally {
    clearTimeout(timer);
  }
}

/** The final item's fields: status, counts, errors, and the output or the reason there is none. */
function finalFields({ event, started, outputKey, startedMs, tally }: Attempt, failure: FileRejectedError | undefined): FinalFields {
  const status = failure === undefined ? tally.status() : FILE_STATUS.failed;
  const completedAt = new Date().toISOString();
  return {
    Status: status,
    CompletedAt: completedAt,
    DurationMs: Date.parse(completedAt) - startedMs,
    OrdersTotal: tally.total,
    OrdersValid: tally.valid,
    OrdersRejected: tally.rejected,
    Errors: errorEntries(tally.errors),
    ErrorsTruncated: tally.errorsTruncated,
    ...(failure !== undefined ? { FailureReason: clip(failure.message, LIMITS.maxFailureReasonLength) } : { OutputKey: outputKey }),
    History: appendHistory(started.History ?? [], {
      ...(event.versionId !== undefined ? { VersionId: event.versionId } : {}),
      Sequencer: event.sequencer,
      Status: status,
      OrdersValid: tally.valid,
      OrdersRejected: tally.rejected,
      CompletedAt: completedAt,
    }),
  };
}

/** The outcome's log line and metrics (files by status, orders, bytes, milliseconds). */
function report({ tally, progress }: Attempt, fields: FinalFields, { logger, metrics }: ProcessorDeps): void {
  const log = fields.Status === FILE_STATUS.failed ? logger.warn.bind(logger) : logger.info.bind(logger);
  log("Processing finished", { status: fields.Status, ordersValid: tally.valid, ordersRejected: tally.rejected, bytesRead: progress.bytes, durationMs: fields.DurationMs, failureReason: fields.FailureReason });
  metrics.addMetric(STATUS_METRIC[fields.Status], MetricUnit.Count, 1);
  metrics.addMetric(METRIC.ordersValid, MetricUnit.Count, tally.valid);
  metrics.addMetric(METRIC.ordersRejected, MetricUnit.Count, tally.rejected);
  metrics.addMetric(METRIC.bytesRead, MetricUnit.Bytes, progress.bytes);
  metrics.addMetric(METRIC.processingMs, MetricUnit.Milliseconds, fields.DurationMs);
}

/**
 * What stopped a file, once its output was abandoned: a `FileRejectedError` to record as FAILED,
 * or thrown for Lambda's retry. `cause` puts S3's own failure of the upload (a 503, say) before the
 * guard's timeout and before the write that the upload's failure broke.
 */
function failureOf(abandoned: Abandoned, cause: unknown, sharedTime: boolean, key: string, startedMs: number): FileRejectedError {
  // Time used before the file was read is the invocation's problem: retried, not FAILED.
  if (cause instanceof ProcessingTimeoutError && sharedTime) throw new TimeShareExhaustedError(key, Date.now() - startedMs);
  // S3 still hangs on the output. If its last request could yet land, no outcome is recorded that
  // it may contradict; and a timeout spent waiting on S3 is not the file's fault. Both are retried.
  // A file's own rejection stands: nothing can land, and a retry would find it again.
  if (abandoned === "may-land" || (abandoned === "hanging" && cause instanceof ProcessingTimeoutError)) {
    throw new RequestStalledError("Writing the output of", key, LIMITS.abandonWaitMs, cause);
  }
  if (!(cause instanceof FileRejectedError)) throw cause;
  return cause;
}

/**
 * Makes the outside world match a final item: a FAILED file has no output (this also removes
 * output left by an earlier version or an interrupted attempt), and the status is published. Run
 * again on a repeated delivery, so a failed publish or delete is retried.
 */
async function settle(item: MetadataItem, deps: ProcessorDeps): Promise<void> {
  const { incomingPrefix, outputPrefix, bucketName } = deps.config;
  if (item.Status === FILE_STATUS.failed && isUnderPrefix(item.FileName, incomingPrefix)) {
    const outputKey = outputKeyFor(item.FileName, incomingPrefix, outputPrefix);
    // No output can exist under a key S3 refuses, and S3 would refuse the delete too.
    if (fitsS3Key(outputKey)) await deleteOutput(deps.s3, bucketName, outputKey);
  }
  await deps.sns.send(new PublishCommand(statusMessage(item, deps.config.statusTopicArn)));
}

/** An empty object whose key ends with "/", as the S3 console's "Create folder" makes. */
function isFolderMarker(event: ObjectEvent): boolean {
  return event.sizeBytes === 0 && event.key.endsWith("/");
}

async function getBody(s3: S3Client, bucket: string, event: ObjectEvent, abortSignal: AbortSignal): Promise<Readable> {
  try {
    const request = new GetObjectCommand({ Bucket: bucket, Key: event.key, ...(event.versionId !== undefined ? { VersionId: event.versionId } : {}) });
    const response = await s3.send(request, { abortSignal });
    // Never seen from S3; thrown as a transient error, so Lambda retries the event.
    if (!(response.Body instanceof Readable)) throw new Error(`S3 answered GetObject for "${quotedKey(event.key)}" without a readable body; Lambda retries the event.`);
    return response.Body;
  } catch (error) {
    if (abortSignal.aborted) throw abortSignal.reason;
    if (isObjectGone(error)) throw new ObjectGoneError(event.key);
    throw error;
  }
}
