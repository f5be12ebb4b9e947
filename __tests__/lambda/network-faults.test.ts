import { LIMITS } from "../../lambda-src/limits";
import { faultOnce, type FaultyProxy, startProxiedPipeline } from "../helpers/faulty-proxy";
import { type CapturedOutput, captureStdout, eventFor, fakeContext, guardedReturnBy, type Handler, type PipelineEnv } from "../helpers/lambda-env";
import { csvText, testOrder } from "../helpers/lambda-orders";

// Faults a network makes, made for real: the bundled handler talks to local S3, DynamoDB and SNS
// through proxies that can leave a request unanswered or lose a reply after the service acted.
describe("the bundled handler when the network loses a reply or a request hangs", () => {
  let env: PipelineEnv;
  let handler: Handler;
  let stop: () => Promise<void>;
  let s3: FaultyProxy;
  let dynamo: FaultyProxy;
  let sns: FaultyProxy;
  let output: CapturedOutput;

  const messagesFor = (key: string) => env.sns.messages.filter((m) => (JSON.parse(m.message) as { FileName: string }).FileName === key);
  /** A context whose time runs out `budgetMs` after the timeout guard's reserve. */
  const contextWithBudget = (budgetMs: number) => {
    const deadline = Date.now() + LIMITS.timeoutReserveMs + budgetMs;
    return { context: fakeContext(() => deadline - Date.now()), deadline };
  };

  beforeAll(async () => {
    ({ env, handler, s3, dynamo, sns, stop } = await startProxiedPipeline());
  });
  beforeEach(() => {
    s3.rule = () => "pass";
    dynamo.rule = () => "pass";
    sns.rule = () => "pass";
    s3.log.length = 0;
    dynamo.log.length = 0;
    sns.log.length = 0;
    output = captureStdout();
  });
  afterEach(() => output.restore());
  afterAll(() => stop());

  it("counts a final write whose reply was lost as its own: the status is published and counted once", async () => {
    // Prepare: the SDK sends the lost write again, and the repeat fails its condition against the write itself.
    const key = "incoming/lost-final-reply.csv";
    const object = await env.upload(key, csvText([testOrder({ orderId: "L1" })]));
    dynamo.rule = faultOnce("lose-reply", (r) => r.operation === "UpdateItem");

    // Act
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(dynamo.log.filter((line) => line.endsWith("UpdateItem"))).toEqual(["lose-reply POST UpdateItem", "pass POST UpdateItem"]);
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", Attempts: 1, OrdersValid: 1 });
    expect(messagesFor(key).map((m) => m.attributes.Status)).toEqual(["SUCCEEDED"]);
    expect(output.json().find((r) => "_aws" in r)).toMatchObject({ FilesSucceeded: 1 });
  });

  it("counts a PROCESSING write whose reply was lost as its own: the file is processed as attempt 1", async () => {
    // Prepare
    const key = "incoming/lost-start-reply.csv";
    const object = await env.upload(key, csvText([testOrder({ orderId: "S1" })]));
    dynamo.rule = faultOnce("lose-reply", (r) => r.operation === "PutItem");

    // Act
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(dynamo.log.filter((line) => line.endsWith("PutItem"))).toEqual(["lose-reply POST PutItem", "pass POST PutItem"]);
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", Attempts: 1 });
  });

  it("replaces a new version's output without deleting the old one first, so no delete that reaches S3 late can remove the new output", async () => {
    // Prepare: version 1 succeeded; a first delete would reach S3 only 3 s after it was sent, past the SDK's 2 s deadline.
    const key = "incoming/replaced.csv";
    const outputKey = "processed/replaced.csv.ndjson";
    await handler(eventFor(await env.upload(key, csvText([testOrder({ orderId: "V1" })]))), fakeContext());
    const second = await env.upload(key, csvText([testOrder({ orderId: "V2" })]));
    s3.lateMs = 3_000;
    s3.rule = faultOnce("land-late", (r) => r.method === "DELETE");

    // Act
    await handler(eventFor(second), fakeContext());
    // A delete sent now would land after the new output: wait for it, if there is one.
    if (s3.log.some((line) => line.includes("DELETE"))) await new Promise((resolve) => setTimeout(resolve, s3.lateMs + 500));

    // Assess
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", Attempts: 1, Sequencer: second.sequencer, OutputKey: outputKey });
    expect(await env.text(outputKey)).toContain('"orderId":"V2"');
    expect(s3.log.filter((line) => line.includes("DELETE"))).toEqual([]);
  }, 20_000);

  it("cuts off a read that S3 never answers at the guard and leaves the file to Lambda's retry, within the reserve", async () => {
    // Prepare
    const key = "incoming/hanging-read.csv";
    const object = await env.upload(key, csvText([testOrder({ orderId: "R1" })]));
    s3.rule = faultOnce("hang", (r) => r.method === "GET" && r.path.includes("hanging-read.csv"));
    const { context, deadline } = contextWithBudget(300);

    // Act
    const act = handler(eventFor(object), context);

    // Assess: S3's silence is no fault of the file's, so the item stays PROCESSING for the retry.
    await expect(act).rejects.toThrow(/^Reading "incoming\/hanging-read\.csv" got no answer from S3 within 0\.\d s; Lambda retries the event\.$/);
    expect(Date.now()).toBeLessThan(guardedReturnBy(deadline));
    expect(await env.item(key)).toMatchObject({ Status: "PROCESSING", Attempts: 1 });

    // The retry reads the file and finishes it as attempt 2.
    await handler(eventFor(object), fakeContext());
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", Attempts: 2 });
  });

  it("stops waiting for an output upload that hangs and leaves the file to Lambda's retry, within the reserve", async () => {
    // Prepare: the output PUT hangs; a request that may still land later must not contradict a recorded outcome.
    const key = "incoming/hanging-output.csv";
    const object = await env.upload(key, csvText([testOrder({ orderId: "W1" })]));
    s3.rule = faultOnce("hang", (r) => r.method === "PUT" && r.path.includes("/processed/hanging-output.csv.ndjson"));
    const { context, deadline } = contextWithBudget(300);

    // Act
    const act = handler(eventFor(object), context);

    // Assess
    await expect(act).rejects.toThrow(`Writing the output of "${key}" got no answer from S3 within ${(LIMITS.abandonWaitMs / 1000).toFixed(1)} s; Lambda retries the event.`);
    expect(Date.now()).toBeLessThan(guardedReturnBy(deadline));
    expect(await env.item(key)).toMatchObject({ Status: "PROCESSING", Attempts: 1 });
    expect(messagesFor(key)).toHaveLength(0);
  });

  it("sends a final write again when DynamoDB leaves it unanswered for 2 s, so the file still ends well inside the reserve", async () => {
    // Prepare: the reserve must hold the final write and the publish after the guard, so no request may wait longer than a part of it.
    const key = "incoming/unanswered-final.csv";
    const object = await env.upload(key, csvText([testOrder({ orderId: "D1" })]));
    dynamo.rule = faultOnce("hang", (r) => r.operation === "UpdateItem");
    const started = Date.now();

    // Act
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(Date.now() - started).toBeLessThan(LIMITS.timeoutReserveMs / 2);
    expect(dynamo.log.filter((line) => line.endsWith("UpdateItem"))).toEqual(["hang POST UpdateItem", "pass POST UpdateItem"]);
    expect(await env.item(key)).toMatchObject({ Status: "SUCCEEDED", Attempts: 1 });
    expect(messagesFor(key).map((m) => m.attributes.Status)).toEqual(["SUCCEEDED"]);
  });

  it("sends a status message again when SNS leaves it unanswered for 2 s, so the file still ends well inside the reserve", async () => {
    // Prepare
    const key = "incoming/unanswered-publish.csv";
    const object = await env.upload(key, csvText([testOrder({ orderId: "N1" })]));
    sns.rule = faultOnce("hang", () => true);
    const started = Date.now();

    // Act
    await handler(eventFor(object), fakeContext());

    // Assess
    expect(Date.now() - started).toBeLessThan(LIMITS.timeoutReserveMs / 2);
    expect(sns.log.map((line) => line.split(" ")[0])).toEqual(["hang", "pass"]);
    expect(messagesFor(key).map((m) => m.attributes.Status)).toEqual(["SUCCEEDED"]);
  });

  it("sends the delete of a failed new version's old output again when S3 leaves it unanswered for 2 s, so the file still ends well inside the reserve", async () => {
    // Prepare: version 1 succeeded with its output; version 2 fails, and the first try of the delete gets no answer.
    const key = "incoming/unanswered-delete.csv";
    const outputKey = "processed/unanswered-delete.csv.ndjson";
    await handler(eventFor(await env.upload(key, csvText([testOrder({ orderId: "E1" })]))), fakeContext());
    const failing = await env.upload(key, "order_id\nE2\n");
    s3.rule = faultOnce("hang", (r) => r.method === "DELETE");
    const started = Date.now();

    // Act
    await handler(eventFor(failing), fakeContext());

    // Assess
    expect(Date.now() - started).toBeLessThan(LIMITS.timeoutReserveMs / 2);
    expect(s3.log.filter((line) => line.includes("DELETE")).map((line) => line.split(" ")[0])).toEqual(["hang", "pass"]);
    expect(await env.item(key)).toMatchObject({ Status: "FAILED", Sequencer: failing.sequencer });
    expect(await env.exists(outputKey)).toBe(false);
    expect(messagesFor(key).map((m) => m.attributes.Status)).toEqual(["SUCCEEDED", "FAILED"]);
  });
});
