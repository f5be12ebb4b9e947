import { S3BucketNotification } from "@cdktf/provider-aws/lib/s3-bucket-notification";
import { checkNotificationPermission } from "../../stacks/guardrails";
import { terraformJson, triggerStack } from "../helpers/guardrail-stacks";

const UNABLE = 'S3 checks the destination when the notification is written and fails with "Unable to validate the following destination configurations"';

describe("guardrail 5: the notification depends on a scoped S3 permission", () => {
  it("passes a notification that depends on its permission with principal, source_arn and source_account", () => {
    expect(checkNotificationPermission(terraformJson(triggerStack().stack))).toEqual([]);
  });

  it("fails when the notification does not depend on the permission", () => {
    // Prepare
    const t = triggerStack();
    t.notification.dependsOn = [];

    // Act
    const problems = checkNotificationPermission(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      "aws_s3_bucket_notification.trigger does not depend on aws_lambda_permission.trigger (depends_on: none): Terraform may " +
        `write the notification before the permission exists, and ${UNABLE}; add aws_lambda_permission.trigger to its depends_on`,
    ]);
  });

  it("fails when no permission lets S3 invoke the function", () => {
    const t = triggerStack();
    t.permission.functionName = "some-other-function";
    expect(checkNotificationPermission(terraformJson(t.stack))).toEqual([
      "aws_s3_bucket_notification.trigger lambda_function[0] targets aws_lambda_function.processor, but no aws_lambda_permission " +
        'lets s3.amazonaws.com invoke it: add one (action "lambda:InvokeFunction", principal "s3.amazonaws.com", source_arn = ' +
        `the bucket's arn, source_account) and list it in the notification's depends_on; otherwise ${UNABLE}`,
    ]);
  });

  it("fails on the wrong principal, and on a permission without source_arn and source_account", () => {
    const wrongPrincipal = triggerStack();
    wrongPrincipal.permission.principal = "sns.amazonaws.com";
    expect(checkNotificationPermission(terraformJson(wrongPrincipal.stack))).toEqual([
      'aws_lambda_permission.trigger grants "sns.amazonaws.com", but aws_s3_bucket_notification.trigger lambda_function[0] needs ' +
        'S3 to invoke aws_lambda_function.processor; set principal "s3.amazonaws.com"',
    ]);

    const unscoped = triggerStack();
    unscoped.permission.resetSourceArn();
    unscoped.permission.resetSourceAccount();
    expect(checkNotificationPermission(terraformJson(unscoped.stack))).toEqual([
      "aws_lambda_permission.trigger: source_arn is not set, so it does not limit aws_lambda_function.processor to the bucket of " +
        'aws_s3_bucket_notification.trigger; set source_arn to "${aws_s3_bucket.upload.arn}"',
      "aws_lambda_permission.trigger: source_account is not set; bucket names are global, so a bucket of the same name in another " +
        "account could invoke aws_lambda_function.processor; set source_account to the bucket owner's account " +
        '("${data.aws_caller_identity.current.account_id}")',
    ]);
  });

  it("fails on a source_arn that is not the bucket's arn itself: its objects' arn, or its name", () => {
    for (const sourceArn of ["${aws_s3_bucket.upload.arn}/*", "${aws_s3_bucket.upload.id}"]) {
      const t = triggerStack();
      t.permission.sourceArn = sourceArn;
      expect(checkNotificationPermission(terraformJson(t.stack))).toEqual([expect.stringMatching(/^aws_lambda_permission\.trigger: source_arn is .*set source_arn to "\$\{aws_s3_bucket\.upload\.arn\}"/)]);
    }
  });

  it("fails when a second notification resource targets the same bucket", () => {
    // Prepare
    const t = triggerStack();
    new S3BucketNotification(t.stack, "audit", { bucket: t.bucket.id, eventbridge: true });

    // Act
    const problems = checkNotificationPermission(terraformJson(t.stack));

    // Assess
    expect(problems).toEqual([
      "aws_s3_bucket.upload has 2 aws_s3_bucket_notification resources (aws_s3_bucket_notification.audit, " +
        "aws_s3_bucket_notification.trigger): S3 keeps one notification configuration per bucket, so whichever is applied " +
        "last silently replaces the others; merge their lambda_function, queue and topic blocks into one resource",
    ]);
  });
});
