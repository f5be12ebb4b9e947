import type { S3Event } from "aws-lambda";
import type { LocalPipeline } from "../../local/pipeline";
import { startDevPipeline, stopPipeline } from "../helpers/local-pipeline";
import { anInvalidOrder, orderFileText, someValidOrders } from "../helpers/local-orders";

type HistoryEntry = Record<string, unknown>;

describe("redelivered and out-of-order events", () => {
  let pipeline: LocalPipeline;
  beforeAll(async () => {
    pipeline = await startDevPipeline();
  });
  afterAll(() => stopPipeline(pipeline));

  it("keeps the newest version when the same events arrive twice and out of order", async () => {
    // Prepare: two versions of one key, their notifications held back.
    const key = "incoming/replay/orders 1.ndjson";
    pipeline.notifications.hold();
    const v1 = await pipeline.put(key, orderFileText("ndjson", someValidOrders("V1", 3)));
    const v2 = await pipeline.put(key, orderFileText("ndjson", [...someValidOrders("V2", 5), anInvalidOrder("V2-bad")]));
    const [e1, e2] = pipeline.notifications.release();
    expect([e1, e2].map((e) => e.Records[0].s3.object.sequencer)).toEqual([v1.sequencer, v2.sequencer]);
    expect(v2.sequencer > v1.sequencer).toBe(true);
    expect(e1.Records[0].s3.object.key).toBe("incoming/replay/orders+1.ndjson");

    // Act: newest first, then the older one, then both again.
    await pipeline.deliver(e2);
    await pipeline.deliver(e1);
    await Promise.all([pipeline.deliver(e2), pipeline.deliver(e1)]);
    await pipeline.idle();

    // Assess
    const item = await pipeline.record(key);
    expect(item).toMatchObject({ Status: "PARTIAL", VersionId: v2.versionId, Sequencer: v2.sequencer, ETag: v2.eTag, OrdersValid: 5, OrdersRejected: 1 });
    const history = item?.History as HistoryEntry[];
    expect(history.every((h) => h.VersionId === v2.versionId)).toBe(true);
    expect(history.length).toBeGreaterThanOrEqual(1);
    // v2 was delivered twice: processed once, its repeat may count an attempt but changes nothing else.
    expect([1, 2]).toContain(item?.Attempts);
    expect(history.length).toBeLessThanOrEqual(Number(item?.Attempts));
  });

  it("records each version in order when versions arrive in order, and ignores a late duplicate of the old one", async () => {
    // Prepare
    const key = "incoming/replay/orders-2.csv";
    const v1 = await pipeline.put(key, orderFileText("csv", someValidOrders("A", 2)));
    await pipeline.idle();
    const v2 = await pipeline.put(key, orderFileText("csv", someValidOrders("B", 4)));
    await pipeline.idle();

    // Act: S3 delivers the first version's event once more, late.
    await pipeline.deliver(v1.event as S3Event);
    await pipeline.idle();

    // Assess
    const item = await pipeline.record(key);
    expect(item).toMatchObject({ Status: "SUCCEEDED", VersionId: v2.versionId, Sequencer: v2.sequencer, OrdersValid: 4, Attempts: 1 });
    const history = (item?.History as HistoryEntry[]).map((h) => [h.VersionId, h.Status, h.OrdersValid]);
    expect(history).toHaveLength(2);
    expect(history).toEqual(expect.arrayContaining([
      [v1.versionId, "SUCCEEDED", 2],
      [v2.versionId, "SUCCEEDED", 4],
    ]));
  });
});
