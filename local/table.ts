import type { S3Event } from "aws-lambda";
import { compareSequencers } from "../lambda-src/sequencer";
import { isFinalStatus } from "../lambda-src/types";
import type { FailedEventRecord } from "./async-invoke";
import type { PlainItem } from "./pipeline";

/** One file's outcome, as the CLI reports it. */
export interface FileOutcome {
  /** The key it was uploaded as. */
  readonly key: string;
  /** Its metadata item, when the function wrote one. */
  readonly item?: PlainItem;
  /** Its on-failure record, when the event ended there. */
  readonly failure?: FailedEventRecord;
}

const COLUMNS = ["FILE", "STATUS", "FORMAT", "VALID/REJECTED", "DURATION", "OUTPUT KEY", "FIRST ERROR"] as const;

/** `850 ms`, `1.2 s`. */
export function formatDuration(ms: unknown): string {
  if (typeof ms !== "number") return "-";
  return ms < 1000 ? `${Math.round(ms)} ms` : `${(ms / 1000).toFixed(1)} s`;
}

/**
 * Whether the file ended with its final item: SUCCEEDED, PARTIAL or FAILED, and not older than an
 * event of it that went to the on-failure file (a PROCESSING item is what a failed attempt leaves).
 */
export function hasFinalRecord(outcome: FileOutcome): boolean {
  const { item, failure } = outcome;
  if (!item || !isFinalStatus(item.Status)) return false;
  const failed = (failure?.requestPayload as Partial<S3Event> | undefined)?.Records?.[0]?.s3.object.sequencer;
  return failed === undefined || compareSequencers(String(item.Sequencer ?? ""), failed) >= 0;
}

/** The first problem of a file: why it has no final item, else its failure reason, else its first order error (`line 4: ...`). */
export function firstError(outcome: FileOutcome): string {
  const { item, failure } = outcome;
  if (failure && !hasFinalRecord(outcome)) return `${failure.responsePayload.errorType}: ${failure.responsePayload.errorMessage}`;
  if (!item) return "no metadata record";
  if (typeof item.FailureReason === "string" && item.FailureReason) return item.FailureReason;
  const first = Array.isArray(item.Errors) ? (item.Errors[0] as Record<string, unknown> | undefined) : undefined;
  if (!first) return "";
  const where = first.Line !== undefined ? `line ${String(first.Line)}` : first.Index !== undefined ? `index ${String(first.Index)}` : "";
  const message = String(first.Message ?? "");
  // Messages usually name their field already; say it only when they don't.
  const field = typeof first.Field === "string" && !message.includes(first.Field) ? `${first.Field}: ` : "";
  return `${where}${where ? ": " : ""}${field}${message}`;
}

/** On one line. Not clipped: it is the last column, and a failure reason's fix is at its end. */
function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim();
}

/** The table `npm run demo` prints: one row per file, columns padded to fit. */
export function renderTable(outcomes: readonly FileOutcome[], prefix = "incoming/"): string {
  const rows = outcomes.map((o) => {
    const item = o.item ?? {};
    const counts = typeof item.OrdersValid === "number" ? `${item.OrdersValid}/${String(item.OrdersRejected ?? 0)}` : "-";
    return [
      o.key.startsWith(prefix) ? o.key.slice(prefix.length) : o.key,
      o.item ? String(item.Status ?? "-") : "NO RECORD",
      String(item.Format ?? "-"),
      counts,
      formatDuration(item.DurationMs),
      typeof item.OutputKey === "string" ? item.OutputKey : "-",
      oneLine(firstError(o)) || "-",
    ];
  });
  const widths = COLUMNS.map((c, i) => Math.max(c.length, ...rows.map((r) => r[i].length)));
  const line = (cells: readonly string[]) => cells.map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]))).join("  ");
  return [line(COLUMNS), ...rows.map(line)].join("\n");
}
