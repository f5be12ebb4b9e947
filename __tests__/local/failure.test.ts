import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { runCli } from "../../local/cli";
import type { LocalPipeline } from "../../local/pipeline";
import { devStackDir, startDevPipeline, stopPipeline, tempStateDir } from "../helpers/local-pipeline";
import { orderFileText, someValidOrders } from "../helpers/local-orders";

describe("DynamoDB unavailable mid-run", () => {
  let pipeline: LocalPipeline;
  beforeAll(async () => {
    // DynamoDB on disk, so stopping and starting it keeps the table, as the real service would.
    pipeline = await startDevPipeline({ persistDynamo: true });
  });
  afterAll(() => stopPipeline(pipeline));

  it("retries the failing invocation, sends it to the on-failure file, and a replay after restart completes the record", async () => {
    // Prepare: one file goes through while DynamoDB is up.
    await pipeline.put("incoming/before.csv", orderFileText("csv", someValidOrders("OK", 2)));
    await pipeline.idle();
    expect(await pipeline.record("incoming/before.csv")).toMatchObject({ Status: "SUCCEEDED" });

    // Act: DynamoDB goes away, a file arrives.
    await pipeline.services.stopDynamo();
    const write = await pipeline.put("incoming/during outage.json", orderFileText("json", someValidOrders("OUT", 3)));
    await pipeline.idle();

    // Assess: thrown, retried up to the synthesized count, then on the on-failure file with the error.
    const failed = pipeline.failedEvents();
    expect(failed).toHaveLength(1);
    expect(failed[0]).toMatchObject({
      requestContext: { condition: "RetriesExhausted", approximateInvokeCount: pipeline.plan.function.maxRetryAttempts + 1 },
      requestPayload: write.event,
      responsePayload: { errorType: expect.any(String), errorMessage: expect.any(String) },
    });

    // Act: DynamoDB is back; the on-failure file is replayed.
    await pipeline.services.startDynamo();
    const replay = await pipeline.replayFailed();

    // Assess
    expect(replay.keys).toEqual(["incoming/during outage.json"]);
    expect(replay.outcomes).toEqual([{ delivered: true, attempts: 1 }]);
    expect(pipeline.failedEvents()).toEqual([]);
    expect(await pipeline.record("incoming/during outage.json")).toMatchObject({
      Status: "SUCCEEDED",
      OrdersValid: 3,
      VersionId: write.versionId,
      Sequencer: write.sequencer,
    });
    expect(await pipeline.record("incoming/before.csv")).toMatchObject({ Status: "SUCCEEDED" });
  }, 30_000);
});

/**
 * A copy of the synthesized dev stack whose function's environment `breakIt` changes, with a
 * fresh state directory and a directory for the files; all three go into `dirs` for removal.
 */
function brokenStack(dirs: string[], breakIt: (variables: Record<string, string>) => void): { stackDir: string; stateDir: string; filesDir: string } {
  const stackDir = path.join(mkdtempSync(path.join(tmpdir(), "broken-stack-")), "pipeline-dev");
  const stateDir = tempStateDir();
  const filesDir = mkdtempSync(path.join(tmpdir(), "broken-files-"));
  dirs.push(path.dirname(stackDir), stateDir, filesDir);
  cpSync(devStackDir(), stackDir, { recursive: true });
  const stackFile = path.join(stackDir, "cdk.tf.json");
  const stack = JSON.parse(readFileSync(stackFile, "utf8"));
  breakIt(stack.resource.aws_lambda_function.processor.environment.variables);
  writeFileSync(stackFile, JSON.stringify(stack));
  return { stackDir, stateDir, filesDir };
}

describe("npm run local when the function fails for good", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("exits 1, keeps every failed event in the on-failure file, and says which files got no record", async () => {
    // Prepare: the dev stack with its function pointed at a table that does not exist, so every invocation throws.
    const { stackDir, stateDir, filesDir } = brokenStack(dirs, (variables) => {
      variables.TABLE_NAME = "no-such-table";
    });
    const files = ["a.csv", "b.json"].map((name) => {
      const file = path.join(filesDir, name);
      writeFileSync(file, orderFileText(name.endsWith(".csv") ? "csv" : "json", someValidOrders(name[0].toUpperCase(), 1)));
      return file;
    });
    const stderr = new PassThrough();

    // Act
    const code = await runCli(["local", "--no-synth", ...files], { stdout: new PassThrough(), stderr }, { stackDir, stateDir, retryBaseDelayMs: 1 });

    // Assess: both events are on the on-failure file, neither overwrote the other.
    expect(code).toBe(1);
    const failed = readFileSync(path.join(stateDir, "failed-events.ndjson"), "utf8").trim().split("\n").map((line) => JSON.parse(line) as { requestPayload: { Records: { s3: { object: { key: string } } }[] } });
    expect(failed.map((record) => record.requestPayload.Records[0].s3.object.key).sort()).toEqual(["incoming/a.csv", "incoming/b.json"]);
    expect(String(stderr.read())).toContain("2 file(s) got no final metadata record; their events are in ");
  }, 30_000);
});

describe("npm run local when the function fails for good after recording PROCESSING", () => {
  const dirs: string[] = [];
  afterAll(() => dirs.forEach((dir) => rmSync(dir, { recursive: true, force: true })));

  it("exits 1 and shows the on-failure error as the file's first error", async () => {
    // Prepare: the output prefix names a directory too long for s3rver, so every output write fails after the PROCESSING item.
    const { stackDir, stateDir, filesDir } = brokenStack(dirs, (variables) => {
      variables.OUTPUT_PREFIX = `processed/${"x".repeat(256)}/`;
    });
    const file = path.join(filesDir, "a.csv");
    writeFileSync(file, orderFileText("csv", someValidOrders("A", 1)));
    const stdout = new PassThrough();
    const stderr = new PassThrough();

    // Act
    const code = await runCli(["local", "--no-synth", file], { stdout, stderr }, { stackDir, stateDir, retryBaseDelayMs: 1 });

    // Assess
    expect(code).toBe(1);
    const row = String(stdout.read()).split("\n")[1];
    expect(row).toMatch(/^a\.csv\s+PROCESSING\s.*\s{2}InternalError: We encountered an internal error\. Please try again\.$/);
    expect(String(stderr.read())).toContain("1 file(s) got no final metadata record; their events are in ");
  }, 30_000);
});
