import { DynamoDBClient } from "@aws-sdk/client-dynamodb";
import { S3Client } from "@aws-sdk/client-s3";
import { SNSClient } from "@aws-sdk/client-sns";
import { DynamoDBDocumentClient } from "@aws-sdk/lib-dynamodb";

// Created once per container with the default configuration, so the standard variables
// (AWS_REGION, AWS_ENDPOINT_URL_S3, AWS_REQUEST_CHECKSUM_CALCULATION, ...) apply everywhere,
// in Lambda and against local services alike.
//
// Each request has a deadline (the SDK's default is none): a connection that hangs must not hold
// the function past its timeout, where the timeout guard could no longer record FAILED. DynamoDB
// and SNS requests get 2 s (their usual latency is tens of milliseconds), so a slow answer still
// fits in the guard's 10 s reserve (a service that never answers can outlast it: Lambda's retry
// then takes over); S3 gets 30 s to send a 5 MiB part or to start a body. The SDK retries a
// timed-out request like any network error.

/** S3: reads order files, writes NDJSON output. */
export const s3 = new S3Client({ requestHandler: { connectionTimeout: 3_000, requestTimeout: 30_000, throwOnRequestTimeout: true } });
/** DynamoDB (document client): the metadata items. */
export const dynamo = DynamoDBDocumentClient.from(new DynamoDBClient({ requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } }), {
  marshallOptions: { removeUndefinedValues: true },
});
/** SNS: one status message per file. */
export const sns = new SNSClient({ requestHandler: { connectionTimeout: 1_000, requestTimeout: 2_000, throwOnRequestTimeout: true } });
