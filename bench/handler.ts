/**
 * Handler benchmark (issue 3): per format, on a generated file of >= 100,000 orders, the full
 * path (decode, parse, validate, normalize, serialize to NDJSON) next to the bare parser on the
 * same file, in the same run, each in its own child process so peak RSS is its own; then a 1 GiB
 * CSV through the full path for peak RSS; then the bundle's size and cold module init time.
 * The measured code is an esbuild bundle built like the function's, so it runs what ships.
 *
 *   node --require tsx/cjs bench/handler.ts
 */
import { buildSync } from "esbuild";
import { execFileSync } from "node:child_process";
import { once } from "node:events";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { createInterface } from "node:readline";
import { Writable } from "node:stream";
import { type GeneratedFormat, writeGeneratedFile } from "../__tests__/helpers/lambda-orders";
import { BUNDLE_SETTINGS, bundleLambda } from "../stacks/lambda-bundle";

const ROOT = path.resolve(__dirname, "..");
const FORMATS: readonly GeneratedFormat[] = ["csv", "json", "ndjson", "xml"];
const ORDERS = Number(process.env.BENCH_ORDERS ?? 200_000);
/** Repetitions per format and mode; the table shows medians. */
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const GIB = 1024 ** 3;
const MIB = 1024 ** 2;

interface Measurement {
  readonly seconds: number;
  readonly orders: number;
  readonly bytes: number;
  readonly maxRssMiB: number;
}

/** The code under test, bundled the way `stacks/lambda-bundle.ts` bundles the function. */
interface Kernel {
  processOrders: typeof import("../lambda-src/pipeline").processOrders;
  OrderTally: typeof import("../lambda-src/tally").OrderTally;
  CsvRowReader: typeof import("../lambda-src/parsers/csv").CsvRowReader;
  JSONParser: typeof import("@streamparser/json").JSONParser;
  SaxesParser: typeof import("saxes").SaxesParser;
}

function buildKernel(dir: string): string {
  const outfile = path.join(dir, "kernel.js");
  buildSync({
    stdin: {
      contents: [
        'export { processOrders } from "./lambda-src/pipeline";',
        'export { OrderTally } from "./lambda-src/tally";',
        'export { CsvRowReader } from "./lambda-src/parsers/csv";',
        'export { JSONParser } from "@streamparser/json";',
        'export { SaxesParser } from "saxes";',
      ].join("\n"),
      resolveDir: ROOT,
      loader: "ts",
    },
    outfile,
    ...BUNDLE_SETTINGS,
  });
  return outfile;
}

async function bare(kernel: Kernel, format: GeneratedFormat, file: string): Promise<number> {
  const text = () => createReadStream(file, { encoding: "utf8", highWaterMark: 64 * 1024 });
  let count = 0;
  if (format === "csv") {
    const reader = new kernel.CsvRowReader("\n");
    for await (const chunk of text()) count += reader.rows(chunk as string).length;
    return count + reader.end().length; // rows, not orders: orders/s below uses the file's order count
  }
  if (format === "ndjson") {
    for await (const line of createInterface({ input: text(), crlfDelay: Infinity })) if (line.length > 0 && JSON.parse(line)) count++;
    return count;
  }
  if (format === "json") {
    const parser = new kernel.JSONParser({ paths: ["$.*"], keepStack: false });
    parser.onValue = () => void count++;
    for await (const chunk of text()) parser.write(chunk as string);
    return count;
  }
  // Handlers for text and close tags too: saxes slices element text only for a text handler, and
  // reading orders needs the text, as bare CSV needs whole rows and bare JSON whole values.
  const parser = new kernel.SaxesParser({ position: true });
  let textChars = 0;
  parser.on("opentag", (tag) => {
    if (tag.name === "order") count++;
  });
  parser.on("text", (text) => void (textChars += text.length));
  parser.on("closetag", () => undefined);
  for await (const chunk of text()) parser.write(chunk as string);
  parser.close();
  if (textChars === 0) throw new Error("the XML file held no element text");
  return count;
}

async function full(kernel: Kernel, format: GeneratedFormat, file: string): Promise<number> {
  const tally = new kernel.OrderTally();
  const devNull = new Writable({ write: (_chunk, _encoding, done) => done() });
  await kernel.processOrders({
    body: createReadStream(file, { highWaterMark: 64 * 1024 }),
    format,
    fileName: `incoming/${path.basename(file)}`,
    maxBytes: 8 * GIB,
    tally,
    sink: { write: async (ndjson) => void (devNull.write(ndjson) || (await once(devNull, "drain"))) },
  });
  if (tally.rejected > 0) throw new Error(`${tally.rejected} generated orders were rejected: ${JSON.stringify(tally.errors.slice(0, 3))}`);
  return tally.valid;
}

async function child(mode: string, format: GeneratedFormat, file: string, kernelFile: string): Promise<void> {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const kernel = require(kernelFile) as Kernel;
  const started = process.hrtime.bigint();
  const orders = mode === "bare" ? await bare(kernel, format, file) : await full(kernel, format, file);
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const result: Measurement = { seconds, orders, bytes: statSync(file).size, maxRssMiB: process.resourceUsage().maxRSS / 1024 };
  process.stdout.write(JSON.stringify(result));
}

function measure(mode: "bare" | "full", format: GeneratedFormat, file: string, kernelFile: string): Measurement {
  const out = execFileSync(process.execPath, ["--require", "tsx/cjs", __filename, "--child", mode, format, file, kernelFile], { cwd: ROOT, encoding: "utf8", maxBuffer: 1 << 20 });
  return JSON.parse(out) as Measurement;
}

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
    const kernelFile = buildKernel(dir);
    const bundle = bundleLambda({ outDir: path.join(dir, "lambda") });
    const bundleFile = path.join(bundle.dir, "index.js");

    console.log(`\nHandler throughput (${ORDERS.toLocaleString("en-US")} generated orders per format, 1-3 items each; node ${process.version}, median of ${RUNS} runs, each in its own child process; full/bare is the median over bare-then-full pairs)\n`);
    console.log("| format | file MiB | bare parser MiB/s | bare orders/s | full path MiB/s | full orders/s | full/bare | full/bare range | peak RSS bare MiB | peak RSS full MiB |");
    console.log("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
    for (const format of FORMATS) {
      const file = path.join(dir, `orders.${format}`);
      const orders = await writeGeneratedFile(file, format, { minOrders: ORDERS });
      const bares: Measurement[] = [];
      const fulls: Measurement[] = [];
      for (let run = 0; run < RUNS; run++) {
        bares.push(measure("bare", format, file, kernelFile));
        fulls.push(measure("full", format, file, kernelFile));
      }
      const b = median(bares);
      const f = median(fulls);
      // Each bare run is paired with the full run right after it, so a slow spell of the machine
      // hits both sides of a ratio; the table shows the median ratio and the range over the pairs.
      const ratios = bares.map((bareRun, i) => bareRun.seconds / fulls[i].seconds).sort((x, y) => x - y);
      if (f.orders !== orders) throw new Error(`${format}: expected ${orders} orders, the full path wrote ${f.orders}`);
      const mib = f.bytes / MIB;
      console.log(`| ${format} | ${fmt(mib)} | ${fmt(mib / b.seconds)} | ${Math.round(orders / b.seconds).toLocaleString("en-US")} | ${fmt(mib / f.seconds)} | ${Math.round(orders / f.seconds).toLocaleString("en-US")} | ${fmt(ratios[Math.floor(ratios.length / 2)] * 100, 0)}% | ${fmt(ratios[0] * 100, 0)}-${fmt(ratios[ratios.length - 1] * 100, 0)}% | ${fmt(b.maxRssMiB, 0)} | ${fmt(f.maxRssMiB, 0)} |`);
      rmSync(file);
    }

    const big = path.join(dir, "big.csv");
    const bigOrders = await writeGeneratedFile(big, "csv", { minBytes: GIB });
    const g = measure("full", "csv", big, kernelFile);
    rmSync(big);
    console.log(`\n1 GiB CSV, full path: ${fmt(g.bytes / MIB, 0)} MiB, ${bigOrders.toLocaleString("en-US")} orders, ${fmt(g.seconds)} s (${fmt(g.bytes / MIB / g.seconds)} MiB/s), peak RSS ${fmt(g.maxRssMiB, 0)} MiB (target < 256 MiB)`);
    console.log(`Bundle: ${statSync(bundleFile).size.toLocaleString("en-US")} bytes (.build/lambda/index.js as built by bundleLambda); cold module init (require in a fresh node, median of 7): ${fmt(coldInitMs(bundleFile))} ms\n`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[2] === "--child") {
  child(process.argv[3], process.argv[4] as GeneratedFormat, process.argv[5], process.argv[6]).catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
} else {
  main().catch((error: unknown) => {
    console.error(error);
    process.exit(1);
  });
}
