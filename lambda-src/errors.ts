import { clip } from "./clip";
import { MAX_KEY_BYTES } from "./keys";
import { LIMITS } from "./limits";

/** A key as a reason quotes it: S3 allows 1,024 bytes, and the fix after it must stay in the reason. */
export function quotedKey(key: string): string {
  return clip(key, LIMITS.maxQuotedKeyLength);
}

/** Required environment variables are not set (they are read once, at cold start). */
export class MissingEnvironmentVariableError extends Error {
  public readonly variables: readonly string[];
  constructor(variables: readonly string[]) {
    super(`Environment variable${variables.length > 1 ? "s" : ""} ${variables.join(", ")} ${variables.length > 1 ? "are" : "is"} not set; the stack sets them on the function, so set them when running the handler elsewhere.`);
    this.name = "MissingEnvironmentVariableError";
    this.variables = variables;
  }
}

/** An environment variable is set to a value the function can't use. */
export class InvalidEnvironmentVariableError extends Error {
  public readonly variable: string;
  constructor(variable: string, value: string, expected: string) {
    super(`Environment variable ${variable} is "${value}"; set it to ${expected}.`);
    this.name = "InvalidEnvironmentVariableError";
    this.variable = variable;
  }
}

/**
 * A problem with the file itself that no retry can fix: the file ends FAILED with this message as
 * its one-sentence `FailureReason`, and the invocation returns normally.
 */
export class FileRejectedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "FileRejectedError";
  }
}

/** The key's extension names no supported format. */
export class UnsupportedFormatError extends FileRejectedError {
  constructor(key: string) {
    super(`The file name "${quotedKey(key)}" has no supported extension; use .csv, .json, .ndjson, .jsonl or .xml.`);
    this.name = "UnsupportedFormatError";
  }
}

/** The key is not under the incoming prefix, or names nothing after it, so there is no output key for it. */
export class UnexpectedKeyError extends FileRejectedError {
  constructor(key: string, prefix: string) {
    super(
      key === prefix
        ? `The object "${quotedKey(key)}" has no file name after "${prefix}"; upload order files as "${prefix}<name>.csv" (or .json, .ndjson, .jsonl, .xml).`
        : `The key "${quotedKey(key)}" is not under "${prefix}"; upload order files under "${prefix}".`,
    );
    this.name = "UnexpectedKeyError";
  }
}

/** The output key would be longer than S3 allows, so the orders could never be written. */
export class OutputKeyTooLongError extends FileRejectedError {
  constructor(key: string, outputKey: string) {
    const keyBytes = Buffer.byteLength(key, "utf8");
    const outputKeyBytes = Buffer.byteLength(outputKey, "utf8");
    super(`The key is ${keyBytes} bytes long (UTF-8), so its output key would be ${outputKeyBytes}, more than S3's limit of ${MAX_KEY_BYTES}; shorten the file name by at least ${outputKeyBytes - MAX_KEY_BYTES} bytes.`);
    this.name = "OutputKeyTooLongError";
  }
}

/** The file is larger than the configured maximum. */
export class FileTooLargeError extends FileRejectedError {
  constructor(sizeBytes: number, maxBytes: number) {
    super(`The file has ${sizeBytes} bytes, more than the limit of ${maxBytes}; split it into smaller files.`);
    this.name = "FileTooLargeError";
  }
}

/** The file has no content (or only a byte-order mark and whitespace). */
export class EmptyFileError extends FileRejectedError {
  constructor() {
    super("The file is empty; upload a file that contains orders.");
    this.name = "EmptyFileError";
  }
}

/** What a file that is not UTF-8 text turned out to be, by its first bytes. */
export type NotTextKind = "gzip" | "zip" | "utf-16";

const NOT_TEXT_REASONS: Readonly<Record<NotTextKind, string>> = {
  gzip: "The file is gzip-compressed, not UTF-8 text; upload it uncompressed (and without Content-Encoding: gzip).",
  zip: "The file is a ZIP archive (an Excel workbook is one), not UTF-8 text; export or save it as CSV UTF-8, JSON or XML text.",
  "utf-16": "The file is UTF-16 text (it starts with a UTF-16 byte-order mark); save it as UTF-8.",
};

/** The bytes are not UTF-8. */
export class InvalidEncodingError extends FileRejectedError {
  /**
   * @param byteOffset where the first bad byte is, counted from 0 as hex dumps count
   * @param kind what the file's first bytes say it is instead, when they say
   */
  constructor(byteOffset: number, kind?: NotTextKind) {
    super(kind !== undefined ? NOT_TEXT_REASONS[kind] : `The file is not valid UTF-8 (its first bad byte is at offset ${byteOffset}, counting from 0); save it as UTF-8.`);
    this.name = "InvalidEncodingError";
  }
}

/** The file's structure is broken (truncated JSON, malformed XML, wrong top-level shape). */
export class MalformedFileError extends FileRejectedError {
  constructor(format: string, detail: string) {
    super(`The ${format} is malformed: ${detail}.`);
    this.name = "MalformedFileError";
  }
}

/** The CSV header lacks required columns. */
export class MissingColumnError extends FileRejectedError {
  public readonly columns: readonly string[];
  constructor(columns: readonly string[]) {
    super(`The CSV header has no ${columns.join(", ")} column${columns.length > 1 ? "s" : ""}; add ${columns.length > 1 ? "them" : "it"} to the first row.`);
    this.name = "MissingColumnError";
    this.columns = columns;
  }
}

/** The XML declares a DOCTYPE or an entity, which is refused before anything is expanded. */
export class RefusedXmlError extends FileRejectedError {
  constructor(construct: string, line: number) {
    super(`The XML contains ${/^[aeiou]/i.test(construct) ? "an" : "a"} ${construct} on line ${line}, which is refused (no DTDs or entities); remove it.`);
    this.name = "RefusedXmlError";
  }
}

/** The file contains no orders at all, or none of them is valid. */
export class NoValidOrdersError extends FileRejectedError {
  constructor(total: number) {
    super(
      total === 0
        ? "The file contains no orders; add at least one order."
        : `None of the ${total} order${total > 1 ? "s" : ""} in the file is valid; fix the problems listed in Errors and upload it again.`,
    );
    this.name = "NoValidOrdersError";
  }
}

/** Processing was stopped before the function's timeout would have killed it. */
export class ProcessingTimeoutError extends FileRejectedError {
  constructor(elapsedMs: number) {
    super(`Processing stopped after ${Math.round(elapsedMs / 1000)} s, before the function's timeout; split the file into smaller files.`);
    this.name = "ProcessingTimeoutError";
  }
}

/** The object was deleted (or the version is gone) before it could be read. */
export class ObjectGoneError extends FileRejectedError {
  constructor(key: string) {
    super(`The object "${quotedKey(key)}" no longer exists; upload it again.`);
    this.name = "ObjectGoneError";
  }
}

/**
 * An event for a bucket this function does not serve. No metadata item can describe it (the table
 * belongs to the configured bucket), so the invocation fails and the event lands in the on-failure
 * destination, where a person sees the misconfigured notification.
 */
export class ForeignBucketError extends Error {
  constructor(bucket: string, expected: string) {
    super(`Received an event for bucket "${bucket}", but this function serves only "${expected}"; remove that bucket's notification or deploy a pipeline for it.`);
    this.name = "ForeignBucketError";
  }
}

/** Records could not start because too little time was left; throwing lets Lambda retry them. */
export class TimeBudgetExhaustedError extends Error {
  constructor(keys: readonly string[]) {
    super(`Not enough time left to start ${keys.map((key) => `"${quotedKey(key)}"`).join(", ")}; Lambda retries the event and finished files are skipped as duplicates.`);
    this.name = "TimeBudgetExhaustedError";
  }
}

/**
 * A record ran out of time that earlier records of its event had used: not the file's fault, so
 * the event is retried (finished records are then skipped) instead of the file ending FAILED.
 */
export class TimeShareExhaustedError extends Error {
  constructor(key: string, elapsedMs: number) {
    super(`Processing of "${quotedKey(key)}" stopped after ${Math.round(elapsedMs / 1000)} s because most of the invocation's time went before the file was read (to earlier records of the event, or slow requests); Lambda retries the event and finished files are skipped as duplicates.`);
    this.name = "TimeShareExhaustedError";
  }
}

/**
 * S3 did not answer a request in time (the file's read never started, or an output upload hung
 * after it was abandoned): a transient problem, so the event is retried. The item stays
 * PROCESSING for the retry, which counts as the next attempt.
 */
export class RequestStalledError extends Error {
  constructor(what: "Reading" | "Writing the output of", key: string, waitedMs: number, cause?: unknown) {
    super(`${what} "${quotedKey(key)}" got no answer from S3 within ${(waitedMs / 1000).toFixed(1)} s; Lambda retries the event.`, cause === undefined ? undefined : { cause });
    this.name = "RequestStalledError";
  }
}

/** One record's transient failure; `key` is unset for the error about records that never started, which names their keys. */
export interface RecordFailure {
  readonly key?: string;
  readonly error: unknown;
}

/**
 * Several records failed transiently. Each error is kept, with its key, so the on-failure record
 * and the logs tell them apart.
 */
export class RecordsFailedError extends Error {
  public readonly errors: readonly unknown[];
  constructor(failures: readonly RecordFailure[]) {
    const described = failures.map(({ key, error }) => `${key === undefined ? "" : `"${quotedKey(key)}": `}${error instanceof Error ? `${error.name}: ${error.message}` : String(error)}`);
    super(`${failures.length} record(s) failed with transient errors; Lambda retries the event: ${described.join("; ")}`);
    this.name = "RecordsFailedError";
    this.errors = failures.map((failure) => failure.error);
  }
}
