import { DynamoDBClient, ScanCommand } from "@aws-sdk/client-dynamodb";
import type { LocalPipeline } from "../../local/pipeline";
import { contractProblems, startDevPipeline, stopPipeline } from "../helpers/local-pipeline";
import { anInvalidOrder, type LocalOrderFormat, orderFileText, someValidOrders } from "../helpers/local-orders";

const FILES = 200;
const FORMATS: readonly LocalOrderFormat[] = ["csv", "json", "ndjson", "xml"];

describe("the local pipeline under load", () => {
  let pipeline: LocalPipeline | undefined;
  afterAll(() => stopPipeline(pipeline));

  it("ends each of 200 concurrently uploaded files with exactly one final record and the right counts", async () => {
    // Prepare
    pipeline = await startDevPipeline();
    const files = Array.from({ length: FILES }, (_, i) => {
      const format = FORMATS[i % FORMATS.length];
      const valid = 1 + (i % 5);
      const rejected = i % 3 === 0 ? 1 : 0;
      const orders = [...someValidOrders(`L${i}`, valid), ...(rejected ? [anInvalidOrder(`L${i}-bad`)] : [])];
      return { key: `incoming/load/file ${i}.${format}`, body: orderFileText(format, orders), format, valid, rejected };
    });

    // Act
    await Promise.all(files.map((f) => pipeline!.put(f.key, f.body)));
    await pipeline.idle();

    // Assess
    const items = await Promise.all(files.map((f) => pipeline!.record(f.key)));
    const problems = files.flatMap((f, i) =>
      contractProblems(items[i], f.key, pipeline!.bucket, { status: f.rejected ? "PARTIAL" : "SUCCEEDED", format: f.format, valid: f.valid, rejected: f.rejected }),
    );
    expect(problems).toEqual([]);
    expect(items.map((item) => item?.Attempts)).toEqual(files.map(() => 1));
    expect(pipeline.failedEvents()).toEqual([]);
    expect(pipeline.invocations.counts).toMatchObject({ settled: FILES, failed: 0 });

    const dynamodb = new DynamoDBClient({ endpoint: pipeline.services.dynamoEndpoint, region: pipeline.plan.region, credentials: { accessKeyId: "S3RVER", secretAccessKey: "S3RVER" } });
    const scan = await dynamodb.send(new ScanCommand({ TableName: pipeline.table.name, Select: "COUNT" }));
    dynamodb.destroy();
    expect(scan.Count).toBe(FILES);
  }, 60_000);
});
