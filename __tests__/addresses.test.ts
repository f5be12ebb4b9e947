import { parseSynth, synthStack, type TerraformJson } from "./helpers/stack";

// ============================================================================================
// PINNED TERRAFORM ADDRESSES, one array per stack, sorted.
//
// A construct id is part of its Terraform address (`aws_s3_bucket.upload`). When an address
// disappears and another appears, Terraform plans to DESTROY the old resource and CREATE a new
// one: for the bucket or the table that loses data. So a change here must be on purpose:
//   - adding a resource: add its address below (the failure message prints the list to paste);
//   - renaming/moving one: keep the state by moving it before the next apply, either
//       terraform -chdir=cdktf.out/stacks/pipeline-dev state mv 'aws_s3_bucket.old' 'aws_s3_bucket.new'
//     or, reviewable in the PR, a `moved` block from cdktf: `newBucket.moveFromId("aws_s3_bucket.old")`
//     (or `oldBucket.moveToId("aws_s3_bucket.new")`); then update the list here.
// ============================================================================================

/** Every resource and data-source address of `pipeline-dev`. */
const PIPELINE_DEV_ADDRESSES = [
  "aws_cloudwatch_log_group.processor",
  "aws_cloudwatch_metric_alarm.destination_delivery_failures",
  "aws_cloudwatch_metric_alarm.duration_p99",
  "aws_cloudwatch_metric_alarm.errors",
  "aws_cloudwatch_metric_alarm.failed_events_age",
  "aws_cloudwatch_metric_alarm.failed_events_visible",
  "aws_cloudwatch_metric_alarm.failed_files",
  "aws_cloudwatch_metric_alarm.throttles",
  "aws_dynamodb_table.metadata",
  "aws_iam_role.processor",
  "aws_iam_role_policy.failed_events",
  "aws_iam_role_policy.processor",
  "aws_kms_alias.pipeline",
  "aws_kms_key.pipeline",
  "aws_lambda_function.processor",
  "aws_lambda_function_event_invoke_config.failed_events",
  "aws_lambda_permission.trigger",
  "aws_s3_bucket.upload",
  "aws_s3_bucket_lifecycle_configuration.upload",
  "aws_s3_bucket_notification.trigger",
  "aws_s3_bucket_ownership_controls.upload",
  "aws_s3_bucket_policy.upload",
  "aws_s3_bucket_public_access_block.upload",
  "aws_s3_bucket_server_side_encryption_configuration.upload",
  "aws_s3_bucket_versioning.upload",
  "aws_sns_topic.status",
  "aws_sns_topic_policy.status",
  "aws_sqs_queue.failed_events",
  "aws_sqs_queue_policy.failed_events",
  "data.archive_file.processor",
  "data.aws_caller_identity.current",
  "data.aws_iam_policy_document.failed_events_send",
  "data.aws_iam_policy_document.failed_events_tls_only",
  "data.aws_iam_policy_document.pipeline_key_policy",
  "data.aws_iam_policy_document.processor_assume_role",
  "data.aws_iam_policy_document.processor_permissions",
  "data.aws_iam_policy_document.status_topic_policy",
  "data.aws_iam_policy_document.upload_bucket_policy",
  "data.aws_partition.partition",
];

/** Every resource and data-source address of `pipeline-prod`: dev's plus one subscription per alarm e-mail. */
const PIPELINE_PROD_ADDRESSES = [
  "aws_cloudwatch_log_group.processor",
  "aws_cloudwatch_metric_alarm.destination_delivery_failures",
  "aws_cloudwatch_metric_alarm.duration_p99",
  "aws_cloudwatch_metric_alarm.errors",
  "aws_cloudwatch_metric_alarm.failed_events_age",
  "aws_cloudwatch_metric_alarm.failed_events_visible",
  "aws_cloudwatch_metric_alarm.failed_files",
  "aws_cloudwatch_metric_alarm.throttles",
  "aws_dynamodb_table.metadata",
  "aws_iam_role.processor",
  "aws_iam_role_policy.failed_events",
  "aws_iam_role_policy.processor",
  "aws_kms_alias.pipeline",
  "aws_kms_key.pipeline",
  "aws_lambda_function.processor",
  "aws_lambda_function_event_invoke_config.failed_events",
  "aws_lambda_permission.trigger",
  "aws_s3_bucket.upload",
  "aws_s3_bucket_lifecycle_configuration.upload",
  "aws_s3_bucket_notification.trigger",
  "aws_s3_bucket_ownership_controls.upload",
  "aws_s3_bucket_policy.upload",
  "aws_s3_bucket_public_access_block.upload",
  "aws_s3_bucket_server_side_encryption_configuration.upload",
  "aws_s3_bucket_versioning.upload",
  "aws_sns_topic.status",
  "aws_sns_topic_policy.status",
  "aws_sns_topic_subscription.status_email_oncall_example_com",
  "aws_sqs_queue.failed_events",
  "aws_sqs_queue_policy.failed_events",
  "data.archive_file.processor",
  "data.aws_caller_identity.current",
  "data.aws_iam_policy_document.failed_events_send",
  "data.aws_iam_policy_document.failed_events_tls_only",
  "data.aws_iam_policy_document.pipeline_key_policy",
  "data.aws_iam_policy_document.processor_assume_role",
  "data.aws_iam_policy_document.processor_permissions",
  "data.aws_iam_policy_document.status_topic_policy",
  "data.aws_iam_policy_document.upload_bucket_policy",
  "data.aws_partition.partition",
];

// ============================================================================================

/** Sorted `type.name` of every resource and `data.type.name` of every data source. */
function terraformAddresses(json: TerraformJson): string[] {
  const resources = Object.entries(json.resource ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `${type}.${name}`));
  const data = Object.entries(json.data ?? {}).flatMap(([type, byName]) => Object.keys(byName).map((name) => `data.${type}.${name}`));
  return [...resources, ...data].sort();
}

/** Why the pinned list failed, what to do about it, and the list to paste if the change is intended. */
function explain(stack: string, pinnedName: string, actual: readonly string[], pinned: readonly string[]): string {
  const removed = pinned.filter((a) => !actual.includes(a));
  const added = actual.filter((a) => !pinned.includes(a));
  return [
    `The Terraform addresses of ${stack} changed.`,
    removed.length ? `  no longer synthesized (Terraform would DESTROY these):\n${removed.map((a) => `    - ${a}`).join("\n")}` : "",
    added.length ? `  new (Terraform would CREATE these):\n${added.map((a) => `    + ${a}`).join("\n")}` : "",
    "A renamed construct id changes its address, and Terraform then destroys and recreates the resource",
    "(a new, empty bucket or table). If the rename is intended, carry the state over before applying:",
    `  terraform -chdir=cdktf.out/stacks/${stack} state mv '<old address>' '<new address>'`,
    "or add a `moved` block in code: newResource.moveFromId('<old address>'), which the PR plan shows as a move.",
    "If only resources were added or removed on purpose, update the list in __tests__/addresses.test.ts:",
    `const ${pinnedName} = ${JSON.stringify(actual, null, 2)};`,
  ]
    .filter((line) => line !== "")
    .join("\n");
}

describe("Terraform addresses", () => {
  it.each([
    ["dev", "PIPELINE_DEV_ADDRESSES", PIPELINE_DEV_ADDRESSES],
    ["prod", "PIPELINE_PROD_ADDRESSES", PIPELINE_PROD_ADDRESSES],
  ])("keeps every resource and data-source address of pipeline-%s", (stage, pinnedName, pinned) => {
    const actual = terraformAddresses(parseSynth(synthStack(stage)));
    const stack = `pipeline-${stage}`;
    if (JSON.stringify(actual) !== JSON.stringify(pinned)) throw new Error(explain(stack, pinnedName, actual, pinned));
    expect(actual).toEqual(pinned);
  });

  it("keeps each pinned list sorted and free of duplicates, so a diff of it reads cleanly", () => {
    for (const pinned of [PIPELINE_DEV_ADDRESSES, PIPELINE_PROD_ADDRESSES]) {
      expect(pinned).toEqual([...new Set(pinned)].sort());
    }
  });

  it("pins the stateful resources whose replacement would lose data", () => {
    for (const pinned of [PIPELINE_DEV_ADDRESSES, PIPELINE_PROD_ADDRESSES]) {
      expect(pinned).toEqual(
        expect.arrayContaining(["aws_s3_bucket.upload", "aws_dynamodb_table.metadata", "aws_sqs_queue.failed_events", "aws_kms_key.pipeline"]),
      );
    }
  });
});
