import { CreateTableCommand, DescribeTableCommand, type DynamoDBClient, ResourceNotFoundException } from "@aws-sdk/client-dynamodb";
import { CreateBucketCommand, HeadBucketCommand, type S3Client } from "@aws-sdk/client-s3";
import type { LocalSns } from "./sns";
import type { LocalPlan, TableIndex, TablePlan } from "./provision";

/** The clients and endpoint that local resources are created through. */
export interface ApplyTargets {
  readonly s3: S3Client;
  readonly dynamodb: DynamoDBClient;
  readonly sns: LocalSns;
}

function createTableInput(table: TablePlan) {
  const keySchema = (hash: string, range?: string) => [
    { AttributeName: hash, KeyType: "HASH" as const },
    ...(range ? [{ AttributeName: range, KeyType: "RANGE" as const }] : []),
  ];
  const throughput =
    table.billingMode === "PROVISIONED" ? { ReadCapacityUnits: table.readCapacity ?? 1, WriteCapacityUnits: table.writeCapacity ?? 1 } : undefined;
  const index = (i: TableIndex) => ({
    IndexName: i.name,
    KeySchema: keySchema(i.hashKey, i.rangeKey),
    Projection: { ProjectionType: i.projectionType as "ALL" | "KEYS_ONLY" | "INCLUDE", NonKeyAttributes: i.nonKeyAttributes ? [...i.nonKeyAttributes] : undefined },
  });
  return {
    TableName: table.name,
    KeySchema: keySchema(table.hashKey, table.rangeKey),
    AttributeDefinitions: table.attributes.map((a) => ({ AttributeName: a.name, AttributeType: a.type })),
    BillingMode: table.billingMode,
    ProvisionedThroughput: throughput,
    GlobalSecondaryIndexes: table.globalSecondaryIndexes.length
      ? table.globalSecondaryIndexes.map((i) => ({ ...index(i), ProvisionedThroughput: throughput }))
      : undefined,
    LocalSecondaryIndexes: table.localSecondaryIndexes.length ? table.localSecondaryIndexes.map(index) : undefined,
  };
}

/**
 * Creates the plan's buckets, tables and topics on the local services. Idempotent: what already
 * exists (a resumed session, DynamoDB restarted on its LevelDB files) is left as it is.
 */
export async function applyPlan(plan: LocalPlan, targets: ApplyTargets): Promise<void> {
  for (const bucket of plan.buckets) {
    try {
      await targets.s3.send(new HeadBucketCommand({ Bucket: bucket.name }));
    } catch {
      await targets.s3.send(new CreateBucketCommand({ Bucket: bucket.name }));
    }
  }
  for (const table of plan.tables) {
    try {
      await targets.dynamodb.send(new DescribeTableCommand({ TableName: table.name }));
    } catch (err) {
      if (!(err instanceof ResourceNotFoundException)) throw err;
      await targets.dynamodb.send(new CreateTableCommand(createTableInput(table)));
    }
  }
  for (const topic of plan.topics) targets.sns.createTopic(topic.name);
}
