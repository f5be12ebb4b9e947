import type { LocalPipeline } from "../../local/pipeline";
import { startDevPipeline, stopPipeline } from "../helpers/local-pipeline";
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
