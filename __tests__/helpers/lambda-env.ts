import { CreateTableCommand, DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, GetObjectCommand, HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { Context, S3Event } from "aws-lambda";
import { createReadStream, mkdtempSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ENV } from "../../lambda-src/env";
import { LIMITS } from "../../lambda-src/limits";
import { startLocalServices, type LocalServices } from "../../local/services";
import { s3Event, SequencerClock, type ObjectCreated } from "../../local/s3-event";
import { startLocalSns, type LocalSns } from "../../local/sns";
import { bundleLambda } from "../../stacks/lambda-bundle";

/** The names the function is configured with in tests. */
export const TEST_BUCKET = "orders-bucket";
export const TEST_TABLE = "order-files";
export const TEST_TOPIC = "order-status";

/** The function's environment for tests (what the stack sets), pointing at `topicArn`. */
export function functionEnv(topicArn: string, overrides: Partial<Record<string, string>> = {}): Record<string, string> {
  return {
    [ENV.tableName]: TEST_TABLE,
    [ENV.bucketName]: TEST_BUCKET,
    [ENV.incomingPrefix]: "incoming/",
    [ENV.outputPrefix]: "processed/",
    [ENV.statusTopicArn]: topicArn,
    [ENV.maxFileBytes]: String(200 * 1024 * 1024),
    [ENV.serviceName]: "order-processor-test",
    [ENV.metricsNamespace]: "OrderPipeline",
    ...(overrides as Record<string, string>),
  };
}

/**
 * Latest time a handler stopped by its timeout guard may return, given the function's `deadline`:
 * a quarter of the reserve before it. The guard is due a whole reserve before the deadline, and
 * the handler needs about the abandon wait (2 s) after it; the rest absorbs a machine busy with
 * other work (a half reserve once failed beside a busy demo). This only proves the handler ends
 * before Lambda's timeout; a test that pins the abandon wait itself measures from the guard firing.
 */
export function guardedReturnBy(deadline: number): number {
  return deadline - LIMITS.timeoutReserveMs / 4;
}

/** A Lambda context whose remaining time comes from `remainingMs` (default: 5 minutes, always). */
export function fakeContext(remainingMs: () => number = () => 300_000): Context {
  return {
    callbackWaitsForEmptyEventLoop: true,
    functionName: "order-processor-test",
    functionVersion: "$LATEST",
    invokedFunctionArn: "arn:aws:lambda:us-east-1:000000000000:function:order-processor-test",
    memoryLimitInMB: "512",
    awsRequestId: `req-${Math.random().toString(16).slice(2, 10)}`,
    logGroupName: "/aws/lambda/order-processor-test",
    logStreamName: "test",
    getRemainingTimeInMillis: remainingMs,
    done: () => undefined,
    fail: () => undefined,
    succeed: () => undefined,
  };
}

/** Lines written to stdout while capturing (Powertools logs and EMF metrics go there). */
export interface CapturedOutput {
  readonly lines: string[];
  /** The lines that parse as JSON objects. */
  json(): Record<string, unknown>[];
  restore(): void;
}

/** Captures (and silences) stdout and stderr, where the function's logs and metrics go. */
export function captureStdout(): CapturedOutput {
  const lines: string[] = [];
  const originals = [process.stdout.write, process.stderr.write];
  for (const stream of [process.stdout, process.stderr]) {
    stream.write = ((chunk: string | Uint8Array) => {
      lines.push(...String(chunk).split("\n").filter((l) => l.length > 0));
      return true;
    }) as typeof stream.write;
  }
  return {
    lines,
    json: () =>
      lines.flatMap((l) => {
        try {
          const value: unknown = JSON.parse(l);
          return typeof value === "object" && value !== null ? [value as Record<string, unknown>] : [];
        } catch {
          return [];
        }
      }),
    restore: () => {
      [process.stdout.write, process.stderr.write] = originals;
    },
  };
}

/** The handler's signature. */
export type Handler = (event: S3Event, context: Context) => Promise<void>;

/** Local S3 + DynamoDB + SNS with the bucket, table and topic the function expects, and helpers to drive it. */
export interface PipelineEnv {
  readonly services: LocalServices;
  readonly sns: LocalSns;
  readonly s3: S3Client;
  readonly documents: DynamoDBDocumentClient;
  readonly topicArn: string;
  readonly clock: SequencerClock;
  /** Uploads a file under its key and returns the S3-shaped event fields for it. */
  upload(key: string, body: string | Buffer | { file: string }): Promise<ObjectCreated>;
  /** The metadata item of a key, or undefined. */
  item(key: string): Promise<Record<string, unknown> | undefined>;
  /** The text of an object, or undefined when it does not exist. */
  text(key: string): Promise<string | undefined>;
  /** Whether an object exists. */
  exists(key: string): Promise<boolean>;
  stop(): Promise<void>;
}

/**
 * Starts the local services, sets `process.env` to what the deployed function gets (plus the
 * SDK endpoint variables), and creates the bucket, table and topic. Load the handler afterwards.
 */
export async function startPipelineEnv(envOverrides: Partial<Record<string, string>> = {}): Promise<PipelineEnv> {
  const dataDir = mkdtempSync(path.join(tmpdir(), "lambda-test-"));
  const services = await startLocalServices({ dataDir });
  const sns = await startLocalSns();
  const topicArn = sns.createTopic(TEST_TOPIC);
  Object.assign(process.env, services.env, { AWS_ENDPOINT_URL_SNS: sns.endpoint }, functionEnv(topicArn, envOverrides));
  const s3 = new S3Client({});
  const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));
  await s3.send(new CreateBucketCommand({ Bucket: TEST_BUCKET }));
  await documents.send(
    new CreateTableCommand({
      TableName: TEST_TABLE,
      AttributeDefinitions: [{ AttributeName: "FileName", AttributeType: "S" }],
      KeySchema: [{ AttributeName: "FileName", KeyType: "HASH" }],
      BillingMode: "PAY_PER_REQUEST",
    }),
  );
  const clock = new SequencerClock();
  const exists = async (key: string): Promise<boolean> => {
    try {
      await s3.send(new HeadObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
      return true;
    } catch {
      return false;
    }
  };
  return {
    services,
    sns,
    s3,
    documents,
    topicArn,
    clock,
    async upload(key, body) {
      const isFile = typeof body === "object" && !Buffer.isBuffer(body);
      const size = isFile ? statSync(body.file).size : Buffer.byteLength(body);
      const result = await s3.send(
        new PutObjectCommand({ Bucket: TEST_BUCKET, Key: key, Body: isFile ? createReadStream(body.file) : body, ContentLength: size }),
      );
      return { bucket: TEST_BUCKET, key, size, eTag: (result.ETag ?? "").replace(/"/g, ""), sequencer: clock.next() };
    },
    async item(key) {
      return (await documents.send(new GetCommand({ TableName: TEST_TABLE, Key: { FileName: key }, ConsistentRead: true }))).Item;
    },
    async text(key) {
      if (!(await exists(key))) return undefined;
      const result = await s3.send(new GetObjectCommand({ Bucket: TEST_BUCKET, Key: key }));
      return result.Body?.transformToString("utf8");
    },
    exists,
    async stop() {
      s3.destroy();
      documents.destroy();
      await sns.stop();
      await services.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The event S3 would send for these uploads. */
export function eventFor(...objects: ObjectCreated[]): S3Event {
  return s3Event(...objects);
}

/**
 * Builds the function's bundle exactly as the stack does (into a private directory, so parallel
 * test files never race on `.build/lambda`) and loads it in an isolated module registry, after
 * `process.env` is set: the bundle reads its configuration at load, like a cold start.
 */
export function loadBundledHandler(): { handler: Handler; bundleFile: string; cleanup: () => void } {
  const outDir = mkdtempSync(path.join(tmpdir(), "lambda-bundle-"));
  const bundle = bundleLambda({ outDir });
  const bundleFile = path.join(bundle.dir, "index.js");
  let handler: Handler | undefined;
  jest.isolateModules(() => {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    handler = (require(bundleFile) as { handler: Handler }).handler;
  });
  return { handler: handler as Handler, bundleFile, cleanup: () => rmSync(outDir, { recursive: true, force: true }) };
}
