import { LIMITS } from "./limits";
import type { ObjectEvent } from "./s3-record";
import type { FileStatus, FinalStatus, Format, OrderProblem } from "./types";

/** One entry of `Errors`: where (`Line` or `Index`), which order and field, and what to fix. */
export interface ErrorEntry {
  readonly Line?: number;
  readonly Index?: number;
  readonly OrderId?: string;
  readonly Field?: string;
  readonly Message: string;
}

/** One entry of `History`. */
export interface HistoryEntry {
  readonly VersionId?: string;
  readonly Sequencer: string;
  readonly Status: FinalStatus;
  readonly OrdersValid: number;
  readonly OrdersRejected: number;
  readonly CompletedAt: string;
}

/** The metadata item of one file, as the contract defines it (plain values, not attribute values). */
export interface MetadataItem {
  readonly FileName: string;
  readonly Bucket: string;
  readonly Status: FileStatus;
  readonly Format: Format;
  readonly SizeBytes: number;
  readonly ETag: string;
  readonly VersionId?: string;
  readonly Sequencer: string;
  readonly ReceivedAt: string;
  readonly StartedAt: string;
  readonly CompletedAt?: string;
  readonly DurationMs?: number;
  readonly OrdersTotal?: number;
  readonly OrdersValid?: number;
  readonly OrdersRejected?: number;
  readonly Errors?: readonly ErrorEntry[];
  readonly ErrorsTruncated?: boolean;
  readonly FailureReason?: string;
  readonly OutputKey?: string;
  readonly Attempts: number;
  readonly History?: readonly HistoryEntry[];
}

/** The attributes a finished file sets on its item. */
export interface FinalFields {
  readonly Status: FinalStatus;
  readonly CompletedAt: string;
  readonly DurationMs: number;
  readonly OrdersTotal: number;
  readonly OrdersValid: number;
  readonly OrdersRejected: number;
  readonly Errors: readonly ErrorEntry[];
  readonly ErrorsTruncated: boolean;
  readonly FailureReason?: string;
  readonly OutputKey?: string;
  readonly History: readonly HistoryEntry[];
}

/** The item written when work on a file starts: earlier outcomes stay in `History`, everything else is replaced. */
export function processingItem(event: ObjectEvent, format: Format, startedAt: string, attempts: number, history: readonly HistoryEntry[]): MetadataItem {
  return {
    FileName: event.key,
    Bucket: event.bucket,
    Status: "PROCESSING",
    Format: format,
    SizeBytes: event.sizeBytes,
    ETag: event.eTag,
    ...(event.versionId !== undefined ? { VersionId: event.versionId } : {}),
    Sequencer: event.sequencer,
    ReceivedAt: event.eventTime,
    StartedAt: startedAt,
    Attempts: attempts,
    History: history,
  };
}

/** Problems as `Errors` entries (already capped by the tally). */
export function errorEntries(problems: readonly OrderProblem[]): ErrorEntry[] {
  return problems.map((p) => ({
    ...("line" in p.position ? { Line: p.position.line } : { Index: p.position.index }),
    ...(p.orderId !== undefined ? { OrderId: p.orderId } : {}),
    ...(p.field !== undefined ? { Field: p.field } : {}),
    Message: p.message,
  }));
}

/** `history` with `entry` appended, keeping the last `LIMITS.maxHistory`. */
export function appendHistory(history: readonly HistoryEntry[], entry: HistoryEntry): HistoryEntry[] {
  return [...history, entry].slice(-LIMITS.maxHistory);
}
