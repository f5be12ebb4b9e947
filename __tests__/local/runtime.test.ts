import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { PassThrough } from "node:stream";
import { AsyncInvocations, type Invoker } from "../../local/async-invoke";
import type { FunctionPlan } from "../../local/provision";
import { type InvocationResult, LocalLambda } from "../../local/runtime";

/** A code directory holding `index.js` with this source. */
function codeDir(source: string): string {
  const dir = mkdtempSync(path.join(tmpdir(), "lambda-code-"));
  writeFileSync(path.join(dir, "index.js"), source);
  return dir;
}

function functionPlan(overrides: Partial<FunctionPlan>): FunctionPlan {
  return {
    address: "aws_lambda_function.processor",
    functionName: "order-pipeline-dev-processor",
    arn: "arn:aws:lambda:eu-west-1:000000000000:function:order-pipeline-dev-processor",
    handler: "index.handler",
    runtime: "nodejs22.x",
    codeDir: "",
    timeoutSeconds: 5,
    memoryMiB: 256,
    environment: { TABLE_NAME: "files" },
    maxRetryAttempts: 2,
    maxEventAgeSeconds: 21600,
    ...overrides,
  };
}

async function invokeOnce(fn: FunctionPlan, event: unknown = {}, log = new PassThrough()): Promise<InvocationResult> {
  const lambda = new LocalLambda({ fn, region: "eu-west-1", serviceEnv: { AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1" }, log });
  try {
    return await lambda.invoke(event);
  } finally {
    await lambda.stop();
  }
}

/** What the echo handler below returns. */
interface HandlerEcho {
  readonly event: unknown;
  readonly env: Record<string, string | undefined>;
  readonly remaining: number;
  readonly functionName: string;
  readonly memory: string;
  readonly requestId: string;
}

describe("LocalLambda", () => {
  it("runs the handler with exactly the synthesized environment plus Lambda's and the services' variables", async () => {
    const dir = codeDir(`exports.handler = async (event, context) => ({
      event, env: process.env, remaining: context.getRemainingTimeInMillis(),
      functionName: context.functionName, memory: context.memoryLimitInMB, requestId: context.awsRequestId });`);
    const result = await invokeOnce(functionPlan({ codeDir: dir }), { hello: "world" });
    expect(result.ok).toBe(true);
    const value = (result as { result: HandlerEcho }).result;
    expect(value.event).toEqual({ hello: "world" });
    expect(value.env).toMatchObject({
      TABLE_NAME: "files",
      AWS_ENDPOINT_URL_S3: "http://127.0.0.1:1",
      AWS_REGION: "eu-west-1",
      AWS_LAMBDA_FUNCTION_NAME: "order-pipeline-dev-processor",
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: "256",
      _HANDLER: "index.handler",
    });
    expect(value.env.PATH).toBeUndefined();
    expect(value.remaining).toBeGreaterThan(4000);
    expect(value.remaining).toBeLessThanOrEqual(5000);
    expect(value).toMatchObject({ functionName: "order-pipeline-dev-processor", memory: "256", requestId: result.requestId });
  });

  it("sends the function's stdout to the log stream, not to ours", async () => {
    const log = new PassThrough();
    const chunks: string[] = [];
    log.on("data", (c: Buffer) => chunks.push(c.toString()));
    const dir = codeDir(`exports.handler = async () => { console.log(JSON.stringify({ level: "INFO", message: "hi" })); };`);
    await invokeOnce(functionPlan({ codeDir: dir }), {}, log);
    await new Promise((resolve) => setImmediate(resolve));
    expect(chunks.join("")).toContain('"message":"hi"');
  });

  it("fails with Runtime.HandlerNotFound when the handler export does not exist", async () => {
    const result = await invokeOnce(functionPlan({ codeDir: codeDir("exports.main = async () => 1;") }));
    expect(result).toMatchObject({ ok: false, error: { errorType: "Runtime.HandlerNotFound", errorMessage: "index.handler is undefined or not exported" } });
  });

  it("fails with Runtime.ImportModuleError when the handler file does not exist", async () => {
    const result = await invokeOnce(functionPlan({ codeDir: codeDir(""), handler: "main.handler" }));
    expect(result).toMatchObject({ ok: false, error: { errorType: "Runtime.ImportModuleError" } });
  });

  it("fails the invocation when the module throws at init (a missing variable fails as on AWS)", async () => {
    const dir = codeDir(`if (!process.env.MISSING) throw new Error("Missing environment variable MISSING");\nexports.handler = async () => 1;`);
    const result = await invokeOnce(functionPlan({ codeDir: dir }));
    expect(result).toMatchObject({ ok: false, error: { errorType: "Error", errorMessage: "Missing environment variable MISSING" } });
  });

  it("fails with Runtime.OutOfMemory when the handler's heap outgrows the synthesized memory size", async () => {
    // About 570 MiB, then done: enough to fail at 128 MB, and harmless where nothing caps the heap.
    const dir = codeDir(`exports.handler = async () => { const kept = []; for (let i = 0; i < 75; i++) kept.push(new Array(1e6).fill(i)); return kept.length; };`);
    const result = await invokeOnce(functionPlan({ codeDir: dir, memoryMiB: 128, timeoutSeconds: 30 }));
    expect(result).toMatchObject({ ok: false, error: { errorType: "Runtime.OutOfMemory", errorMessage: "Runtime exited with error: heap exceeded 128 MB" } });
  }, 30_000);

  it("ends an invocation that outlives the synthesized timeout", async () => {
    const dir = codeDir(`exports.handler = () => new Promise(() => setInterval(() => {}, 1000));`);
    const result = await invokeOnce(functionPlan({ codeDir: dir, timeoutSeconds: 1 }));
    expect(result).toMatchObject({ ok: false, error: { errorType: "Sandbox.Timedout", errorMessage: "Task timed out after 1.00 seconds" } });
  });
});

describe("AsyncInvocations", () => {
  const failing = (errors: number): Invoker & { calls: number } => {
    const invoker = {
      calls: 0,
      async invoke(): Promise<InvocationResult> {
        invoker.calls += 1;
        return invoker.calls <= errors
          ? { ok: false, requestId: `r${invoker.calls}`, durationMs: 1, error: { errorType: "Error", errorMessage: `boom ${invoker.calls}` } }
          : { ok: true, requestId: `r${invoker.calls}`, durationMs: 1, result: null };
      },
    };
    return invoker;
  };

  it("retries a failed invocation and succeeds within the retry count", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "failed-")), "failed-events.ndjson");
    const invoker = failing(2);
    const invocations = new AsyncInvocations({ invoker, fn: functionPlan({}), failedEventsFile: file, retryBaseDelayMs: 1 });
    await expect(invocations.deliver({ Records: [] })).resolves.toEqual({ delivered: true, attempts: 3 });
  });

  /** An invoker that always fails, taking `ms` per attempt. */
  const slowlyFailing = (ms: number): Invoker => ({
    invoke: async () => {
      await new Promise((resolve) => setTimeout(resolve, ms));
      return { ok: false, requestId: "r", durationMs: ms, error: { errorType: "Error", errorMessage: "boom" } };
    },
  });

  it("gives up on an event older than the maximum event age, counted in seconds, as Lambda does", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "failed-"));
    const young = new AsyncInvocations({ invoker: slowlyFailing(40), fn: functionPlan({ maxRetryAttempts: 2, maxEventAgeSeconds: 60 }), failedEventsFile: path.join(dir, "young.ndjson"), retryBaseDelayMs: 1 });
    const old = new AsyncInvocations({ invoker: slowlyFailing(30), fn: functionPlan({ maxRetryAttempts: 2, maxEventAgeSeconds: 0.02 }), failedEventsFile: path.join(dir, "old.ndjson"), retryBaseDelayMs: 1 });
    expect(await young.deliver({ Records: [] })).toMatchObject({ delivered: false, attempts: 3, failure: { requestContext: { condition: "RetriesExhausted" } } });
    expect(await old.deliver({ Records: [] })).toMatchObject({ delivered: false, attempts: 1, failure: { requestContext: { condition: "EventAgeExceeded" } } });
  });

  it("appends each exhausted event to the on-failure file, losing none", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "failed-")), "failed-events.ndjson");
    const invocations = new AsyncInvocations({ invoker: failing(99), fn: functionPlan({ maxRetryAttempts: 0 }), failedEventsFile: file, retryBaseDelayMs: 1 });
    await invocations.deliver({ Records: [], n: 1 });
    await invocations.deliver({ Records: [], n: 2 });
    expect(readFileSync(file, "utf8").trim().split("\n").map((line) => (JSON.parse(line) as { requestPayload: { n: number } }).requestPayload.n)).toEqual([1, 2]);
  });

  it("writes the event and the last error to the on-failure file when retries are exhausted", async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), "failed-")), "failed-events.ndjson");
    const invoker = failing(99);
    const invocations = new AsyncInvocations({ invoker, fn: functionPlan({ maxRetryAttempts: 1 }), failedEventsFile: file, retryBaseDelayMs: 1 });
    const event = { Records: [{ s3: { object: { key: "incoming/a.csv" } } }] };
    const outcome = await invocations.deliver(event);
    expect(outcome).toMatchObject({ delivered: false, attempts: 2 });
    expect(invoker.calls).toBe(2);
    const [record] = readFileSync(file, "utf8").trim().split("\n").map((l) => JSON.parse(l));
    expect(record).toMatchObject({
      requestContext: { condition: "RetriesExhausted", approximateInvokeCount: 2, requestId: "r2" },
      requestPayload: event,
      responsePayload: { errorType: "Error", errorMessage: "boom 2" },
    });
    expect(new Date(record.timestamp).toISOString()).toBe(record.timestamp);
  });
});
