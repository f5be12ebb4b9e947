import type { FinalFields, MetadataItem } from "../../lambda-src/metadata-item";
import { MetadataStore } from "../../lambda-src/metadata-store";
import { type PipelineEnv, startPipelineEnv, TEST_BUCKET, TEST_TABLE } from "../helpers/lambda-env";

// The conditional writes that keep two runs of one file, or an older event that arrives late, from
// overwriting each other's outcome, against the local DynamoDB: the races the handler's tests
// cannot time (two invocations at work on one key).
describe("MetadataStore's conditional writes", () => {
  let env: PipelineEnv;
  let store: MetadataStore;

  beforeAll(async () => {
    env = await startPipelineEnv();
    store = new MetadataStore(env.documents, TEST_TABLE);
  });
  afterAll(() => env.stop());

  const processing = (fileName: string, over: Partial<MetadataItem> = {}): MetadataItem => ({
    FileName: fileName,
    Bucket: TEST_BUCKET,
    Status: "PROCESSING",
    Format: "csv",
    SizeBytes: 10,
    ETag: "etag",
    Sequencer: "0000000000000002",
    ReceivedAt: "2025-07-10T00:00:00.000Z",
    StartedAt: "2025-07-10T00:00:01.000Z",
    Attempts: 1,
    History: [],
    ...over,
  });
  const succeeded = (completedAt: string): FinalFields => ({
    Status: "SUCCEEDED",
    CompletedAt: completedAt,
    DurationMs: 1000,
    OrdersTotal: 1,
    OrdersValid: 1,
    OrdersRejected: 0,
    Errors: [],
    ErrorsTruncated: false,
    OutputKey: "processed/store.csv.ndjson",
    History: [],
  });

  it("refuses a first PROCESSING write when an item appeared after the key was read as new", async () => {
    // Prepare: both versions' events read the key as new; the newer version's run wrote first.
    const key = "incoming/store/new-key.csv";
    expect(await store.start(processing(key, { Sequencer: "0000000000000003" }), undefined)).toBe(true);

    // Act
    const older = await store.start(processing(key, { Sequencer: "0000000000000002" }), undefined);

    // Assess
    expect(older).toBe(false);
    expect(await env.item(key)).toMatchObject({ Status: "PROCESSING", Sequencer: "0000000000000003" });
  });

  it("does not take another run's PROCESSING write of the same attempt number for its own", async () => {
    // Prepare: two repeats of the event both found attempt 1 unfinished; the other one wrote attempt 2 first.
    const key = "incoming/store/same-attempt.csv";
    const first = processing(key);
    await store.start(first, undefined);
    expect(await store.start(processing(key, { Attempts: 2, StartedAt: "2025-07-10T00:00:05.000Z" }), first)).toBe(true);

    // Act
    const mine = await store.start(processing(key, { Attempts: 2, StartedAt: "2025-07-10T00:00:06.000Z" }), first);

    // Assess
    expect(mine).toBe(false);
    expect(await env.item(key)).toMatchObject({ Attempts: 2, StartedAt: "2025-07-10T00:00:05.000Z" });
  });

  it("does not take another final write of the same attempt for its own", async () => {
    // Prepare
    const key = "incoming/store/same-final.csv";
    const started = processing(key);
    await store.start(started, undefined);
    expect(await store.finish(started, succeeded("2025-07-10T00:00:02.000Z"))).toMatchObject({ Status: "SUCCEEDED", CompletedAt: "2025-07-10T00:00:02.000Z" });

    // Act
    const mine = await store.finish(started, succeeded("2025-07-10T00:00:03.000Z"));

    // Assess
    expect(mine).toBeUndefined();
    expect(await env.item(key)).toMatchObject({ CompletedAt: "2025-07-10T00:00:02.000Z" });
  });

  it("records nothing and returns nothing when another attempt took over before the final write", async () => {
    // Prepare
    const key = "incoming/store/taken-over.csv";
    const first = processing(key);
    await store.start(first, undefined);
    await store.start(processing(key, { Attempts: 2, StartedAt: "2025-07-10T00:00:05.000Z" }), first);

    // Act
    const outcome = await store.finish(first, succeeded("2025-07-10T00:00:06.000Z"));

    // Assess
    expect(outcome).toBeUndefined();
    expect(await env.item(key)).toMatchObject({ Status: "PROCESSING", Attempts: 2 });
  });
});
