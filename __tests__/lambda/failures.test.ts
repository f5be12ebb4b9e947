import { ConditionalCheckFailedException, ProvisionedThroughputExceededException } from "@aws-sdk/client-dynamodb";
import {
  AbortMultipartUploadCommand,
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  DeleteObjectCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
  UploadPartCommand,
} from "@aws-sdk/client-s3";
import { PublishCommand, SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient, GetCommand, PutCommand, UpdateCommand } from "@aws-sdk/lib-dynamodb";
import { mockClient } from "aws-sdk-client-mock";
import { Readable } from "node:stream";
import { LIMITS } from "../../lambda-src/limits";
import { s3Event, SequencerClock } from "../../local/s3-event";
import { type CapturedOutput, captureStdout, fakeContext, functionEnv, guardedReturnBy, type Handler, TEST_BUCKET } from "../helpers/lambda-env";
import { csvText, generatedOrder, testOrder } from "../helpers/lambda-orders";

// Failures a real local server can't produce on demand (throttling, 5xx, a slow body, a failing
// publish), injected into the source modules' SDK clients with aws-sdk-client-mock.
const TOPIC = "arn:aws:sns:us-east-1:000000000000:order-status";
Object.assign(process.env, functionEnv(TOPIC), { AWS_REGION: "us-east-1", AWS_ACCESS_KEY_ID: "test", AWS_SECRET_ACCESS_KEY: "test" });

const s3 = mockClient(S3Client);
const dynamo = mockClient(DynamoDBDocumentClient);
const sns = mockClient(SNSClient);
const clock = new SequencerClock();
const CSV = csvText([testOrder()]);

function throttled(): ProvisionedThroughputExceededException {
  return new ProvisionedThroughputExceededException({ message: "Rate of requests exceeds the allowed throughput.", $metadata: { httpStatusCode: 400 } });
}

/** What DynamoDB answers a conditional write whose condition no longer holds. */
function conditionFailed(): ConditionalCheckFailedException {
  return new ConditionalCheckFailedException({ message: "The conditional request failed", $metadata: { httpStatusCode: 400 } });
}

function eventOf(key = "incoming/orders.csv", sequencer = clock.next()) {
  return s3Event({ bucket: TEST_BUCKET, key, size: Buffer.byteLength(CSV), eTag: "etag", sequencer });
}

function bodyOf(text: string): { Body: never } {
  return { Body: Readable.from([Buffer.from(text)]) as never };
}

function slowDown(): S3ServiceException {
  return new S3ServiceException({ name: "SlowDown", $fault: "server", $metadata: { httpStatusCode: 503 }, message: "Please reduce your request rate." });
}

let bigCsv: string | undefined;
/** Orders whose NDJSON is over 5 MiB, so the output goes multipart. Built once: a build takes about half a second. */
function csvOverFiveMiB(): string {
  bigCsv ??= csvText(Array.from({ length: 60_000 }, (_, i) => generatedOrder(i)));
  return bigCsv;
}

/** A last line whose quote never closes: the file fails at its end, after its orders were written. */
const UNCLOSED_AT_END = 'X1,C1,2025-07-10,EUR,"S2,1,1.00\nand on\n';

/** DynamoDB answering final writes as the real table would: the item, with the status written. */
function finalWritesAnswered(fileName = "incoming/orders.csv"): void {
  dynamo.on(UpdateCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({ Attributes: { FileName: fileName, Status: input.ExpressionAttributeValues[":newStatus"], Format: "csv", Sequencer: "1", Attempts: 1 } }));
}

/** A new file read whole from S3 into a multipart output; its parts are the test's to answer. */
function multipartFile(body: string): void {
  dynamo.on(GetCommand).resolves({});
  dynamo.on(PutCommand).resolves({});
  s3.on(GetObjectCommand).callsFake(() => bodyOf(body));
  s3.on(CreateMultipartUploadCommand).resolves({ UploadId: "upload-1" });
  s3.on(AbortMultipartUploadCommand).resolves({});
}

describe("the handler under transient failures and the timeout guard", () => {
  let handler: Handler;
  let output: CapturedOutput;

  beforeAll(() => {
    // Loaded after the environment is set: configuration is read once, at load.
    handler = (require("../../lambda-src/index") as { handler: Handler }).handler;
  });
  beforeEach(() => {
    s3.reset();
    dynamo.reset();
    sns.reset();
    output = captureStdout();
  });
  afterEach(() => output.restore());

  it("throws when DynamoDB throttles the PROCESSING write, before reading the object", async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).rejects(throttled());

    // Act
    const act = handler(eventOf(), fakeContext());

    // Assess
    await expect(act).rejects.toThrow(ProvisionedThroughputExceededException);
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it("names each record's key when several fail transiently, so the on-failure record tells them apart", async () => {
    // Prepare: two records of one event, both throttled at their PROCESSING write.
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).rejects(throttled());
    const first = eventOf("incoming/a+1.csv");
    const event = { Records: [...first.Records, ...eventOf("incoming/b.csv").Records] };

    // Act
    const act = handler(event, fakeContext());

    // Assess
    await expect(act).rejects.toThrow(
      /^2 record\(s\) failed with transient errors; Lambda retries the event: "incoming\/a\+1\.csv": ProvisionedThroughputExceededException: .+; "incoming\/b\.csv": ProvisionedThroughputExceededException: /,
    );
  });

  /** DynamoDB keeping the PROCESSING item the handler puts, as the real table would. */
  function tableKeepingPuts(): void {
    let stored: Record<string, unknown> | undefined;
    dynamo.on(GetCommand).callsFake(() => (stored === undefined ? {} : { Item: stored }));
    dynamo.on(PutCommand).callsFake((input: { Item: Record<string, unknown> }) => {
      stored = input.Item;
      return {};
    });
  }

  it("throws when the final write is throttled, keeps the output, and the retry processes the file again as attempt 2", async () => {
    // Prepare
    const event = eventOf();
    tableKeepingPuts();
    dynamo.on(UpdateCommand).rejects(throttled());
    s3.on(GetObjectCommand).callsFake(() => bodyOf(CSV));
    s3.on(PutObjectCommand).resolves({ ETag: '"out"' });

    // Act
    await expect(handler(event, fakeContext())).rejects.toThrow(ProvisionedThroughputExceededException);
    const removedBeforeRetry = s3.commandCalls(DeleteObjectCommand).length;
    const processing = dynamo.commandCalls(PutCommand)[0].args[0].input.Item as Record<string, unknown>;
    dynamo.on(GetCommand).resolves({ Item: processing });
    dynamo.on(UpdateCommand).callsFake((input: { ExpressionAttributeValues: Record<string, unknown> }) => ({ Attributes: { ...processing, Status: input.ExpressionAttributeValues[":newStatus"], Attempts: 2 } }));
    await handler(event, fakeContext());

    // Assess
    expect(processing).toMatchObject({ Status: "PROCESSING", Attempts: 1 });
    // An earlier attempt of the write may still land (late-writes.test.ts): its SUCCEEDED must find the output there.
    expect(removedBeforeRetry).toBe(0);
    const retry = dynamo.commandCalls(PutCommand)[1].args[0].input;
    expect(retry.Item).toMatchObject({ Status: "PROCESSING", Attempts: 2 });
    expect(retry.ConditionExpression).toBe("#Sequencer = :Sequencer AND #Attempts = :Attempts AND #Status = :Status");
    // The retry writes the output again.
    expect(s3.commandCalls(PutObjectCommand).map((call) => call.args[0].input.Key)).toEqual(["processed/orders.csv.ndjson", "processed/orders.csv.ndjson"]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it("leaves the output of the version before in place when a new version fails transiently: only the new version's end replaces or deletes it", async () => {
    // Prepare: version 1 SUCCEEDED with its output; version 2 starts, then S3 answers 503.
    const recorded = { FileName: "incoming/orders.csv", Status: "SUCCEEDED", Format: "csv", Sequencer: "00000000000000001", Attempts: 1, OutputKey: "processed/orders.csv.ndjson", History: [] };
    dynamo.on(GetCommand).resolves({ Item: recorded });
    dynamo.on(PutCommand).resolves({});
    s3.on(GetObjectCommand).rejects(slowDown());

    // Act
    await expect(handler(eventOf(), fakeContext())).rejects.toThrow("Please reduce your request rate.");

    // Assess: a delete sent before the new output could reach S3 after it (network-faults.test.ts).
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it("records FAILED when S3 answers 404 under any error name: the object is gone, and no retry brings it back", async () => {
    // Prepare: a 404 whose body named no error code (a proxy's, say) reaches the SDK as NotFound.
    tableKeepingPuts();
    finalWritesAnswered();
    s3.on(GetObjectCommand).rejects(new S3ServiceException({ name: "NotFound", $fault: "client", $metadata: { httpStatusCode: 404 }, message: "Not Found" }));
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(eventOf(), fakeContext());

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "FAILED", ":newFailureReason": 'The object "incoming/orders.csv" no longer exists; upload it again.' });
  });

  it("throws when S3 answers 503 SlowDown, leaving no output and no final status", async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    s3.on(GetObjectCommand).rejects(slowDown());

    // Act
    const act = handler(eventOf(), fakeContext());

    // Assess
    await expect(act).rejects.toThrow("Please reduce your request rate.");
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
  });

  it("throws when the status message can't be published, and the retry only publishes it", async () => {
    // Prepare
    const event = eventOf();
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).callsFake((input: { Key: { FileName: string }; ExpressionAttributeValues: Record<string, unknown> }) => ({
      Attributes: { FileName: input.Key.FileName, Status: input.ExpressionAttributeValues[":newStatus"], Format: "csv", Sequencer: event.Records[0].s3.object.sequencer, Attempts: 1 },
    }));
    s3.on(GetObjectCommand).callsFake(() => bodyOf(CSV));
    s3.on(PutObjectCommand).resolves({ ETag: '"out"' });
    sns.on(PublishCommand).rejectsOnce(new Error("socket hang up")).resolves({ MessageId: "m-1" });

    // Act
    await expect(handler(event, fakeContext())).rejects.toThrow("socket hang up");
    const final = (await dynamo.commandCalls(UpdateCommand)[0].returnValue) as { Attributes: Record<string, unknown> };
    dynamo.on(GetCommand).resolves({ Item: final.Attributes });
    await handler(event, fakeContext());

    // Assess
    expect(final.Attributes.Status).toBe("SUCCEEDED");
    expect(s3.commandCalls(GetObjectCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(PutCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(2);
    expect(sns.commandCalls(PublishCommand)[1].args[0].input.MessageAttributes?.Status.StringValue).toBe("SUCCEEDED");
  });

  it("stops before the function's timeout, records FAILED with the reason, aborts the output and returns", async () => {
    // Prepare: a body that sends valid orders, then stalls, with 150 ms left before the reserve.
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.from(CSV));
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    finalWritesAnswered();
    s3.on(GetObjectCommand).resolves({ Body: stalled as never });
    sns.on(PublishCommand).resolves({});
    const deadline = Date.now() + LIMITS.timeoutReserveMs + 150;

    // Act
    await handler(eventOf(), fakeContext(() => deadline - Date.now()));

    // Assess: well inside the reserve, so the final write and the publish have time.
    expect(Date.now()).toBeLessThan(guardedReturnBy(deadline));
    const update = dynamo.commandCalls(UpdateCommand)[0].args[0].input;
    expect(update.ExpressionAttributeValues).toMatchObject({ ":newStatus": "FAILED", ":newFailureReason": expect.stringMatching(/^Processing stopped after \d+ s, before the function's timeout; split the file/) });
    expect(stalled.destroyed).toBe(true);
    expect(s3.commandCalls(PutObjectCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)[0].args[0].input.MessageAttributes?.Status.StringValue).toBe("FAILED");
  });

  it("aborts a multipart output when the file fails after it, recording FAILED with no output", async () => {
    // Prepare: over 5 MiB of valid orders, then a quote that never closes, which fails the file at its end.
    multipartFile(`${csvOverFiveMiB()}${UNCLOSED_AT_END}`);
    finalWritesAnswered("incoming/big.csv");
    s3.on(UploadPartCommand).resolves({ ETag: '"part"' });
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(eventOf("incoming/big.csv"), fakeContext());

    // Assess
    expect(s3.commandCalls(UploadPartCommand).length).toBeGreaterThan(0);
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "FAILED", ":newFailureReason": expect.stringMatching(/opens a quoted field that never closes/) });
  });

  it("gives up on a part upload that hangs when the guard stops the file, and leaves the file to the retry", async () => {
    // Prepare: the first output part never gets an answer; the guard is due 150 ms in.
    multipartFile(csvOverFiveMiB());
    let hungAt = 0;
    s3.on(UploadPartCommand).callsFake(() => {
      hungAt ||= Date.now();
      return new Promise(() => undefined);
    });
    const deadline = Date.now() + LIMITS.timeoutReserveMs + 150;

    // Act
    const act = handler(eventOf("incoming/big.csv"), fakeContext(() => deadline - Date.now()));

    // Assess: the file arrives in one piece, parsed in one go, so the guard fires once that is done
    // (on a busy machine, seconds after it was due); from then on the abandon wait bounds the wait.
    await expect(act).rejects.toThrow(`Writing the output of "incoming/big.csv" got no answer from S3 within ${(LIMITS.abandonWaitMs / 1000).toFixed(1)} s; Lambda retries the event.`);
    const guardFired = Math.max(deadline - LIMITS.timeoutReserveMs, hungAt);
    expect(Date.now() - guardFired).toBeLessThan(LIMITS.abandonWaitMs + 2_000);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("records the file's own rejection even while an output part is slow: no object can appear from an output that never ended", async () => {
    // Prepare: every part takes longer than the abandon wait; the file fails at its end.
    multipartFile(`${csvText(Array.from({ length: 40_000 }, (_, i) => generatedOrder(i)))}${UNCLOSED_AT_END}`);
    finalWritesAnswered("incoming/slow.csv");
    s3.on(UploadPartCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ ETag: '"part"' }), LIMITS.abandonWaitMs + 500)));
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(eventOf("incoming/slow.csv"), fakeContext());

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "FAILED", ":newFailureReason": expect.stringMatching(/opens a quoted field that never closes/) });
    expect(s3.commandCalls(CompleteMultipartUploadCommand)).toHaveLength(0);
  }, 20_000);

  it("records the file's outcome when the guard fires while the output's PUT is on its way and then lands", async () => {
    // Prepare: the guard fires 150 ms in, during the PUT of the output, which S3 answers at 600 ms.
    tableKeepingPuts();
    finalWritesAnswered();
    s3.on(GetObjectCommand).callsFake(() => bodyOf(CSV));
    s3.on(PutObjectCommand).callsFake(() => new Promise((resolve) => setTimeout(() => resolve({ ETag: '"out"' }), 600)));
    sns.on(PublishCommand).resolves({});
    const deadline = Date.now() + LIMITS.timeoutReserveMs + 150;

    // Act
    await handler(eventOf(), fakeContext(() => deadline - Date.now()));

    // Assess: the output is whole, so the file SUCCEEDED and its output stays.
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "SUCCEEDED" });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it("puts S3's refusal of an output part before the guard's timeout: the file is retried, not failed", async () => {
    // Prepare: the guard fires 150 ms in; the parts in flight then come back 503.
    multipartFile(csvOverFiveMiB());
    s3.on(UploadPartCommand).callsFake(() => new Promise((_resolve, reject) => setTimeout(() => reject(slowDown()), 400)));
    const deadline = Date.now() + LIMITS.timeoutReserveMs + 150;

    // Act
    const act = handler(eventOf("incoming/big.csv"), fakeContext(() => deadline - Date.now()));

    // Assess
    await expect(act).rejects.toThrow("Please reduce your request rate.");
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("throws the upload's own error when S3 refuses an output part, not the write it broke", async () => {
    // Prepare: enough orders for a multipart output (over 5 MiB), whose parts S3 refuses.
    multipartFile(csvOverFiveMiB());
    s3.on(UploadPartCommand).rejects(slowDown());

    // Act
    const act = handler(eventOf("incoming/big.csv"), fakeContext());

    // Assess
    await expect(act).rejects.toThrow("Please reduce your request rate.");
    expect(s3.commandCalls(AbortMultipartUploadCommand)).toHaveLength(1);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("leaves a record that ran out of time earlier records used to the retry, instead of failing its file", async () => {
    // Prepare: the first record takes most of the invocation; the second gets 150 ms and a body that stalls.
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.from(CSV));
    tableKeepingPuts();
    finalWritesAnswered("incoming/first.csv");
    s3.on(GetObjectCommand, { Key: "incoming/first.csv" }).callsFake(() => bodyOf(CSV));
    s3.on(GetObjectCommand, { Key: "incoming/second.csv" }).resolves({ Body: stalled as never });
    sns.on(PublishCommand).resolves({});
    let deadline = Date.now() + 300_000;
    const first = eventOf("incoming/first.csv");
    const second = eventOf("incoming/second.csv");
    s3.on(PutObjectCommand).callsFake(() => {
      deadline = Date.now() + LIMITS.timeoutReserveMs + 150; // the first record's output is in: most of the time is gone
      return { ETag: '"out"' };
    });

    // Act
    const act = handler({ Records: [...first.Records, ...second.Records] }, fakeContext(() => deadline - Date.now()));

    // Assess
    await expect(act).rejects.toThrow(/^Processing of "incoming\/second\.csv" stopped after 0 s because most of the invocation's time went before the file was read \(to earlier records of the event, or slow requests\); Lambda retries the event/);
    expect(stalled.destroyed).toBe(true);
    const finals = dynamo.commandCalls(UpdateCommand).map((call) => call.args[0].input.Key?.FileName);
    expect(finals).toEqual(["incoming/first.csv"]);
  });

  it("leaves a file whose own item writes took most of the invocation (DynamoDB slow to answer) to the retry, instead of failing it", async () => {
    // Prepare: writing PROCESSING takes most of the time; the body then stalls.
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.from(CSV));
    let deadline = Date.now() + 300_000;
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).callsFake(() => {
      deadline = Date.now() + LIMITS.timeoutReserveMs + 150;
      return {};
    });
    s3.on(GetObjectCommand).resolves({ Body: stalled as never });

    // Act
    const act = handler(eventOf(), fakeContext(() => deadline - Date.now()));

    // Assess: retried (thrown), with no final status written
    await expect(act).rejects.toThrow(/^Processing of "incoming\/orders\.csv" stopped after 0 s because most of the invocation's time went before the file was read/);
    expect(stalled.destroyed).toBe(true);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("throws without touching anything when too little time is left to start a record", async () => {
    // Act
    const act = handler(eventOf("incoming/late.csv"), fakeContext(() => LIMITS.timeoutReserveMs));

    // Assess
    await expect(act).rejects.toThrow(/Not enough time left to start "incoming\/late\.csv"/);
    expect(dynamo.calls()).toHaveLength(0);
  });

  it("processes a new version whose PROCESSING write lost the race to an older version's run, so the item ends describing the newest version", async () => {
    // Prepare: both versions' events read the key as new; the older version's run wrote PROCESSING first.
    const event = eventOf();
    const older = { FileName: "incoming/orders.csv", Bucket: TEST_BUCKET, Status: "PROCESSING", Format: "csv", Sequencer: "0000000000000001", Attempts: 1, History: [] };
    dynamo.on(GetCommand).resolvesOnce({}).resolves({ Item: older });
    dynamo.on(PutCommand).rejectsOnce(conditionFailed()).resolves({});
    finalWritesAnswered();
    s3.on(GetObjectCommand).callsFake(() => bodyOf(CSV));
    s3.on(PutObjectCommand).resolves({ ETag: '"out"' });
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(event, fakeContext());

    // Assess: the second try is conditional on the older version's item, which it replaces.
    const starts = dynamo.commandCalls(PutCommand).map((call) => call.args[0].input);
    expect(starts).toHaveLength(2);
    expect(starts[1].Item).toMatchObject({ Status: "PROCESSING", Sequencer: event.Records[0].s3.object.sequencer, Attempts: 1 });
    expect(starts[1].ExpressionAttributeValues).toMatchObject({ ":Sequencer": older.Sequencer });
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "SUCCEEDED" });
    expect(sns.commandCalls(PublishCommand)).toHaveLength(1);
  });

  it("ends quietly, publishing and deleting nothing, when another attempt took the file over before the final write", async () => {
    // Prepare: while attempt 1 read the file, a repeat of the event started attempt 2; attempt 1's final write then fails its condition.
    const event = eventOf();
    const sequencer = event.Records[0].s3.object.sequencer;
    const takenOver = { FileName: "incoming/orders.csv", Bucket: TEST_BUCKET, Status: "PROCESSING", Format: "csv", Sequencer: sequencer, Attempts: 2, StartedAt: new Date().toISOString(), History: [] };
    dynamo.on(GetCommand).resolvesOnce({}).resolves({ Item: takenOver });
    dynamo.on(PutCommand).resolves({});
    dynamo.on(UpdateCommand).rejects(conditionFailed());
    s3.on(GetObjectCommand).callsFake(() => bodyOf(CSV));
    s3.on(PutObjectCommand).resolves({ ETag: '"out"' });
    sns.on(PublishCommand).resolves({});

    // Act
    const act = handler(event, fakeContext());

    // Assess: attempt 2 owns the outcome and its message; attempt 1 is no failure to retry.
    await expect(act).resolves.toBeUndefined();
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(1);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
  });

  it("leaves a file to the retry when just over a tenth of the invocation went before its read and time then ran out", async () => {
    // Prepare: the invocation had the reserve plus 1.65 s; writing PROCESSING took 1.5 s of it (about 13%); the body then stalls.
    const stalled = new Readable({ read() {} });
    stalled.push(Buffer.from(CSV));
    let deadline = Date.now() + LIMITS.timeoutReserveMs + 1_650;
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).callsFake(() => {
      deadline = Date.now() + LIMITS.timeoutReserveMs + 150;
      return {};
    });
    finalWritesAnswered();
    s3.on(GetObjectCommand).resolves({ Body: stalled as never });
    sns.on(PublishCommand).resolves({});

    // Act
    const act = handler(eventOf(), fakeContext(() => deadline - Date.now()));

    // Assess: retried (thrown), not FAILED
    await expect(act).rejects.toThrow(/^Processing of "incoming\/orders\.csv" stopped after 0 s because most of the invocation's time went before the file was read/);
    expect(dynamo.commandCalls(UpdateCommand)).toHaveLength(0);
  });

  it("sends no delete for an output key longer than S3 accepts, so a file whose name is too long ends FAILED instead of being retried for ever", async () => {
    // Prepare: a 1,020-byte key, whose output key would be 1,028; S3 refuses any request for such a key.
    const key = `incoming/${`${"k".repeat(199)}/`.repeat(5)}${"k".repeat(7)}.csv`;
    tableKeepingPuts();
    finalWritesAnswered(key);
    s3.on(DeleteObjectCommand).rejects(new S3ServiceException({ name: "KeyTooLongError", $fault: "client", $metadata: { httpStatusCode: 400 }, message: "Your key is too long" }));
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(eventOf(key), fakeContext());

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "FAILED" });
    expect(s3.commandCalls(DeleteObjectCommand)).toHaveLength(0);
    expect(sns.commandCalls(PublishCommand).map((call) => call.args[0].input.MessageAttributes?.Status.StringValue)).toEqual(["FAILED"]);
  });

  it("fails the invocation before the status message when the delete of a failed new version's old output fails", async () => {
    // Prepare: version 1 SUCCEEDED with its output; version 2 lacks required columns; S3 answers the delete 503.
    const recorded = { FileName: "incoming/orders.csv", Status: "SUCCEEDED", Format: "csv", Sequencer: "00000000000000001", Attempts: 1, OutputKey: "processed/orders.csv.ndjson", History: [] };
    dynamo.on(GetCommand).resolves({ Item: recorded });
    dynamo.on(PutCommand).resolves({});
    finalWritesAnswered();
    s3.on(GetObjectCommand).callsFake(() => bodyOf("order_id\nA1\n"));
    s3.on(DeleteObjectCommand).rejects(slowDown());
    sns.on(PublishCommand).resolves({});

    // Act
    const act = handler(eventOf(), fakeContext());

    // Assess: no FAILED message goes out while the output it says is gone still stands; the retry deletes, then publishes.
    await expect(act).rejects.toThrow("Please reduce your request rate.");
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "FAILED" });
    expect(s3.commandCalls(DeleteObjectCommand).map((call) => call.args[0].input.Key)).toEqual(["processed/orders.csv.ndjson"]);
    expect(sns.commandCalls(PublishCommand)).toHaveLength(0);
  });

  it("reads the object version the event announces, not the newest one", async () => {
    // Prepare: the event announces version v1 (one order); a newer version with two orders was uploaded since.
    const event = s3Event({ bucket: TEST_BUCKET, key: "incoming/orders.csv", size: Buffer.byteLength(CSV), eTag: "etag", versionId: "v1", sequencer: clock.next() });
    tableKeepingPuts();
    finalWritesAnswered();
    s3.on(GetObjectCommand).callsFake((input: { VersionId?: string }) => bodyOf(input.VersionId === "v1" ? CSV : csvText([testOrder({ orderId: "N1" }), testOrder({ orderId: "N2" })])));
    s3.on(PutObjectCommand).resolves({ ETag: '"out"' });
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(event, fakeContext());

    // Assess
    expect(dynamo.commandCalls(UpdateCommand)[0].args[0].input.ExpressionAttributeValues).toMatchObject({ ":newStatus": "SUCCEEDED", ":newOrdersValid": 1 });
  });

  it("reads the item with a strongly consistent read, so a write that just landed is never missed", async () => {
    // Prepare
    dynamo.on(GetCommand).resolves({});
    dynamo.on(PutCommand).resolves({});
    finalWritesAnswered();
    s3.on(GetObjectCommand).callsFake(() => bodyOf(CSV));
    s3.on(PutObjectCommand).resolves({ ETag: '"out"' });
    sns.on(PublishCommand).resolves({});

    // Act
    await handler(eventOf(), fakeContext());

    // Assess: an eventually consistent read may return the item as it was before the last write.
    expect(dynamo.commandCalls(GetCommand).map((call) => call.args[0].input.ConsistentRead)).toEqual([true]);
  });

  it("aborts a multipart output whose parts are still on their way when the guard stops the file, so no completion follows when they return", async () => {
    // Prepare: about 7.5 MiB of output (two parts, both sent once the file is read); S3 answers each part
    // only after the guard (3 s in) and the abandon wait, by when the invocation has failed.
    multipartFile(csvText(Array.from({ length: 30_000 }, (_, i) => generatedOrder(i))));
    let answered = 0;
    s3.on(UploadPartCommand).callsFake(
      () =>
        new Promise((resolve) =>
          setTimeout(() => {
            answered++;
            resolve({ ETag: '"part"' });
          }, 3_000 + LIMITS.abandonWaitMs + 1_500),
        ),
    );
    s3.on(CompleteMultipartUploadCommand).resolves({});
    const deadline = Date.now() + LIMITS.timeoutReserveMs + 3_000;

    // Act
    await expect(handler(eventOf("incoming/big.csv"), fakeContext(() => deadline - Date.now()))).rejects.toThrow(/^Writing the output of "incoming\/big\.csv" got no answer from S3/);
    const sent = s3.commandCalls(UploadPartCommand).length;
    while (answered < sent) await new Promise((resolve) => setTimeout(resolve, 50));
    await new Promise((resolve) => setTimeout(resolve, 200));

    // Assess: the whole output had been handed to S3 (it had ended), yet it never completes.
    expect(sent).toBe(2);
    expect(s3.commandCalls(CompleteMultipartUploadCommand).length).toBe(0);
    expect(s3.commandCalls(AbortMultipartUploadCommand).length).toBe(1);
  }, 20_000);
});
