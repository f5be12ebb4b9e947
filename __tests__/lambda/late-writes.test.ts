import { faultOnce, type FaultyProxy, startProxiedPipeline } from "../helpers/faulty-proxy";
import { type CapturedOutput, captureStdout, eventFor, fakeContext, type Handler, type PipelineEnv } from "../helpers/lambda-env";
import { csvText, testOrder } from "../helpers/lambda-orders";

// A write can reach DynamoDB after the client gave up on it: the request was slow, not lost. The
// bundled handler talks to local S3 and DynamoDB through proxies that deliver such a request late.
// The SDK makes one attempt per request here (AWS_MAX_ATTEMPTS=1), so the late request is the
// last one, as it would be after every retry timed out, without waiting out every retry.
describe("the bundled handler when its final write lands after it gave up", () => {
  let stop: () => Promise<void>;
  let env: PipelineEnv;
  let handler: Handler;
  let dynamo: FaultyProxy;
  let output: CapturedOutput;

  beforeAll(async () => {
    ({ env, handler, dynamo, stop } = await startProxiedPipeline({ AWS_MAX_ATTEMPTS: "1" }));
  });
  beforeEach(() => {
    output = captureStdout();
  });
  afterEach(() => output.restore());
  afterAll(() => stop());

  it("keeps the output of a file whose SUCCEEDED lands late, so the item never says SUCCEEDED with no output behind it", async () => {
    // Prepare: the final UpdateItem reaches DynamoDB 1 s after the client's 2 s deadline.
    const key = "incoming/late-final.csv";
    const outputKey = "processed/late-final.csv.ndjson";
    const object = await env.upload(key, csvText([testOrder({ orderId: "F1" })]));
    dynamo.lateMs = 3_000;
    dynamo.rule = faultOnce("land-late", (r) => r.operation === "UpdateItem");

    // Act: the invocation fails on the timeout; the write then lands; Lambda retries the event.
    await expect(handler(eventFor(object), fakeContext())).rejects.toThrow(/timed? ?out/i);
    const afterFailure = await env.exists(outputKey);
    while (!dynamo.log.includes("landed POST UpdateItem")) await new Promise((resolve) => setTimeout(resolve, 50));
    const landed = await env.item(key);
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(afterFailure).toBe(true);
    expect(landed).toMatchObject({ Status: "SUCCEEDED", Attempts: 1, OutputKey: outputKey });
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", Attempts: 1, OutputKey: outputKey });
    expect(await env.text(outputKey)).toContain('"orderId":"F1"');
    // The retry found the write landed and only published again.
    expect(dynamo.log.filter((line) => line.endsWith("UpdateItem"))).toEqual(["land-late POST UpdateItem", "landed POST UpdateItem"]);
  }, 20_000);
});
