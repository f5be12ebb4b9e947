import { mkdtempSync, rmSync } from "node:fs";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { type CapturedOutput, captureStdout, eventFor, fakeContext, type Handler, loadBundledHandler, type PipelineEnv, startPipelineEnv } from "../helpers/lambda-env";
import { writeGeneratedFile } from "../helpers/lambda-orders";

const FILE_BYTES = 50 * 1024 * 1024;
// Whole-file buffering would hold the 50 MiB text, its parsed orders and the 80+ MiB output at
// once (hundreds of MiB); streaming holds a few chunks, the upload's part buffers and the ids.
const MAX_GROWTH_BYTES = 96 * 1024 * 1024;

/** A full garbage collection, so samples count live memory rather than garbage not yet collected. */
function collectGarbage(): void {
  setFlagsFromString("--expose_gc");
  (runInNewContext("gc") as () => void)();
}

describe("memory while processing a 50 MB file", () => {
  let env: PipelineEnv;
  let handler: Handler;
  let cleanup: () => void;
  let output: CapturedOutput;
  let dir: string;

  beforeAll(async () => {
    env = await startPipelineEnv();
    ({ handler, cleanup } = loadBundledHandler());
    dir = mkdtempSync(path.join(tmpdir(), "lambda-50mb-"));
  });
  afterAll(async () => {
    await env.stop();
    cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  it("streams a 50 MB CSV to its output with bounded live heap and buffer growth", async () => {
    // Prepare
    const file = path.join(dir, "big.csv");
    const orders = await writeGeneratedFile(file, "csv", { minBytes: FILE_BYTES });
    const object = await env.upload("incoming/big/orders.csv", { file });
    const used = (): number => {
      collectGarbage();
      const m = process.memoryUsage();
      return m.heapUsed + m.arrayBuffers;
    };
    const baseline = used();
    let peak = baseline;
    let samples = 0;
    const sampler = setInterval(() => {
      peak = Math.max(peak, used());
      samples++;
    }, 500);
    output = captureStdout();

    // Act
    try {
      await handler(eventFor(object), fakeContext());
    } finally {
      clearInterval(sampler);
      output.restore();
    }

    // Assess
    const item = await env.item("incoming/big/orders.csv");
    expect(item).toMatchObject({ Status: "SUCCEEDED", OrdersValid: orders, OrdersRejected: 0 });
    console.info(`50 MB CSV: ${orders} orders, live memory grew by at most ${Math.round((peak - baseline) / 2 ** 20)} MiB over ${samples} samples`);
    expect(samples).toBeGreaterThan(3);
    expect(peak - baseline).toBeLessThan(MAX_GROWTH_BYTES);
  }, 60_000);
});
