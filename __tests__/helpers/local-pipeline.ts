import { Testing } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LocalPipeline, type LocalPipelineOptions, type PlainItem } from "../../local/pipeline";
import { buildStack } from "./stack";

// The runner's own SDK clients would print Node 20's end-of-support notice in every test file.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = "true";

let synthesized: string | undefined;

/** The dev stack synthesized once per test file with its packaged bundle (`Testing.fullSynth`). */
export function devStackDir(): string {
  synthesized ??= path.join(Testing.fullSynth(buildStack("dev")), "stacks", "pipeline-dev");
  return synthesized;
}

/** A fresh temporary state directory. */
export function tempStateDir(): string {
  return mkdtempSync(path.join(tmpdir(), "local-state-"));
}

/** Starts the synthesized dev stack on local services with a temporary state directory and fast retries. */
export async function startDevPipeline(options: Partial<LocalPipelineOptions> = {}): Promise<LocalPipeline> {
  return LocalPipeline.start({ stackDir: devStackDir(), stateDir: tempStateDir(), retryBaseDelayMs: 20, ...options });
}

/** Stops a pipeline and removes its state directory. */
export async function stopPipeline(pipeline: LocalPipeline | undefined): Promise<void> {
  if (!pipeline) return;
  await pipeline.stop();
  rmSync(pipeline.stateDir, { recursive: true, force: true });
}

/** What a test expects of one file's final metadata item. */
export interface ExpectedRecord {
  readonly status: "SUCCEEDED" | "PARTIAL" | "FAILED";
  readonly format: "csv" | "json" | "ndjson" | "xml" | "unknown";
  /** @default - not checked */
  readonly valid?: number;
  /** @default - not checked */
  readonly rejected?: number;
}

const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/**
 * Checks an item against the metadata contract (`../shared/contracts.md`) and the expectation,
 * returning every problem (empty when it conforms), so a failing test names all of them at once.
 */
export function contractProblems(item: PlainItem | undefined, key: string, bucket: string, expected: ExpectedRecord): string[] {
  if (!item) return [`${key}: no metadata item`];
  const problems: string[] = [];
  const check = (ok: boolean, what: string) => {
    if (!ok) problems.push(`${key}: ${what}`);
  };
  const isCount = (v: unknown) => typeof v === "number" && Number.isInteger(v) && v >= 0;
  check(item.FileName === key, `FileName ${String(item.FileName)} is not ${key}`);
  check(item.Bucket === bucket, `Bucket ${String(item.Bucket)} is not ${bucket}`);
  check(item.Status === expected.status, `Status ${String(item.Status)} is not ${expected.status}`);
  check(item.Format === expected.format, `Format ${String(item.Format)} is not ${expected.format}`);
  check(typeof item.SizeBytes === "number", `SizeBytes ${String(item.SizeBytes)} is not a number`);
  check(typeof item.ETag === "string" && item.ETag !== "", "ETag missing");
  check(typeof item.VersionId === "string" && item.VersionId !== "", "VersionId missing (the local bucket is versioned)");
  check(typeof item.Sequencer === "string" && /^[0-9A-Fa-f]+$/.test(item.Sequencer), `Sequencer ${String(item.Sequencer)} is not hex`);
  for (const field of ["ReceivedAt", "StartedAt", "CompletedAt"]) check(typeof item[field] === "string" && ISO_UTC.test(item[field] as string), `${field} ${String(item[field])} is not ISO 8601 UTC`);
  check(isCount(item.DurationMs), `DurationMs ${String(item.DurationMs)} is not a count`);
  for (const field of ["OrdersTotal", "OrdersValid", "OrdersRejected"]) check(isCount(item[field]), `${field} ${String(item[field])} is not a count`);
  check(Number(item.OrdersTotal) === Number(item.OrdersValid) + Number(item.OrdersRejected), "OrdersTotal is not OrdersValid + OrdersRejected");
  if (expected.valid !== undefined) check(item.OrdersValid === expected.valid, `OrdersValid ${String(item.OrdersValid)} is not ${expected.valid}`);
  if (expected.rejected !== undefined) check(item.OrdersRejected === expected.rejected, `OrdersRejected ${String(item.OrdersRejected)} is not ${expected.rejected}`);
  const errors = item.Errors;
  check(errors === undefined || (Array.isArray(errors) && errors.length <= 50), "Errors is not a list of at most 50");
  if (Array.isArray(errors)) {
    for (const e of errors as Record<string, unknown>[]) {
      check(typeof e.Message === "string" && e.Message !== "", `an error has no Message: ${JSON.stringify(e)}`);
      check(e.Line !== undefined || e.Index !== undefined, `an error has neither Line nor Index: ${JSON.stringify(e)}`);
    }
  }
  if (expected.status === "PARTIAL") check(Array.isArray(errors) && errors.length > 0, "a PARTIAL item has no Errors");
  const processed = `processed/${key.replace(/^incoming\//, "")}.ndjson`;
  if (expected.status === "FAILED") {
    check(typeof item.FailureReason === "string" && item.FailureReason !== "", "a FAILED item has no FailureReason");
    check(item.OutputKey === undefined, `a FAILED item has OutputKey ${String(item.OutputKey)}`);
  } else {
    check(item.OutputKey === processed, `OutputKey ${String(item.OutputKey)} is not ${processed}`);
  }
  check(typeof item.Attempts === "number" && item.Attempts >= 1, `Attempts ${String(item.Attempts)} is not >= 1`);
  const history = item.History;
  check(Array.isArray(history) && history.length >= 1 && history.length <= 20, "History is not a list of 1 to 20 outcomes");
  if (Array.isArray(history)) {
    const current = (history as Record<string, unknown>[]).some((h) => h.Status === item.Status && h.VersionId === item.VersionId && h.Sequencer === item.Sequencer);
    check(current, `no History entry records this outcome: ${JSON.stringify(history)}`);
  }
  return problems;
}
