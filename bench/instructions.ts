/**
 * Instruction counts of the handler paths (issue 3): per format, the bare parser, the full path
 * and two stages between them (the format's order reader alone, then with validation), counted
 * by valgrind's callgrind, which counts instructions, not seconds. With node's
 * `--single-threaded` a run's total repeats within about 1% however busy or slow the machine is,
 * where wall-clock ratios here swing by tens of percent. Each path runs on a file of N and of 2N
 * generated orders; the difference per order leaves out node's start-up and most of the JIT's
 * warm-up, but as a difference of two totals it varies more: up to about 10% between runs, and
 * the ratios by up to 6 points. Instructions
 * are not time (cache misses and branch mispredictions cost no instructions), so this complements
 * `bench/handler.ts` rather than replacing it: use it to see what a code change costs.
 *
 *   node --require tsx/cjs bench/instructions.ts     (BENCH_INSTR_ORDERS=N, default 10000; BENCH_INSTR_FORMATS=csv,xml)
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { availableParallelism, tmpdir } from "node:os";
import * as path from "node:path";
import { type GeneratedFormat, writeGeneratedFile } from "../__tests__/helpers/lambda-orders";
import { BENCH_FORMATS, buildChild, type ChildMode, runChild } from "./child";

/** `BENCH_INSTR_FORMATS=csv,xml` counts only those; all four when unset. */
function formatsToCount(setting: string | undefined): readonly GeneratedFormat[] {
  if (setting === undefined) return BENCH_FORMATS;
  const names = setting
    .split(",")
    .map((name) => name.trim().toLowerCase())
    .filter((name) => name !== "");
  const unknown = names.filter((name) => !(BENCH_FORMATS as readonly string[]).includes(name));
  if (unknown.length > 0 || names.length === 0) throw new Error(`BENCH_INSTR_FORMATS="${setting}" names ${unknown.join(", ") || "no format"}; list some of ${BENCH_FORMATS.join(",")}`);
  return BENCH_FORMATS.filter((format) => names.includes(format));
}

/**
 * `BENCH_INSTR_ORDERS`, the smaller file's orders: generated files come in blocks of 1000, and
 * below about 10,000 the JIT's warm-up still shows in the difference (at 2,000 the counts per order
 * come out about twice as high).
 */
function ordersToCount(setting: string | undefined): number {
  const orders = Number(setting ?? 10_000);
  if (!Number.isInteger(orders) || orders <= 0 || orders % 1000 !== 0) throw new Error(`BENCH_INSTR_ORDERS="${setting}" is not a positive multiple of 1000; use 10000 or more`);
  return orders;
}

/**
 * The counted paths: the bare parser (a baseline decoded by node itself), then the function's own
 * path in three stages, each doing all the one before it does and more.
 */
const MODES = ["bare", "read", "checked", "full"] as const satisfies readonly ChildMode[];
type CountedMode = (typeof MODES)[number];

/** One counted run: which path, on which file, and what it was expected to write. */
interface Job {
  readonly format: GeneratedFormat;
  readonly mode: CountedMode;
  readonly orders: number;
  readonly file: string;
}

/** Instructions of one run of the child under callgrind, the JIT compiler and the garbage collector included. */
async function count(job: Job, childFile: string, dir: string, signal: AbortSignal): Promise<number> {
  const log = path.join(dir, `${job.format}-${job.mode}-${job.orders}.log`);
  const result = await runChild(childFile, job.mode, job.format, job.file, {
    wrapper: ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", `--log-file=${log}`],
    // V8 then compiles and collects garbage on the main thread, at the same points in every run.
    nodeOptions: ["--single-threaded"],
    signal,
  });
  if (job.mode !== "bare" && result.orders !== job.orders) throw new Error(`${job.format}: the ${job.mode} path took ${result.orders} orders of ${job.orders}`);
  const text = readFileSync(log, "utf8");
  const collected = /Collected : (\d+)/.exec(text);
  if (collected === null) throw new Error(`valgrind's log of the ${job.mode} ${job.format} run holds no instruction count; it ends:\n${text.split("\n").slice(-10).join("\n")}`);
  return Number(collected[1]);
}

/**
 * Runs the jobs, as many at once as there are cores (counts do not depend on what else runs);
 * the first failure stops the others.
 */
async function countAll(jobs: readonly Job[], childFile: string, dir: string): Promise<Map<Job, number>> {
  const counts = new Map<Job, number>();
  const stop = new AbortController();
  let next = 0;
  const worker = async (): Promise<void> => {
    for (let job = jobs[next++]; job !== undefined && !stop.signal.aborted; job = jobs[next++]) counts.set(job, await count(job, childFile, dir, stop.signal));
  };
  try {
    await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, worker));
  } catch (error) {
    stop.abort();
    throw error;
  }
  return counts;
}

async function main(): Promise<void> {
  if (spawnSync("valgrind", ["--version"]).error !== undefined) {
    console.log("Instruction counts skipped: valgrind is not on PATH (Debian: apt-get install valgrind).");
    return;
  }
  const formats = formatsToCount(process.env.BENCH_INSTR_FORMATS);
  const smaller = ordersToCount(process.env.BENCH_INSTR_ORDERS);
  const dir = mkdtempSync(path.join(tmpdir(), "bench-instructions-"));
  try {
    const childFile = buildChild(dir);
    const jobs: Job[] = [];
    for (const format of formats) {
      for (const orders of [smaller, 2 * smaller]) {
        const file = path.join(dir, `orders-${orders}.${format}`);
        const written = await writeGeneratedFile(file, format, { minOrders: orders });
        if (written !== orders) throw new Error(`${format}: generated ${written} orders, not ${orders}; use a multiple of 1000`);
        for (const mode of MODES) jobs.push({ format, mode, orders, file });
      }
    }
    const counts = await countAll(jobs, childFile, dir);
    const perOrder = (format: GeneratedFormat, mode: Job["mode"]): number => {
      const of = (orders: number): number => counts.get(jobs.find((job) => job.format === format && job.mode === mode && job.orders === orders)!)!;
      return (of(2 * smaller) - of(smaller)) / smaller;
    };

    console.log(`\nInstructions per order (callgrind, node --single-threaded; the difference between files of ${(2 * smaller).toLocaleString("en-US")} and ${smaller.toLocaleString("en-US")} generated orders, divided by ${smaller.toLocaleString("en-US")})\n`);
    console.log("| format | bare parser | order reader | + validation | full path | full minus bare | bare/full | bare/reader |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (const format of formats) {
      const [bare, read, checked, full] = MODES.map((mode) => perOrder(format, mode));
      const n = (value: number): string => Math.round(value).toLocaleString("en-US");
      const percent = (part: number, whole: number): string => `${((100 * part) / whole).toFixed(0)}%`;
      console.log(`| ${format} | ${n(bare)} | ${n(read)} | ${n(checked)} | ${n(full)} | ${n(full - bare)} | ${percent(bare, full)} | ${percent(bare, read)} |`);
    }
    console.log(
      "\nThe order reader is the function's UTF-8 decoding and the format's parser module, handing orders to a visitor that only counts\n" +
        "them; + validation adds validation, normalization and the duplicate-id check; the full path adds the NDJSON output. bare/reader\n" +
        "is the most bare/full could be if validation and output cost nothing.\n",
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
