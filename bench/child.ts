/**
 * Builds and runs the measured side of the handler benchmarks (`bench/handler-child.ts`), bundled
 * with the code under test the way `stacks/lambda-bundle.ts` bundles the function, so the
 * benchmarks run what ships.
 */
import { buildSync } from "esbuild";
import { execFile } from "node:child_process";
import * as path from "node:path";
import type { GeneratedFormat } from "../__tests__/helpers/lambda-orders";
import { BUNDLE_SETTINGS } from "../stacks/lambda-bundle";
import type { Measurement } from "./handler-child";

const ROOT = path.resolve(__dirname, "..");

/** The formats the handler benchmarks measure, in table order. */
export const BENCH_FORMATS: readonly GeneratedFormat[] = ["csv", "json", "ndjson", "xml"];

/**
 * What the child measures: the bare parser; the format's order reader alone (`read`), then with
 * validation (`checked`); the full path reading the file, or with the file in memory.
 */
export type ChildMode = "bare" | "read" | "checked" | "full" | "memory";

/** Bundles `bench/handler-child.ts` into `dir`; returns the bundle's path. */
export function buildChild(dir: string): string {
  const outfile = path.join(dir, "child.js");
  buildSync({ entryPoints: [path.join(__dirname, "handler-child.ts")], outfile, ...BUNDLE_SETTINGS });
  return outfile;
}

/** How to start the child's node. */
export interface ChildCommand {
  /** A command line to run node under (valgrind, for one). @default - none */
  readonly wrapper?: readonly string[];
  /** Options for node itself. @default - none */
  readonly nodeOptions?: readonly string[];
  /** Stops the run when aborted. @default - runs to the end */
  readonly signal?: AbortSignal;
}

/**
 * One run in a fresh node that loads nothing but the bundle (so, run bare, its peak RSS is the
 * code's own); what the child writes to stderr passes through.
 */
export function runChild(childFile: string, mode: ChildMode, format: GeneratedFormat, file: string, how: ChildCommand = {}): Promise<Measurement> {
  const command = [...(how.wrapper ?? []), process.execPath, ...(how.nodeOptions ?? []), childFile, mode, format, file];
  return new Promise((resolve, reject) => {
    const child = execFile(command[0], command.slice(1), { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20, signal: how.signal }, (error, stdout) => {
      if (error) reject(error);
      else resolve(JSON.parse(stdout) as Measurement);
    });
    child.stderr?.pipe(process.stderr);
  });
}
