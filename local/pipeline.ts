import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { HeadObjectCommand, PutObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { DynamoDBDocumentClient, GetCommand } from "@aws-sdk/lib-dynamodb";
import type { S3Event } from "aws-lambda";
import { createReadStream, createWriteStream, existsSync, mkdirSync, readdirSync, readFileSync, renameSync, rmSync, statSync, unlinkSync, type WriteStream } from "node:fs";
import * as path from "node:path";
import { ENV } from "../lambda-src/env";
import { decodeEventKey } from "../lambda-src/keys";
import { applyPlan } from "./apply";
import { AsyncInvocations, type DeliveryOutcome, type FailedEventRecord } from "./async-invoke";
import { BucketNotifications, type ObjectWrite } from "./notifications";
import { type LocalPlan, LocalPlanError, planLocalStack, type SynthesizedStack, type TablePlan } from "./provision";
import { LOCK_FILE } from "./lock";
import { LocalLambda } from "./runtime";
import { type LocalServices, startLocalServices } from "./services";
import { type LocalSns, startLocalSns } from "./sns";

/** Options of {@link LocalPipeline.start}. */
export interface LocalPipelineOptions {
  /** Directory holding the synthesized `cdk.tf.json` (and the packaged `assets/`). */
  readonly stackDir: string;
  /** Local state: s3rver objects, DynamoDB files, `failed-events.ndjson`, `function.log`. */
  readonly stateDir: string;
  /**
   * Keep what `stateDir` holds instead of wiping it.
   * @default false
   */
  readonly resume?: boolean;
  /**
   * Keep DynamoDB on disk (needed to resume, or to restart DynamoDB with its data).
   * @default false
   */
  readonly persistDynamo?: boolean;
  /**
   * Ports for S3 and DynamoDB; 0 picks free ones.
   * @default 0
   */
  readonly s3Port?: number;
  /** @default 0 */
  readonly dynamoPort?: number;
  /** @default 0 */
  readonly snsPort?: number;
  /**
   * First retry delay of a failed invocation (doubled per retry).
   * @default 500
   */
  readonly retryBaseDelayMs?: number;
  /**
   * Execution environments that may run at once.
   * @default - the reserved concurrency, at most 4
   */
  readonly maxConcurrency?: number;
}

/** A metadata item as read back from the local table: plain JSON, not DynamoDB attribute values. */
export type PlainItem = Record<string, unknown>;

/** Result of replaying the on-failure file. */
export interface ReplayResult {
  /** Keys (decoded) of the replayed events, in file order. */
  readonly keys: readonly string[];
  readonly outcomes: readonly DeliveryOutcome[];
}

/** File names under the state directory. */
export const STATE_FILES = { failedEvents: "failed-events.ndjson", functionLog: "function.log", session: "session.json" } as const;

/**
 * The synthesized stack running on this machine: local S3, DynamoDB and SNS provisioned from the
 * synthesized JSON, the bucket notification feeding Lambda-style async invocations of the
 * packaged handler, and the on-failure destination as an NDJSON file.
 */
export class LocalPipeline {
  /** Reads the synthesized stack, starts and provisions the services, and wires the trigger. */
  static async start(options: LocalPipelineOptions): Promise<LocalPipeline> {
    const stackFile = path.join(options.stackDir, "cdk.tf.json");
    if (!existsSync(stackFile)) throw new LocalPlanError([`${stackFile} does not exist: run \`npm run synth\` first, or leave out --no-synth`]);
    const plan = planLocalStack(JSON.parse(readFileSync(stackFile, "utf8")) as SynthesizedStack, { stackDir: options.stackDir });
    mkdirSync(options.stateDir, { recursive: true });
    if (!options.resume) {
      // The lock stays: it is the CLI's claim on this directory for the whole run.
      for (const entry of readdirSync(options.stateDir)) {
        if (entry !== LOCK_FILE) rmSync(path.join(options.stateDir, entry), { recursive: true, force: true });
      }
    }

    let notifications: BucketNotifications | undefined;
    const services = await startLocalServices({
      dataDir: options.stateDir,
      persistDynamo: options.persistDynamo,
      s3Port: options.s3Port,
      dynamoPort: options.dynamoPort,
      onS3Event: (event) => void notifications?.onS3rverEvent(event).catch(() => undefined),
    });
    const sns = await startLocalSns({ region: plan.region, accountId: plan.accountId, port: options.snsPort });
    const pipeline = new LocalPipeline(plan, services, sns, options);
    notifications = pipeline.notifications;
    try {
      await applyPlan(plan, { s3: pipeline.s3, dynamodb: pipeline.dynamodbClient, sns });
    } catch (err) {
      await pipeline.stop();
      throw err;
    }
    return pipeline;
  }

  /** The upload bucket (the one the notification watches). */
  public readonly bucket: string;
  /** The key prefix that triggers the function. */
  public readonly prefix: string;
  /** The metadata table. */
  public readonly table: TablePlan;
  /** Local state directory. */
  public readonly stateDir: string;
  /** The on-failure file. */
  public readonly failedEventsFile: string;
  /** The function's log file. */
  public readonly functionLogFile: string;
  /** Endpoint of the local SNS. */
  public readonly snsEndpoint: string;
  /** The function as it runs here. */
  public readonly lambda: LocalLambda;
  /** The bucket notification. */
  public readonly notifications: BucketNotifications;
  /** Lambda's async invocation queue. */
  public readonly invocations: AsyncInvocations;
  /** Client for the local S3. */
  public readonly s3: S3Client;
  private readonly dynamodbClient: DynamoDBClient;
  private readonly documents: DynamoDBDocumentClient;
  private readonly log: WriteStream;

  private constructor(
    public readonly plan: LocalPlan,
    public readonly services: LocalServices,
    public readonly sns: LocalSns,
    options: LocalPipelineOptions,
  ) {
    const trigger = plan.triggers[0];
    this.bucket = trigger.bucket;
    this.prefix = trigger.filterPrefix;
    this.table = plan.tables.find((t) => t.name === plan.function.environment[ENV.tableName]) ?? plan.tables[0];
    this.stateDir = options.stateDir;
    this.failedEventsFile = path.join(options.stateDir, STATE_FILES.failedEvents);
    this.functionLogFile = path.join(options.stateDir, STATE_FILES.functionLog);
    this.snsEndpoint = sns.endpoint;
    const credentials = { accessKeyId: services.env.AWS_ACCESS_KEY_ID, secretAccessKey: services.env.AWS_SECRET_ACCESS_KEY };
    const common = { region: plan.region, credentials, requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED" } as const;
    this.s3 = new S3Client({ ...common, endpoint: services.s3Endpoint, forcePathStyle: true });
    this.dynamodbClient = new DynamoDBClient({ ...common, endpoint: services.dynamoEndpoint });
    this.documents = DynamoDBDocumentClient.from(this.dynamodbClient);
    this.log = createWriteStream(this.functionLogFile, { flags: "a" });
    this.lambda = new LocalLambda({
      fn: plan.function,
      region: plan.region,
      serviceEnv: { ...services.env, AWS_ENDPOINT_URL_SNS: sns.endpoint },
      log: this.log,
      maxConcurrency: options.maxConcurrency,
    });
    this.invocations = new AsyncInvocations({
      invoker: this.lambda,
      fn: plan.function,
      failedEventsFile: this.failedEventsFile,
      retryBaseDelayMs: options.retryBaseDelayMs,
    });
    this.notifications = new BucketNotifications({
      buckets: plan.buckets,
      triggers: plan.triggers,
      region: plan.region,
      // After stop() an in-flight event has nowhere to go; like a killed process, it is dropped.
      send: (event) => void this.invocations.deliver(event).catch(() => undefined),
      eTagOf: async (bucket, key) => {
        const head = await this.s3.send(new HeadObjectCommand({ Bucket: bucket, Key: key }));
        return (head.ETag ?? "").replace(/"/g, "");
      },
    });
  }

  /** Uploads a local file as `<prefix><basename>` (or `key`); the notification follows as on S3. */
  async uploadFile(file: string, key = `${this.prefix}${path.basename(file)}`): Promise<ObjectWrite> {
    const size = statSync(file).size;
    return this.put(key, size === 0 ? "" : createReadStream(file), size);
  }

  /** Writes an object to the upload bucket and returns the write as the notification saw it. */
  async put(key: string, body: string | Buffer | NodeJS.ReadableStream, contentLength?: number): Promise<ObjectWrite> {
    await this.s3.send(new PutObjectCommand({ Bucket: this.bucket, Key: key, Body: body as PutObjectCommand["input"]["Body"], ContentLength: contentLength }));
    // s3rver emits the notification before it answers the PUT, so the write is known by now.
    const write = this.notifications.lastWrite(this.bucket, key);
    if (!write) throw new Error(`s3rver reported no event for ${key}`);
    return write;
  }

  /** Delivers an event by hand, as S3 would (again, or out of order). */
  deliver(event: S3Event): Promise<DeliveryOutcome> {
    return this.invocations.deliver(event);
  }

  /** Resolves when every notification so far was handled or sent to the on-failure file. */
  idle(): Promise<void> {
    return this.invocations.idle();
  }

  /** The metadata item of a key (plain JSON), or undefined. */
  async record(key: string): Promise<PlainItem | undefined> {
    const out = await this.documents.send(new GetCommand({ TableName: this.table.name, Key: { [this.table.hashKey]: key }, ConsistentRead: true }));
    return out.Item;
  }

  /** The on-failure records so far. */
  failedEvents(): FailedEventRecord[] {
    if (!existsSync(this.failedEventsFile)) return [];
    return readFileSync(this.failedEventsFile, "utf8")
      .split("\n")
      .filter((line) => line.trim() !== "")
      .map((line) => JSON.parse(line) as FailedEventRecord);
  }

  /**
   * Delivers every event of the on-failure file again (with retries) and empties the file first,
   * so what fails again is appended anew and nothing is replayed twice.
   */
  async replayFailed(): Promise<ReplayResult> {
    const records = this.failedEvents();
    if (records.length === 0) return { keys: [], outcomes: [] };
    // Kept aside until every replay settled: an interrupted replay leaves the events on disk.
    const replaying = `${this.failedEventsFile}.replaying`;
    renameSync(this.failedEventsFile, replaying);
    const keys = records.flatMap((r) => ((r.requestPayload as S3Event).Records ?? []).map((rec) => decodeEventKey(rec.s3.object.key)));
    const outcomes = await Promise.all(records.map((r) => this.invocations.deliver(r.requestPayload)));
    unlinkSync(replaying);
    return { keys, outcomes };
  }

  /** Stops the function, the services and closes the log. */
  async stop(): Promise<void> {
    await this.lambda.stop();
    await Promise.allSettled([this.services.stop(), this.sns.stop()]);
    this.s3.destroy();
    this.dynamodbClient.destroy();
    await new Promise<void>((resolve) => this.log.end(resolve));
  }
}
