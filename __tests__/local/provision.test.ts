import * as path from "node:path";
import { FUNCTION_ENV_NAMES } from "../../lambda-src/env";
import { LocalPlanError, matchesEventPattern, planLocalStack, triggerMatches } from "../../local/provision";
import { synthStack } from "../helpers/stack";

const STACK_DIR = "/tmp/stack";
/** Synthesized JSON, navigated and edited freely by the tests. */
type Json = ReturnType<typeof JSON.parse>;
const synthesized = (): Json => JSON.parse(synthStack("dev"));

describe("planLocalStack", () => {
  const json = synthesized();
  const plan = planLocalStack(json, { stackDir: STACK_DIR });

  it("creates the table with the key schema and attributes as synthesized", () => {
    const table = json.resource.aws_dynamodb_table.metadata;
    expect(plan.tables).toEqual([
      expect.objectContaining({
        address: "aws_dynamodb_table.metadata",
        name: table.name,
        hashKey: table.hash_key,
        attributes: table.attribute,
        billingMode: "PAY_PER_REQUEST",
      }),
    ]);
  });

  it("names the bucket from its bucket_prefix and marks it versioned", () => {
    expect(plan.buckets).toEqual([{ address: "aws_s3_bucket.upload", name: `${json.resource.aws_s3_bucket.upload.bucket_prefix}local`, versioned: true }]);
  });

  it("resolves every environment reference to the local resources", () => {
    const env = plan.function.environment;
    expect(Object.keys(env).sort()).toEqual([...FUNCTION_ENV_NAMES].sort());
    expect(env.TABLE_NAME).toBe(plan.tables[0].name);
    expect(env.BUCKET_NAME).toBe(plan.buckets[0].name);
    expect(env.STATUS_TOPIC_ARN).toBe(`arn:aws:sns:${plan.region}:000000000000:${plan.topics[0].name}`);
    expect(Object.values(env).join(" ")).not.toContain("${");
  });

  it("takes handler, timeout, memory, retries and the packaged directory from the function", () => {
    const fn = json.resource.aws_lambda_function.processor;
    const archive = json.data.archive_file.processor;
    expect(plan.function).toMatchObject({
      address: "aws_lambda_function.processor",
      handler: fn.handler,
      timeoutSeconds: fn.timeout,
      memoryMiB: fn.memory_size,
      maxRetryAttempts: json.resource.aws_lambda_function_event_invoke_config.failed_events.maximum_retry_attempts,
      codeDir: path.resolve(STACK_DIR, archive.source_dir),
    });
  });

  it("takes the retry count and event age from the synthesized invoke config, not Lambda's defaults", () => {
    const edited = synthesized();
    Object.assign(edited.resource.aws_lambda_function_event_invoke_config.failed_events, { maximum_retry_attempts: 0, maximum_event_age_in_seconds: 60 });
    expect(planLocalStack(edited, { stackDir: STACK_DIR }).function).toMatchObject({ maxRetryAttempts: 0, maxEventAgeSeconds: 60 });
  });

  it("triggers on the synthesized events under the filter prefix only", () => {
    const [trigger] = plan.triggers;
    expect(trigger).toMatchObject({ bucket: plan.buckets[0].name, events: ["s3:ObjectCreated:*"], filterPrefix: "incoming/" });
    expect(triggerMatches(trigger, trigger.bucket, "incoming/a.csv", "ObjectCreated:Put")).toBe(true);
    expect(triggerMatches(trigger, trigger.bucket, "processed/a.csv.ndjson", "ObjectCreated:Put")).toBe(false);
    expect(triggerMatches(trigger, "another-bucket", "incoming/a.csv", "ObjectCreated:Put")).toBe(false);
    expect(triggerMatches(trigger, trigger.bucket, "incoming/a.csv", "ObjectRemoved:Delete")).toBe(false);
  });

  it("fails naming a reference it cannot resolve", () => {
    const broken = synthesized();
    broken.resource.aws_lambda_function.processor.environment.variables.KEY_ARN = "${aws_kms_key.nowhere.arn}";
    expect(() => planLocalStack(broken, { stackDir: STACK_DIR })).toThrow(
      "aws_lambda_function.processor environment variable KEY_ARN: cannot resolve ${aws_kms_key.nowhere.arn} to a local resource",
    );
  });

  it("fails when the environment sets a variable Lambda reserves, and reports every problem at once", () => {
    const broken = synthesized();
    broken.resource.aws_lambda_function.processor.environment.variables.AWS_REGION = "us-east-1";
    broken.resource.aws_lambda_function.processor.handler = "index";
    let error: unknown;
    try {
      planLocalStack(broken, { stackDir: STACK_DIR });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(LocalPlanError);
    expect((error as LocalPlanError).problems).toEqual([
      "aws_lambda_function.processor: environment variable AWS_REGION is reserved by Lambda",
      'aws_lambda_function.processor: handler "index" is not <file>.<export>',
    ]);
  });

  it("fails when no notification invokes a function", () => {
    const broken = synthesized();
    delete broken.resource.aws_s3_bucket_notification;
    expect(() => planLocalStack(broken, { stackDir: STACK_DIR })).toThrow("no aws_s3_bucket_notification invokes a Lambda function");
  });
});

describe("matchesEventPattern", () => {
  it("matches a wildcard pattern by prefix and an exact one exactly", () => {
    expect(matchesEventPattern("ObjectCreated:CompleteMultipartUpload", "s3:ObjectCreated:*")).toBe(true);
    expect(matchesEventPattern("ObjectCreated:Copy", "s3:ObjectCreated:Put")).toBe(false);
    expect(matchesEventPattern("ObjectCreated:Put", "s3:ObjectCreated:Put")).toBe(true);
  });
});
