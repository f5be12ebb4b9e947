import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { DynamoDBDocumentClient, PutCommand } from "@aws-sdk/lib-dynamodb";
import type { S3Event } from "aws-lambda";
import { ENV } from "./env";

// Placeholder until the order processor lands: records each uploaded key as RECEIVED.
const tableName = process.env[ENV.tableName];
if (!tableName) throw new Error(`Missing environment variable ${ENV.tableName}`);
const documents = DynamoDBDocumentClient.from(new DynamoDBClient({}));

/** Lambda entry point: one metadata item per S3 record. */
export async function handler(event: S3Event): Promise<void> {
  for (const record of event.Records) {
    await documents.send(
      new PutCommand({
        TableName: tableName,
        Item: {
          FileName: decodeURIComponent(record.s3.object.key.replace(/\+/g, " ")),
          Bucket: record.s3.bucket.name,
          Status: "RECEIVED",
          ReceivedAt: record.eventTime,
        },
      }),
    );
  }
}
