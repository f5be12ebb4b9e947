/**
 * Handler benchmark (issue 3): per format, on a generated file of >= 100,000 orders, the full
 * path (decode, parse, validate, normalize, serialize to NDJSON) next to the bare parser on the
 * same file, in the same run, each in its own child process so peak RSS is its own; the full path
 * also with the file in memory, a body that never makes the parser wait; then a 1 GiB
 * CSV through the full path for peak RSS; then the bundle's size and cold module init time.
 * The measured code is an esbuild bundle built like the function's, so it runs what ships.
 *
 *   node --require tsx/cjs bench/handler.ts
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { writeGeneratedFile } from "../__tests__/helpers/lambda-orders";
import { bundleLambda } from "../stacks/lambda-bundle";
import { BENCH_FORMATS, buildChild, runChild } from "./child";
import type { Measurement } from "./handler-child";

const ORDERS = Number(process.env.BENCH_ORDERS ?? 200_000);
/** Repetitions per format and mode; the table shows medians. */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

function coldInitMs(bundleFile: string): number {
  const script = `const t=process.hrtime.bigint();require(${JSON.stringify(bundleFile)});process.stdout.write(String(Number(process.hrtime.bigint()-t)/1e6))`;
  const env = {
    ...process.env,
    TABLE_NAME: "t",
    BUCKET_NAME: "b",
    INCOMING_PREFIX: "incoming/",
    OUTPUT_PREFIX: "processed/",
    STATUS_TOPIC_ARN: "arn:aws:sns:us-east-1:000000000000:t",
    MAX_FILE_BYTES: "1000",
    POWERTOOLS_SERVICE_NAME: "bench",
    POWERTOOLS_METRICS_NAMESPACE: "Bench",
    AWS_REGION: "us-east-1",
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
  };
  const runs = Array.from({ length: 7 }, () => Number(execFileSync(process.execPath, ["-e", script], { env, encoding: "utf8" })));
  return runs.sort((a, b) => a - b)[3];
}

const fmt = (value: number, digits = 1): string => value.toFixed(digits);

/**
 * The run with the median time, reporting the highest RSS of all runs. Bare and full runs of a
 * format alternate, so a machine that slows down mid-run skews both alike.
 */
function median(runs: readonly Measurement[]): Measurement {
  const sorted = [...runs].sort((a, b) => a.seconds - b.seconds);
  return { ...sorted[Math.floor(sorted.length / 2)], maxRssMiB: Math.max(...runs.map((m) => m.maxRssMiB)) };
}

async function main(): Promise<void> {
  const dir = mkdtempSync(path.join(tmpdir(), "bench-handler-"));
  try {
    const childFile = buildChild(dir);
    const bundle = bundleLambda({ outDir: path.join(dir, "lambda") });
    const bundleFile = path.join(bundle.dir, "index.js");

    console.log(`\nHandler throughput (${ORDERS.toLocaleString("en-US")} generated orders per format, 1-3 items each; node ${process.version}, median of ${RUNS} runs, each in its own child process; full/bare is the median over bare-then-full pairs; "body in memory" reads the file into memory before the clock starts)\n`);
    console.log("| format | file MiB | bare parser MiB/s | bare orders/s | full path MiB/s | full orders/s | full/bare | full/bare range | full, body in memory MiB/s | peak RSS bare MiB | peak RSS full MiB |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const format of BENCH_FORMATS) {
      const file = path.join(dir, `orders.${format}`);
      const orders = await writeGeneratedFile(file, format, { minOrders: ORDERS });
      const bares: Measurement[] = [];
      const fulls: Measurement[] = [];
      const memories: Measurement[] = [];
      for (let run = 0; run < RUNS; run++) {
        bares.push(await runChild(childFile, "bare", format, file));
        fulls.push(await runChild(childFile, "full", format, file));
        memories.push(await runChild(childFile, "memory", format, file));
      }
      const b = median(bares);
      const f = median(fulls);
      const m = median(memories);
      // Each bare run is paired with the full run right after it, so a slow spell of the machine
      // hits both sides of a ratio; the table shows the median ratio and the range over the pairs.
      const ratios = bares.map((bareRun, i) => bareRun.seconds / fulls[i].seconds).sort((x, y) => x - y);
      if (f.orders !== orders || m.orders !== orders) throw new Error(`${format}: expected ${orders} orders, the full path wrote ${f.orders} and ${m.orders}`);
      const mib = f.bytes / MIB;
      console.log(`| ${format} | ${fmt(mib)} | ${fmt(mib / b.seconds)} | ${Math.round(orders / b.seconds).toLocaleString("en-US")} | ${fmt(mib / f.seconds)} | ${Math.round(orders / f.seconds).toLocaleString("en-US")} | ${fmt(ratios[Math.floor(ratios.length / 2)] * 100, 0)}% | ${fmt(ratios[0] * 100, 0)}-${fmt(ratios[ratios.length - 1] * 100, 0)}% | ${fmt(mib / m.seconds)} | ${fmt(b.maxRssMiB, 0)} | ${fmt(f.maxRssMiB, 0)} |`);
      rmSync(file);
    }

    const big = path.join(dir, "big.csv");
    const bigOrders = await writeGeneratedFile(big, "csv", { minBytes: GIB });
    const g = await runChild(childFile, "full", "csv", big);
    rmSync(big);
    console.log(`\n1 GiB CSV, full path: ${fmt(g.bytes / MIB, 0)} MiB, ${bigOrders.toLocaleString("en-US")} orders, ${fmt(g.seconds)} s (${fmt(g.bytes / MIB / g.seconds)} MiB/s), peak RSS ${fmt(g.maxRssMiB, 0)} MiB (target < 256 MiB)`);
    console.log(`Bundle: ${statSync(bundleFile).size.toLocaleString("en-US")} bytes (.build/lambda/index.js as built by bundleLambda); cold module init (require in a fresh node, median of 7): ${fmt(coldInitMs(bundleFile))} ms\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
