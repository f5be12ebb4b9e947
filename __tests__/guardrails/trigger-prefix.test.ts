import { checkTriggerPrefix } from "../../stacks/guardrails";
import { fullEnvironment, terraformJson, triggerStack } from "../helpers/guardrail-stacks";

const LOOP =
  'every object it writes triggers it again, an endless loop. Write outside the trigger prefix (e.g. "processed/" next to ' +
  '"incoming/") so neither prefix starts with the other';

describe("guardrail 6: the function never writes under its trigger prefix", () => {
  it("passes incoming/ as trigger and processed/ as output", () => {
    expect(checkTriggerPrefix(terraformJson(triggerStack().stack))).toEqual([]);
  });

  it("fails when OUTPUT_PREFIX lies under the filter prefix", () => {
    // Prepare
    const t = triggerStack({ environment: { ...fullEnvironment(), OUTPUT_PREFIX: "incoming/processed/" } });

    // Act
    const problems = checkTriggerPrefix(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      'aws_s3_bucket_notification.trigger lambda_function[0] triggers aws_lambda_function.processor on prefix "incoming/" of ' +
        'aws_s3_bucket.upload, and the function writes under "incoming/processed/" (aws_lambda_function.processor environment ' +
        `OUTPUT_PREFIX): ${LOOP}`,
    ]);
  });

  it("fails when the role may write anywhere in the bucket, so also under the trigger prefix", () => {
    const t = triggerStack({ statements: [{ sid: "WriteAnywhere", actions: ["s3:PutObject"], resources: ["${aws_s3_bucket.upload.arn}/*"] }] });
    expect(checkTriggerPrefix(terraformJson(t.stack))).toEqual([
      'aws_s3_bucket_notification.trigger lambda_function[0] triggers aws_lambda_function.processor on prefix "incoming/" of ' +
        'aws_s3_bucket.upload, and the function writes under "" (data.aws_iam_policy_document.processor_permissions ' +
        `statement "WriteAnywhere" resource "\${aws_s3_bucket.upload.arn}/*"): ${LOOP}`,
    ]);
  });

  it("reads a notification with no filter_prefix at all as one on every key, so writing under processed/ loops", () => {
    const json = terraformJson(triggerStack().stack);
    const notification = (json.resource?.aws_s3_bucket_notification as Record<string, { lambda_function: Record<string, unknown>[] }>).trigger;
    delete notification.lambda_function[0].filter_prefix;
    expect(checkTriggerPrefix(json)).toEqual([expect.stringMatching(/^aws_s3_bucket_notification\.trigger lambda_function\[0\] triggers aws_lambda_function\.processor on prefix "" of aws_s3_bucket\.upload, and the function writes under "processed\/"/), expect.anything()]);
  });

  it("fails when the filter prefix is empty and the role may write anywhere in the bucket", () => {
    const t = triggerStack({
      filterPrefix: "",
      statements: [{ sid: "WriteProcessedOrders", actions: ["s3:PutObject"], resources: ["${aws_s3_bucket.upload.arn}/processed/*"] }],
    });
    expect(checkTriggerPrefix(terraformJson(t.stack))).toEqual([
      'aws_s3_bucket_notification.trigger lambda_function[0] triggers aws_lambda_function.processor on prefix "" of ' +
        'aws_s3_bucket.upload, and the function writes under "processed/" (aws_lambda_function.processor environment OUTPUT_PREFIX): ' +
        LOOP,
      'aws_s3_bucket_notification.trigger lambda_function[0] triggers aws_lambda_function.processor on prefix "" of ' +
        'aws_s3_bucket.upload, and the function writes under "processed/" (data.aws_iam_policy_document.processor_permissions ' +
        `statement "WriteProcessedOrders" resource "\${aws_s3_bucket.upload.arn}/processed/*"): ${LOOP}`,
    ]);
  });
});
