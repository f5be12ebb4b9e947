import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// Created once per container with the default configuration, so the standard variables
// (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_REQUEST_CHECKSUM_CALCULATION, ...) apply everywhere,
// in Lambda and against local services alike.

/** S3: reads order files, writes NDJSON output. */
export const s3 = new S3Client({});
/** DynamoDB (document client): the metadata items. */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({}), { marshallOptions: { removeUndefinedValues: true } });
/** SNS: one status message per file. */
export const sns = new SNSClient({});
