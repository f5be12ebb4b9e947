import { GetObjectCommand } from "@aws-sdk/client-s3";
import { existsSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { LOCAL_MAX_BASENAME_BYTES } from "../../local/args";
import { runCli, sampleFiles } from "../../local/cli";
import { contractProblems, devStackDir, type ExpectedRecord, startDevPipeline, stopPipeline, tempStateDir } from "../helpers/local-pipeline";
import type { LocalPipeline } from "../../local/pipeline";
import { orderFileText, someValidOrders } from "../helpers/local-orders";

/** What each file in samples/ must end as (see the comments in each sample and contracts.md). */
const EXPECTED: Readonly<Record<string, ExpectedRecord>> = {
  "orders.csv": { status: "SUCCEEDED", format: "csv", valid: 40, rejected: 0 },
  "orders.json": { status: "SUCCEEDED", format: "json", valid: 36, rejected: 0 },
  "orders.ndjson": { status: "SUCCEEDED", format: "ndjson", valid: 32, rejected: 0 },
  "orders.xml": { status: "SUCCEEDED", format: "xml", valid: 30, rejected: 0 },
  // 30 orders, 6 of them invalid (quantity 0, currency EURO, date 2025-13-45, price 12.345, empty customer, repeated id) + 1 line that is not JSON.
  "orders-bad-rows.ndjson": { status: "PARTIAL", format: "ndjson", valid: 24, rejected: 7 },
  // Fails midway: the orders parsed before the cut may be counted, but no output is written.
  "orders-truncated.json": { status: "FAILED", format: "json" },
  "orders-doctype.xml": { status: "FAILED", format: "xml", valid: 0 },
  "orders-missing-column.csv": { status: "FAILED", format: "csv", valid: 0 },
  "orders.txt": { status: "FAILED", format: "unknown", valid: 0 },
};

const SAMPLES = sampleFiles();
const BUCKET = "order-pipeline-dev-upload-local";

function captured() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const read = (s: PassThrough) => () => (s.read() as Buffer | null)?.toString() ?? "";
  return { io: { stdout, stderr }, out: read(stdout), err: read(stderr) };
}

/** Exact total of an output order in minor units, recomputed from its items. */
function cents(price: string): bigint {
  const [whole, fraction = ""] = price.split(".");
  return BigInt(whole) * 100n + BigInt(fraction.padEnd(2, "0"));
}

describe("npm run demo", () => {
  const stateDirs = [tempStateDir(), tempStateDir()];
  afterAll(() => stateDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("says only why when synth fails on a configuration mistake: the problem and its fix, no stack trace", async () => {
    const { io, err } = captured();
    const before = process.env.PIPELINE_DEV_MEMORY_MIB;
    process.env.PIPELINE_DEV_MEMORY_MIB = "64";
    try {
      expect(await runCli(["demo"], io, { stateDir: stateDirs[0] })).toBe(1);
    } finally {
      if (before === undefined) delete process.env.PIPELINE_DEV_MEMORY_MIB;
      else process.env.PIPELINE_DEV_MEMORY_MIB = before;
    }
    expect(err()).toBe(
      "synthesizing (npm run synth) ...\nerror: npm run synth failed, so there is no stack to run:\nInvalid pipeline configuration:\n  - PIPELINE_DEV_MEMORY_MIB (overriding stages.dev.memoryMiB): 64 is out of range; use a whole number from 128 to 10240 MiB\n",
    );
  });

  it("covers every sample file with an expectation", () => {
    expect(SAMPLES.map((f) => path.basename(f)).sort()).toEqual(Object.keys(EXPECTED).sort());
  });

  it("prints one contract-conforming metadata item per sample file, in order, as JSON", async () => {
    const { io, out, err } = captured();
    const code = await runCli(["demo", "--json", "--no-synth"], io, { stackDir: devStackDir(), stateDir: stateDirs[0], retryBaseDelayMs: 20 });
    expect({ code, err: code === 0 ? "" : err() }).toEqual({ code: 0, err: "" });
    const items = JSON.parse(out()) as Record<string, unknown>[];
    expect(items.map((i) => i?.FileName)).toEqual(SAMPLES.map((f) => `incoming/${path.basename(f)}`));
    const problems = SAMPLES.flatMap((file, i) => contractProblems(items[i], `incoming/${path.basename(file)}`, BUCKET, EXPECTED[path.basename(file)]));
    expect(problems).toEqual([]);
  });

  it("prints the table: one row per file with status, format, counts, output key and first error, then where the function log is from the user's directory", async () => {
    const { io, out } = captured();
    const userDir = path.join(stateDirs[1], "where-npm-was-run");
    const code = await runCli(["demo", "--no-synth"], io, { stackDir: devStackDir(), stateDir: stateDirs[1], retryBaseDelayMs: 20, cwd: userDir });
    expect(code).toBe(0);
    const lines = out().split("\n");
    expect(lines[lines.length - 2]).toMatch(/^9 file\(s\) in \d+\.\d s; function log: \.\.\/function\.log$/);
    expect(lines[0]).toMatch(/^FILE\s+STATUS\s+FORMAT\s+VALID\/REJECTED\s+DURATION\s+OUTPUT KEY\s+FIRST ERROR$/);
    for (const [name, expected] of Object.entries(EXPECTED)) {
      const row = lines.find((l) => l.startsWith(`${name} `));
      expect(row).toMatch(new RegExp(`^${name.replace(/\./g, "\\.")}\\s+${expected.status}\\s+${expected.format}\\s`));
    }
  });
});

describe("npm run local --keep while a second run starts", () => {
  const stateDir = tempStateDir();
  const filesDir = tempStateDir();
  afterAll(() => [stateDir, filesDir].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("refuses the second run with exit 2, and the kept session's output object survives it", async () => {
    // Prepare: a --keep session is running.
    const file = path.join(filesDir, "kept.csv");
    writeFileSync(file, orderFileText("csv", someValidOrders("K", 2)));
    const first = captured();
    let printed = "";
    first.io.stdout.on("data", (chunk: Buffer) => (printed += chunk.toString()));
    let stop = (): void => undefined;
    const shutdown = new Promise<void>((resolve) => (stop = resolve));
    const running = runCli(["local", "--keep", "--no-synth", file], first.io, { stackDir: devStackDir(), stateDir, retryBaseDelayMs: 20, shutdown });
    while (!printed.includes("Services are running")) await new Promise((resolve) => setTimeout(resolve, 50));

    // Act
    const second = captured();
    const code = await runCli(["local", "--no-synth", file], second.io, { stackDir: devStackDir(), stateDir, retryBaseDelayMs: 20 });

    // Assess
    expect(code).toBe(2);
    expect(second.err()).toContain(`another run (pid ${process.pid}) is using ${stateDir}`);
    expect(existsSync(path.join(stateDir, "s3", BUCKET, "processed", "kept.csv.ndjson._S3rver_object"))).toBe(true);
    stop();
    expect(await running).toBe(0);
    expect(existsSync(path.join(stateDir, ".lock"))).toBe(false);
  });
});

describe("npm run local --keep", () => {
  const stateDir = tempStateDir();
  const filesDir = tempStateDir();
  afterAll(() => [stateDir, filesDir].forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("prints a ready-to-paste command that reads the output object of a file it uploaded, quoted for the shell", async () => {
    // Prepare: the first file fails (no output), the second succeeds.
    const files = [path.join(filesDir, "notes.txt"), path.join(filesDir, "week 1.json")];
    writeFileSync(files[0], "not orders\n");
    writeFileSync(files[1], orderFileText("json", someValidOrders("W", 2)));
    const { io, out } = captured();

    // Act
    const code = await runCli(["local", "--keep", "--no-synth", ...files], io, { stackDir: devStackDir(), stateDir, retryBaseDelayMs: 20, shutdown: Promise.resolve() });

    // Assess
    expect(code).toBe(0);
    expect(out()).toMatch(new RegExp(` s3 cp 's3://${BUCKET}/processed/week 1\\.json\\.ndjson' -\n`));
  });
});

describe("the longest basename npm run local accepts", () => {
  let pipeline: LocalPipeline | undefined;
  afterAll(() => stopPipeline(pipeline));

  it("goes through the local S3 end to end at LOCAL_MAX_BASENAME_BYTES, and one byte more does not", async () => {
    // Prepare
    pipeline = await startDevPipeline();
    const body = orderFileText("csv", someValidOrders("L", 1));
    const longest = `incoming/${"a".repeat(LOCAL_MAX_BASENAME_BYTES - 4)}.csv`;
    const tooLong = `incoming/${"b".repeat(LOCAL_MAX_BASENAME_BYTES - 3)}.csv`;

    // Act
    await pipeline.put(longest, body);
    await pipeline.put(tooLong, body);
    await pipeline.idle();

    // Assess: the output object's file name is the one that no longer fits.
    expect(await pipeline.record(longest)).toMatchObject({ Status: "SUCCEEDED", OutputKey: `processed/${longest.slice("incoming/".length)}.ndjson` });
    expect(await pipeline.record(tooLong)).toMatchObject({ Status: "PROCESSING" });
  });
});

describe("the demo's output objects", () => {
  let pipeline: LocalPipeline | undefined;
  afterAll(() => stopPipeline(pipeline));

  it("hold one NDJSON line per valid order, with exact totals and the source line", async () => {
    pipeline = await startDevPipeline();
    const files = SAMPLES.filter((f) => /orders(-bad-rows)?\.(csv|ndjson)$/.test(f));
    await Promise.all(files.map((f) => pipeline!.uploadFile(f)));
    await pipeline.idle();
    for (const file of files) {
      const key = `incoming/${path.basename(file)}`;
      const item = await pipeline.record(key);
      const out = await pipeline.s3.send(new GetObjectCommand({ Bucket: pipeline.bucket, Key: String(item?.OutputKey) }));
      const orders = (await out.Body!.transformToString()).trim().split("\n").map((l) => JSON.parse(l));
      expect(orders).toHaveLength(Number(item?.OrdersValid));
      for (const order of orders) {
        const sum = order.items.reduce((acc: bigint, it: { quantity: number; unitPrice: string }) => acc + BigInt(it.quantity) * cents(it.unitPrice), 0n);
        expect(cents(order.total)).toBe(sum);
        expect(order.total).toMatch(/^\d+\.\d{2}$/);
        expect(order.orderDate).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/);
        expect(order.source).toEqual({ file: key, line: expect.any(Number) });
      }
    }
  });
});
